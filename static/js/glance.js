// 全体表示: a box's editor opening and closing. Saving, drafts, conflicts and the check-in are
// worksheet.js's, as on the long form; this file only moves focus and lets a save finish
// before 「閉じる」 reads the box back (leaving the box to click it sends the last save).
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
