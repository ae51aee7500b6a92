/* The part of jQuery UI's tabs() that modeltranslation's admin tabs use, so that no
   script has to come from a CDN: tabs({active: n}) and tabs("option", "active", n). */
(function ($) {
  "use strict";
  if (!$ || $.fn.tabs) { return; }
  function activate($container, index) {
    var $links = $container.find("> ul > li > a");
    $links.each(function (i, link) {
      var $link = $(link), $panel = $container.find($link.attr("href"));
      var on = i === index;
      $link.parent().toggleClass("ui-tabs-active ui-state-active", on);
      $link.attr("aria-selected", on ? "true" : "false");
      $panel.toggle(on);
    });
    $container.data("tabs-active", index);
  }
  $.fn.tabs = function (options, name, value) {
    return this.each(function () {
      var $container = $(this);
      if (options === "option") {
        if (name === "active") { activate($container, value); }
        return;
      }
      $container.addClass("ui-tabs");
      $container.find("> ul").addClass("ui-tabs-nav").attr("role", "tablist");
      $container.find("> ul > li").addClass("ui-tabs-tab");
      $container.find("> ul > li > a").attr("role", "tab").on("click", function (event) {
        event.preventDefault();
        activate($container, $container.find("> ul > li > a").index(this));
      });
      activate($container, (options && options.active) || 0);
    });
  };
})(window.django && window.django.jQuery || window.jQuery);
