/* Gala presenter: step through the slides with the keyboard or a presentation clicker.
   → / Space / PageDown / Enter: next; ← / PageUp / Backspace: previous; Home / End: first / last;
   F: full screen. Without this file the links ?step=N do the same, one page load each. */
(function () {
  "use strict";
  var main = document.querySelector("main.gala");
  if (!main) return;
  var slides = Array.prototype.slice.call(main.querySelectorAll(".slide"));
  var last = slides.length - 1;
  var step = parseInt(main.getAttribute("data-step"), 10) || 0;
  var links = {
    first: document.querySelector("[data-go=first]"),
    prev: document.querySelector("[data-go=prev]"),
    next: document.querySelector("[data-go=next]")
  };
  var position = document.querySelector("[data-position]");
  var announce = document.querySelector("[data-announce]");

  function describe(slide) {
    // What a screen reader hears: the slide's heading and the place just revealed.
    var heading = slide.querySelector("h1");
    var newest = slide.querySelector(".newest");
    return [heading && heading.textContent, newest && newest.textContent]
      .filter(Boolean).join(": ").replace(/\s+/g, " ").trim();
  }

  function show(target) {
    step = Math.max(0, Math.min(last, target));
    slides.forEach(function (slide, index) { slide.hidden = index !== step; });
    main.setAttribute("data-step", String(step));
    if (links.prev) links.prev.href = "?step=" + Math.max(0, step - 1);
    if (links.next) links.next.href = "?step=" + Math.min(last, step + 1);
    if (position) position.textContent = (step + 1) + " / " + (last + 1);
    if (announce) announce.textContent = describe(slides[step]);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "?step=" + step);
    }
  }

  function go(event, target) {
    event.preventDefault();
    show(target);
  }

  ["first", "prev", "next"].forEach(function (name) {
    var link = links[name];
    if (!link) return;
    link.addEventListener("click", function (event) {
      go(event, name === "first" ? 0 : name === "prev" ? step - 1 : step + 1);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = event.target && event.target.tagName;
    var onLink = tag === "A" || tag === "BUTTON";
    switch (event.key) {
      case "ArrowRight": case "PageDown": case " ": case "Spacebar":
        go(event, step + 1); break;
      case "Enter":
        if (!onLink) go(event, step + 1);
        break;
      case "ArrowLeft": case "PageUp": case "Backspace":
        go(event, step - 1); break;
      case "Home": go(event, 0); break;
      case "End": go(event, last); break;
      case "f": case "F":
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
        break;
      default:
    }
  });
})();
