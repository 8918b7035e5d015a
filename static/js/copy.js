// Copy buttons: <button data-copy="ID" hidden> copies the text of the element ID, and says so in
// the element marked data-copy-status="ID". Without JavaScript the button stays hidden and the
// link can still be selected by hand.
(function () {
  "use strict";

  function say(id, text) {
    const status = document.querySelector('[data-copy-status="' + id + '"]');
    if (status) status.textContent = text;
  }

  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Over plain http (a closed network without TLS) navigator.clipboard does not exist: fall back
  // to selecting the text and the older copy command.
  function fallback(id, element) {
    selectText(element);
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(id, copied ? "コピーしました。" : "リンクを選択しました。Ctrl+C でコピーしてください。");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const id = button.dataset.copy;
    const element = document.getElementById(id);
    if (!element) return;
    const text = element.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(id, "コピーしました。"); },
        function () { fallback(id, element); }
      );
    } else {
      fallback(id, element);
    }
  });
})();
