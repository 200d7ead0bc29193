// 焦点图 carousel. Without this script the first slide shows and the others are links below it.
// Advances every 6 s unless the reader prefers reduced motion, pressed 暂停, or the pointer or
// focus is inside the carousel; previous, next and pause are buttons reachable by keyboard.
(function () {
  "use strict";
  var DELAY = 6000;
  function setup(root) {
    var slides = root.querySelectorAll(".slide");
    var controls = root.querySelector(".carousel-controls");
    var live = root.querySelector(".carousel-slides");
    if (slides.length < 2 || !controls) return;
    var pauseButton = root.querySelector('[data-carousel="pause"]');
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var current = 0, paused = reduced, hovered = false, focused = false, timer = null;
    root.classList.add("js");
    controls.hidden = false;
    function show(i) {
      current = (i + slides.length) % slides.length;
      for (var k = 0; k < slides.length; k++) {
        slides[k].classList.toggle("current", k === current);
        slides[k].hidden = k !== current;
      }
    }
    function running() { return !paused && !hovered && !focused; }
    function schedule() {
      clearTimeout(timer);
      // Announce slide changes only when the reader moves them, not while it turns by itself.
      live.setAttribute("aria-live", running() ? "off" : "polite");
      if (running()) timer = setTimeout(function () { show(current + 1); schedule(); }, DELAY);
    }
    function setPaused(p) {
      paused = p;
      pauseButton.textContent = p ? "播放轮播" : "暂停轮播";
      schedule();
    }
    root.querySelector('[data-carousel="previous"]').addEventListener("click", function () { show(current - 1); schedule(); });
    root.querySelector('[data-carousel="next"]').addEventListener("click", function () { show(current + 1); schedule(); });
    pauseButton.addEventListener("click", function () { setPaused(!paused); });
    root.addEventListener("mouseenter", function () { hovered = true; schedule(); });
    root.addEventListener("mouseleave", function () { hovered = false; schedule(); });
    root.addEventListener("focusin", function () { focused = true; schedule(); });
    root.addEventListener("focusout", function (e) {
      if (!root.contains(e.relatedTarget)) { focused = false; schedule(); }
    });
    show(0);
    setPaused(paused);
  }
  function init() {
    var all = document.querySelectorAll("[data-carousel-root], .carousel[data-carousel]");
    for (var i = 0; i < all.length; i++) setup(all[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
