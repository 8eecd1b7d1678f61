// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var ms = Date.parse(el.getAttribute("data-deadline")) - Date.now();
      if (isNaN(ms)) return;
      if (ms <= 0) { el.textContent = "closed"; return; }
      var d = Math.floor(ms / 86400000), h = Math.floor(ms / 3600000) % 24,
          m = Math.floor(ms / 60000) % 60;
      el.textContent = (d ? d + "d " : "") + h + "h " + m + "m left";
    });
  }
  tick();
  setInterval(tick, 30000);
})();
