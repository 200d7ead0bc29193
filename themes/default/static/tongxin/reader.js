// Reader controls (字号, 高对比度, 长者模式, 打印), remembered in localStorage. Loaded in <head> so the
// saved choice applies before the page paints; the page works without it.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY_FONT = "tongxin-font", KEY_CONTRAST = "tongxin-contrast", KEY_ELDER = "tongxin-elder";
  function get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } }
  function set(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  var font = get(KEY_FONT);
  if (font === "large" || font === "small") root.setAttribute("data-font", font);
  if (get(KEY_CONTRAST) === "high") root.setAttribute("data-contrast", "high");
  if (get(KEY_ELDER) === "on") root.setAttribute("data-elder", "on");

  document.addEventListener("DOMContentLoaded", function () {
    var tools = document.getElementById("reader-tools");
    if (!tools) return;
    tools.hidden = false;
    var contrast = tools.querySelector("[data-contrast]");
    var elder = tools.querySelector("[data-elder]");
    function sync() {
      var current = root.getAttribute("data-font") || "medium";
      tools.querySelectorAll("[data-font]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-font") === current));
      });
      contrast.setAttribute("aria-pressed", String(root.getAttribute("data-contrast") === "high"));
      elder.setAttribute("aria-pressed", String(root.getAttribute("data-elder") === "on"));
    }
    tools.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b) return;
      if (b.hasAttribute("data-font")) {
        var f = b.getAttribute("data-font");
        if (f === "medium") root.removeAttribute("data-font"); else root.setAttribute("data-font", f);
        set(KEY_FONT, f);
      } else if (b.hasAttribute("data-contrast")) {
        var high = root.getAttribute("data-contrast") !== "high";
        if (high) root.setAttribute("data-contrast", "high"); else root.removeAttribute("data-contrast");
        set(KEY_CONTRAST, high ? "high" : "normal");
      } else if (b.hasAttribute("data-elder")) {
        // 长者模式: large type, high contrast, large targets and cursor, all in style.css.
        var on = root.getAttribute("data-elder") !== "on";
        if (on) root.setAttribute("data-elder", "on"); else root.removeAttribute("data-elder");
        set(KEY_ELDER, on ? "on" : "off");
      } else if (b.hasAttribute("data-print")) {
        window.print();
      }
      sync();
    });
    sync();
  });
})();
