// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A deadline in words people read at a glance: "13 days left", "5 h 20 min left".
  function remaining(ms) {
    var days = Math.floor(ms / 86400000), hours = Math.floor(ms / 3600000),
        minutes = Math.floor(ms / 60000) % 60;
    if (days >= 2) return days + " days left";
    if (hours >= 1) return hours + " h " + minutes + " min left";
    return Math.max(minutes, 1) + " min left";
  }
  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var ms = Date.parse(el.getAttribute("data-deadline")) - Date.now();
      if (isNaN(ms)) return;
      if (ms <= 0) { el.textContent = "deadline passed"; return; }
      el.textContent = remaining(ms);
      el.classList.toggle("text-danger", ms < 86400000);
    });
  }
  tick();
  setInterval(tick, 30000);
})();
