/* infohub: the hub's filter (partials/infohub/directory.html). Typing a city,
   an office or a province narrows the list as the reader types; the count
   below the box (a polite live region) says how many offices are left.
   Without this script the box stays hidden and every office is listed. */
(function () {
  "use strict";

  // "Banda Aceh", "banda  aceh" and "Bánda Aceh" alike.
  function normal(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function start() {
    var root = document.querySelector("[data-infohub-directory]");
    if (!root) {
      return;
    }
    var box = root.querySelector("[data-infohub-filter]");
    var input = box.querySelector("input");
    var count = root.querySelector("[data-infohub-count]");
    var groups = root.querySelectorAll("[data-infohub-group]");
    // The name and the place shown, and the terms beside them; not the status, which changes.
    var offices = Array.prototype.map.call(root.querySelectorAll(".infohub-office"), function (item) {
      var shown = item.querySelector(".infohub-office__name").textContent + " " +
        item.querySelector(".infohub-office__place").textContent;
      return { item: item, text: normal(shown + " " + (item.getAttribute("data-terms") || "")) };
    });

    function apply() {
      var words = normal(input.value).split(" ").filter(Boolean);
      var left = 0;
      offices.forEach(function (office) {
        var match = words.every(function (word) { return office.text.indexOf(word) >= 0; });
        office.item.hidden = !match;
        left += match ? 1 : 0;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".infohub-office:not([hidden])");
      });
      var text = left === 0 ? count.getAttribute("data-none")
        : count.getAttribute(left === 1 ? "data-one" : "data-other");
      count.textContent = text.replace("{count}", String(left));
    }

    input.addEventListener("input", apply);
    box.hidden = false;
    if (input.value) {
      apply();  // a value the browser restored on going back
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
