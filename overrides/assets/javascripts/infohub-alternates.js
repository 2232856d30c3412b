/* infohub: keep Material's bundle from fetching a sitemap.xml beside every
   <link rel="alternate"> of the page's head.

   Material 9 (bundle.*.min.js) reads every link[rel=alternate] once, when the
   document is loaded (DOMContentLoaded), and fetches "sitemap.xml" relative to
   each href, to redirect clicks on the version or language menu of
   `extra.alternate` sites. Our head holds the hreflang alternates and the news
   feeds, absolute URLs on the production domain, so every page asked that
   domain (and made-up paths such as /en/biaya/sitemap.xml) up to eight times,
   and logged an error for each in any preview. The language menu does not need
   it: mkdocs-static-i18n already points each of its entries at the page's own
   translation.

   Loaded before the bundle, so this first listener runs before Material's: it
   takes "alternate" out of the links' rel while Material looks, and puts it back
   when the same event reaches the window, after every listener on the document.
   Search engines and feed readers read the HTML as served, which is unchanged. */
(function () {
  "use strict";
  var held = [];
  document.addEventListener("DOMContentLoaded", function () {
    held = Array.prototype.slice.call(document.querySelectorAll("link[rel=alternate]"));
    held.forEach(function (link) { link.setAttribute("rel", "alternate-held"); });
  }, { once: true });
  window.addEventListener("DOMContentLoaded", function () {
    held.forEach(function (link) { link.setAttribute("rel", "alternate"); });
    held = [];
  }, { once: true });
})();
