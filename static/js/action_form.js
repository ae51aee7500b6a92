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
