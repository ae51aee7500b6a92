/* Browse enhancements; every form works without this file. */
(function () {
  "use strict";
  // Like / unlike without reloading the page.
  document.querySelectorAll("[data-like]").forEach(function (box) {
    var forms = box.querySelectorAll("form[data-like-form]");
    var count = box.querySelector("[data-like-count]");
    forms.forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button");
        button.disabled = true;
        fetch(form.action, {
          method: "POST", body: new FormData(form), credentials: "same-origin",
          headers: { "Accept": "application/json" }
        }).then(function (response) {
          if (response.redirected || !response.ok) { form.submit(); return null; }
          return response.json();
        }).then(function (data) {
          button.disabled = false;
          if (!data) return;
          count.textContent = data.like_count;
          forms.forEach(function (other) { other.hidden = other === form; });
          var shown = Array.prototype.find.call(forms, function (other) { return other !== form; });
          if (shown) shown.querySelector("button").focus();
        }).catch(function () { button.disabled = false; form.submit(); });
      });
    });
  });
})();
