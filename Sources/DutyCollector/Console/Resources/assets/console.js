// DutyWatch console: small conveniences only. Every page works without this file.
(function () {
  "use strict";
  // Review queue: a "select all" box ticks every row's box.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-select-all]")) return;
    var form = box.form;
    if (!form) return;
    form.querySelectorAll("input[name='id']").forEach(function (row) { row.checked = box.checked; });
  });
  // Buttons marked data-confirm ask first.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
