// The worksheet page on paper.
//
// Printing (static/css/print.css): a box left empty prints as 「（未記入）」 rather than as an
// empty input. Marked just before printing, since the words change as people type.
//
// 「PDFを出力」: the PDF downloads as a file and the page stays, so the note beside the button
// says it is being made (CSS shows it while the button has the focus, even without this
// script) and, here, says when it is done: the form sends a token, and the PDF's answer sets a
// cookie with it (worksheets/handover/pdf_views.py), which this script waits for.
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".sheet-sections textarea, .sheet-sections input.form-control")
      .forEach(function (box) {
        box.classList.toggle("print-empty", box.value.trim() === "");
      });
    document.querySelectorAll(".sheet-field").forEach(function (field) {
      const box = field.querySelector("textarea");
      field.classList.toggle("print-blank", box !== null && box.value.trim() === "");
    });
  });

  const form = document.querySelector("form.pdf-export");
  if (!form) return;
  const note = form.querySelector(".pdf-busy");
  const words = form.querySelector(".pdf-busy-words");
  const ready = form.querySelector("input[name=ready]");
  let timer = null;
  form.addEventListener("submit", function () {
    const token = Math.random().toString(36).slice(2, 14) + Date.now().toString(36);
    ready.value = token;
    note.classList.add("pdf-busy-shown");
    note.classList.remove("pdf-busy-done");
    words.textContent = "PDFを作成しています。数秒後にダウンロードが始まります。";
    const started = Date.now();
    clearInterval(timer);
    timer = setInterval(function () {
      const found = document.cookie.split("; ").some(function (c) { return c === "pdf_ready=" + token; });
      if (found) {
        clearInterval(timer);
        document.cookie = "pdf_ready=; Max-Age=0; Path=/; SameSite=Strict";
        note.classList.add("pdf-busy-done");
        const now = new Date();
        const time = now.getHours() + ":" + String(now.getMinutes()).padStart(2, "0");
        words.textContent = "PDFができました（" + time + "）。ダウンロードしたファイルをご確認ください。";
      } else if (Date.now() - started > 120000) {
        clearInterval(timer);
        words.textContent = "PDFの作成に時間がかかっています。しばらくしてから、もう一度お試しください。";
      }
    }, 500);
  });
})();
