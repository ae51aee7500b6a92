/* Jury review page: save each change as it is made (the plain form works without this). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-jury-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-jury-status]");
  var busy = false;
  var again = false;
  var timer = null;

  function announce(text, failed) {
    if (!status) { return; }
    status.textContent = text || "";
    status.classList.toggle("save-failed", Boolean(failed));
  }

  function showProgress(body) {
    var bar = document.querySelector("[data-jury-progress]");
    var text = document.querySelector("[data-jury-progress-text]");
    if (bar && body.progress) {
      bar.max = Math.max(body.progress.total, 1);
      bar.value = body.progress.scored;
      bar.textContent = body.progress.scored + " / " + body.progress.total;
    }
    if (text && body.progress_text) { text.textContent = body.progress_text; }
  }

  function save() {
    if (busy) { again = true; return; }
    busy = true;
    announce(form.dataset.savingText);
    var data = new FormData(form);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      announce(result.body.message || form.dataset.errorText, !result.ok);
      if (result.ok) { showProgress(result.body); }
    }).catch(function () {
      announce(form.dataset.errorText, true);
    }).then(function () {
      busy = false;
      if (again) { again = false; save(); }
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.type === "radio" || event.target.tagName === "TEXTAREA") {
      window.clearTimeout(timer);
      save();
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 1500);
    }
  });
})();
