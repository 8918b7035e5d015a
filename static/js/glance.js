// 全体表示: a box's editor opening and closing. Saving, drafts, conflicts and the check-in are
// worksheet.js's, as on the long form; this file moves focus, lets a save finish before
// 「閉じる」 reads the box back (leaving the box to click it sends the last save), and keeps an
// open editor open when others' saves arrive, also those a page far behind fetches list by list.
(function () {
  "use strict";
  document.addEventListener("htmx:confirm", function (event) {
    const close = event.detail.elt;
    if (!close.classList || !close.classList.contains("glance-close")) return;
    const box = close.closest(".glance-box");
    if (!box || !box.querySelector(".glance-body .htmx-request")) return;
    event.preventDefault();
    const later = function () { window.setTimeout(retry, 0); };
    const retry = function () {
      if (box.querySelector(".glance-body .htmx-request")) return; // still saving
      document.removeEventListener("htmx:afterRequest", later);
      event.detail.issueRequest(true);
    };
    document.addEventListener("htmx:afterRequest", later);
  });
  // Others' saves come as reading views (checkin.py, view=glance). A box whose editor is open
  // takes them as the long form does: the editor is fetched again with the latest words and
  // stays open. One being typed in is worksheet.js's (it keeps the words and shows a notice).
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const target = event.detail.target;
    if (!event.detail.shouldSwap || !target || !target.id || !target.querySelector("form")) return;
    const box = target.closest(".glance-box");
    const open = box && box.querySelector(".glance-open");
    // Only the box's own editor, not a part inside it (a save's status, its conflict panel).
    if (!open || open.getAttribute("hx-target") !== "#" + target.id) return;
    event.detail.shouldSwap = false;
    htmx.ajax("GET", open.getAttribute("hx-get"), { target: "#" + target.id, swap: "outerHTML" });
  });
  // A page far behind fetches each changed list by itself (#catch-up, checkin.py): the reading
  // view, as the check-in does not know which boxes are open. An open box is fetched as its
  // editor instead, here, where the request leaves; worksheet.js holds it back while it is
  // being typed in, and fetches it again (through here) once the person has left it and their
  // words are saved. So a catch-up never closes a box, nor opens one.
  function editorOf(target) {
    const box = target && target.id ? target.closest(".glance-box") : null;
    const open = box && box.querySelector(".glance-open");
    return open && open.getAttribute("hx-target") === "#" + target.id ? box : null;
  }
  function latestOf(box, target) {
    const button = box.querySelector(target.querySelector("form") ? ".glance-open" : ".glance-close");
    return button.getAttribute("hx-get");
  }
  function isCatchUp(elt) {
    return !!(elt && elt.closest && elt.closest("#catch-up"));
  }
  document.addEventListener("htmx:configRequest", function (event) {
    const box = isCatchUp(event.detail.elt) && editorOf(event.detail.target);
    if (box) event.detail.path = latestOf(box, event.detail.target);
  });
  // Opened (or closed) while its catch-up was on the way: the answer is the other view, and is
  // fetched again as the one the box shows now.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const request = event.detail.requestConfig;
    const target = event.detail.target;
    if (!event.detail.shouldSwap || !request || !isCatchUp(request.elt)) return;
    const box = editorOf(target);
    if (!box || request.path === latestOf(box, target)) return;
    event.detail.shouldSwap = false;
    const source = document.body.contains(request.elt) ? request.elt : document.getElementById("catch-up");
    htmx.ajax("GET", latestOf(box, target), { source: source, target: "#" + target.id, swap: "outerHTML" });
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    const trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!trigger || !trigger.classList) return;
    const box = trigger.closest(".glance-box");
    if (!box) return;
    if (trigger.classList.contains("glance-open")) {
      const first = box.querySelector(".glance-body textarea, .glance-body input:not([type=hidden]), .glance-body select");
      if (first) first.focus();
    } else if (trigger.classList.contains("glance-close")) {
      const open = box.querySelector(".glance-open");
      if (open) open.focus();
    }
  });
})();
