// The worksheet page on paper.
//
// Printing (static/css/print.css): a box left empty prints as 「（未記入）」 rather than as an
// empty input. Marked just before printing, since the words change as people type.
//
// 「PDFを出力」: the worker makes the PDF; htmx polls its status (worksheets/handover/
// pdf_status.html#job) and, once the fragment says it is ready (data-download), this script
// starts the download, so the page stays. Without JavaScript the status page links to the file.
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

  // Only a fragment htmx has just swapped in, never a page loaded or reloaded: the download
  // starts once, when the PDF becomes ready (or at once, when it was ready already).
  document.body.addEventListener("htmx:load", function (event) {
    const job = event.detail.elt;
    if (job && job.id === "pdf-job" && job.dataset.download) {
      window.location.assign(job.dataset.download);
    }
  });
})();
