// The monitoring page's measurement tables (templates/kpis/monitoring.html): each KPI's table
// is loaded by htmx when its 「測定値の表」 link is followed, one 年度 at a time. Here: the link
// says whether the table is open (aria-expanded), a second press closes it without a request,
// and once a table arrives focus moves to it and a polite live region says what was loaded.
// Without JavaScript the same links open the page with that table.
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("kpi-announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.classList || !elt.classList.contains("kpi-table-toggle")) return;
    if (elt.getAttribute("aria-expanded") !== "true") return;
    // Open: this press closes the table, and nothing needs loading.
    event.preventDefault();
    var container = document.getElementById(elt.getAttribute("aria-controls"));
    if (container) container.hidden = true;
    elt.setAttribute("aria-expanded", "false");
    announce("測定値の表を閉じました。");
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var container = event.detail.target;
    if (!container || !container.classList || !container.classList.contains("kpi-measurements")) {
      return;
    }
    container.hidden = false;
    var toggle = document.querySelector("[aria-controls='" + container.id + "']");
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    var table = container.querySelector("table[tabindex]");
    if (table) table.focus();
    var loaded = container.querySelector("[data-announce]");
    announce(loaded && loaded.getAttribute("data-announce"));
  });
})();
