// 「はじめに」: its close button hides it for good in this browser (one key per place).
(function () {
  "use strict";
  function key(box) { return "sanpuku:first-steps:" + box.dataset.firstSteps; }
  function setUp() {
    document.querySelectorAll("[data-first-steps]").forEach(function (box) {
      var stored = null;
      try { stored = window.localStorage.getItem(key(box)); } catch (e) { stored = null; }
      if (stored === "closed") { box.hidden = true; return; }
      var button = box.querySelector("[data-first-steps-close]");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        try { window.localStorage.setItem(key(box), "closed"); } catch (e) { /* private mode */ }
        box.hidden = true;
        var main = document.getElementById("main");
        if (main) main.focus();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
