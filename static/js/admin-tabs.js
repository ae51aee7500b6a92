/* The small part of jQuery UI's tabs() that modeltranslation's tab script uses:
   $(container).tabs({active: n}) and .tabs("option", "active", n), with ARIA tab roles.
   Served from our own origin (the site's CSP allows no CDN). */
(function ($) {
  "use strict";
  if (!$ || $.fn.tabs) { return; }

  function activate($container, index) {
    var $tabs = $container.children("ul").children("li");
    $tabs.each(function (i) {
      var $li = $(this);
      var $link = $li.children("a");
      var $panel = $container.children($link.attr("href"));
      var active = i === index;
      $li.toggleClass("ui-tabs-active ui-state-active", active);
      $link.attr({"aria-selected": active ? "true" : "false", tabindex: active ? "0" : "-1"});
      $panel.toggleClass("ui-tabs-hide", !active).prop("hidden", !active);
    });
    $container.data("arena-tabs-active", index);
  }

  function setUp($container, options) {
    var $list = $container.children("ul");
    $container.addClass("ui-tabs ui-widget");
    $list.addClass("ui-tabs-nav ui-helper-reset ui-helper-clearfix").attr("role", "tablist");
    $list.children("li").each(function (i) {
      var $li = $(this).addClass("ui-state-default").attr("role", "presentation");
      var $link = $li.children("a").addClass("ui-tabs-anchor");
      var panelId = $link.attr("href").slice(1);
      $link.attr({role: "tab", id: panelId + "-tab", "aria-controls": panelId});
      $container.children("#" + panelId).addClass("ui-tabs-panel")
        .attr({role: "tabpanel", "aria-labelledby": panelId + "-tab"});
      $link.on("click", function (event) {
        event.preventDefault();
        activate($container, i);
      });
      $link.on("keydown", function (event) {
        var count = $list.children("li").length;
        var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (step) {
          event.preventDefault();
          var next = (i + step + count) % count;
          activate($container, next);
          $list.children("li").eq(next).children("a").trigger("focus");
        }
      });
    });
    activate($container, (options && options.active) || 0);
  }

  $.fn.tabs = function (options, name, value) {
    return this.each(function () {
      var $container = $(this);
      if (options === "option") {
        if (name === "active" && value !== undefined) { activate($container, value); }
        return;
      }
      setUp($container, options);
    });
  };
})(window.jQuery || (window.django && window.django.jQuery));
