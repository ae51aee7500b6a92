/* The action form: warn before leaving with unsaved changes. Progressive only; the form
   works without this file (the summary's counter comes from site.js). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-warn-unsaved]");
  if (!form) return;
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
/* Coming back with the browser's Back button restores the page as it was, including the
   "already submitted" mark that site.js sets: clear it so the buttons work again. */
window.addEventListener("pageshow", function (event) {
  "use strict";
  if (!event.persisted) return;
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) { delete form.dataset.submitted; });
});
