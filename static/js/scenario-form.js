// Add and remove KPI and criterion rows in place. Without JavaScript the form offers a few
// empty rows instead, so this file only improves the page.
(function () {
  "use strict";
  function renumber(fieldset) {
    var name = fieldset.getAttribute("data-rows");
    fieldset.querySelectorAll("tr[data-row]").forEach(function (row, index) {
      row.querySelectorAll("input, select, textarea, label").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) {
            el.setAttribute(attr, value.replace(new RegExp("^" + name + "-\\d+-"), name + "-" + index + "-"));
          }
        });
        if (el.tagName === "LABEL") {
          el.textContent = el.textContent.replace(/\(row \d+\)/, "(row " + (index + 1) + ")");
        }
      });
    });
  }
  document.querySelectorAll("fieldset[data-rows]").forEach(function (fieldset) {
    var body = fieldset.querySelector("tbody");
    fieldset.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    fieldset.addEventListener("click", function (event) {
      var target = event.target;
      if (target.hasAttribute("data-add-row")) {
        var rows = body.querySelectorAll("tr[data-row]");
        if (!rows.length) return;
        var clone = rows[rows.length - 1].cloneNode(true);
        clone.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        clone.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
        clone.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
        body.appendChild(clone);
        renumber(fieldset);
        var first = clone.querySelector("input");
        if (first) first.focus();
      } else if (target.hasAttribute("data-remove-row")) {
        var all = body.querySelectorAll("tr[data-row]");
        var row = target.closest("tr");
        if (all.length > 1) { row.remove(); } else {
          row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        }
        renumber(fieldset);
      }
    });
  });
})();
