// Co-editing on the worksheet page: what htmx attributes cannot say by themselves.
// - tell each check-in which fields this person is editing (focused, or typed but not saved),
//   so that others' saves refresh every other field but never the one under the cursor;
// - 「自分の内容で保存」 sends what is in the box now, not what was there at the conflict.
(function () {
  "use strict";
  const dirty = new Set();

  function fieldOf(elt) {
    return elt && elt.closest ? elt.closest("[data-field]") : null;
  }

  document.addEventListener("input", function (event) {
    const field = fieldOf(event.target);
    if (field) dirty.add(field.dataset.field);
  });

  document.addEventListener("htmx:configRequest", function (event) {
    const elt = event.detail.elt;
    if (elt.id === "checkin") {
      const editing = new Set(dirty);
      const focused = fieldOf(document.activeElement);
      if (focused) editing.add(focused.dataset.field);
      event.detail.parameters.editing = Array.from(editing).join(",");
    }
    // While a conflict panel is open, autosaving would only conflict again and redraw the
    // panel under the person's mouse: wait for their choice instead.
    const field = fieldOf(elt);
    if (field && elt.tagName === "TEXTAREA") {
      const conflict = document.getElementById("conflict-" + field.dataset.field);
      if (conflict && conflict.querySelector(".conflict-panel")) {
        event.preventDefault();
        return;
      }
    }
    const useMine = elt.closest ? elt.closest("[data-use-mine]") : null;
    if (useMine) {
      const box = document.getElementById(useMine.dataset.useMine);
      if (box) event.detail.parameters.text = box.value;
    }
  });

  // A refused request (the worksheet was deleted, the role changed, the network failed) must
  // say so where the person is looking; the text in the box stays as it is.
  function reportFailure(event) {
    const field = fieldOf(event.detail.elt);
    const code = event.detail.xhr ? event.detail.xhr.status : 0;
    const message =
      code === 404 ? "保存できませんでした：このワークシートまたは項目は削除されたか、参加していません。入力内容はこの画面に残っています。"
      : code === 403 ? "保存できませんでした：あなたの役割ではこの操作を行えません。"
      : code === 0 ? "保存できませんでした：通信できません。ネットワークを確認して、もう一度お試しください。"
      : "保存できませんでした。時間をおいてもう一度お試しください。";
    const status = field ? document.getElementById("status-" + field.dataset.field) : null;
    const target = status || document.getElementById("sheet-error");
    if (target) {
      target.textContent = message;
      target.dataset.state = "error";
      target.classList.add("text-danger", "fw-bold");
    }
  }
  document.addEventListener("htmx:responseError", reportFailure);
  document.addEventListener("htmx:sendError", reportFailure);

  document.addEventListener("htmx:afterRequest", function (event) {
    const field = fieldOf(event.detail.elt);
    if (!field || !event.detail.successful) return;
    window.setTimeout(function () {
      const status = document.getElementById("status-" + field.dataset.field);
      if (!status || status.dataset.state === "saved") dirty.delete(field.dataset.field);
    }, 0);
  });
})();

// A hidden tab (another tab in front, a minimised window) checks in at every third tick only:
// nobody is reading it, and idle pages are most of the server's load. Every third tick keeps
// the person in 「いま開いている人」 (presence lasts three missed check-ins); showing the tab
// again checks in at the next tick.
(function () {
  "use strict";
  let skipped = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id !== "checkin") return;
    if (document.hidden && skipped < 2) {
      skipped += 1;
      event.preventDefault();
      return;
    }
    skipped = 0;
  });
})();
