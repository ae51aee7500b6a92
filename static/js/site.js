/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // Character counters: <textarea data-maxlength-counter> shows "12 / 300".
  document.querySelectorAll("[data-counter-for]").forEach(function (out) {
    var field = document.getElementById(out.getAttribute("data-counter-for"));
    if (!field) return;
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var update = function () { out.textContent = field.value.length + " / " + max; };
    field.addEventListener("input", update);
    update();
  });
  // Forms submit once: a second click on a submit button does nothing.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted === "1") { event.preventDefault(); return; }
      form.dataset.submitted = "1";
    });
  });
})();
