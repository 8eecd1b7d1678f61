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
  // On a phone the results come first: long filter forms start folded unless a filter is set.
  if (window.matchMedia("(max-width: 991.98px)").matches && !window.location.search) {
    document.querySelectorAll("details[data-collapse-small]").forEach(function (el) {
      el.removeAttribute("open");
    });
  }
  tick();
  setInterval(tick, 30000);
})();
