// tongxin serve only: reloads the page after a rebuild and shows a failed rebuild's error.
(function () {
  "use strict";
  var source = new EventSource("/__tongxin/events");
  var overlay = null;
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("build-error", function (e) {
    if (!e.data) return;
    if (!overlay) {
      overlay = document.createElement("pre");
      overlay.id = "tongxin-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:16px;" +
        "background:#fff3f3;color:#8a1010;border-top:4px solid #b5121b;font:14px/1.6 monospace;z-index:99999;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "生成失败，页面仍为上一次成功生成的版本：\n\n" + e.data;
  });
})();
