/* infohub: the start pages' search entry (partials/infohub/search-entry.html)
   opens Material's search; it is hidden until this script runs, since the
   search needs JavaScript. The header's search button, a bare icon on a
   phone, gets the search's name as its tooltip. */
(function () {
  "use strict";

  function openSearch() {
    var toggle = document.getElementById("__search");
    var input = document.querySelector(".md-search__input");
    if (!toggle || !input) {
      return;
    }
    if (!toggle.checked) {
      toggle.click();  // Material opens its search on the toggle's change event
    }
    input.focus();
  }

  function start() {
    var input = document.querySelector(".md-search__input");
    if (!input) {
      return;  // a page without Material's search
    }
    document.querySelectorAll("[data-infohub-search]").forEach(function (entry) {
      entry.querySelector("button").addEventListener("click", openSearch);
      entry.hidden = false;
    });
    var name = input.getAttribute("aria-label");
    document.querySelectorAll("label.md-header__button[for='__search']").forEach(function (label) {
      if (name && !label.title) {
        label.title = name;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
