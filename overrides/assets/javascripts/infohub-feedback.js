/* "Was this page helpful?" (partials/infohub/feedback.html), for an office with
 * office.yml 'feedback' only: the page loads this script for no other office.
 *
 * Nothing is sent until the reader presses Yes or No: then one request with the
 * answer; an optional reason (at most 300 characters) goes in a second request
 * only when the reader sends it. Where to (this script's data attributes, from
 * hooks/infohub/feedback.py):
 *   endpoint     POST JSON {page, helpful: "yes"|"no", reason?} to the office's address
 *   plausible    POST <url>/api/event  {name: "Feedback", url, domain, props: {helpful, reason?}}
 *   umami        POST <url>/api/send   {type: "event", payload: {website, url, name: "feedback", data}}
 *   matomo       POST <url>/matomo.php?idsite=…&rec=1&e_c=Feedback&e_a=yes|no[&e_n=reason]
 *   goatcounter  POST <url>/count?p=feedback/yes|no<page>&t=<reason or title>&e=true
 * No cookies, no credentials; the page's address is sent without its query string.
 */
(function () {
  "use strict";

  var MAX_REASON = 300;
  var script = document.querySelector("script[data-infohub-feedback]");
  if (!script) return;
  var kind = script.getAttribute("data-kind");
  var tool = script.getAttribute("data-tool");
  var sendTo = script.getAttribute("data-send-to");
  var siteId = script.getAttribute("data-site-id");

  // Matomo's tracker (loaded after this script) reads its settings from this queue.
  if (tool === "matomo") {
    var queue = (window._paq = window._paq || []);
    queue.push(["disableCookies"]);
    queue.push(["setTrackerUrl", sendTo]);
    queue.push(["setSiteId", siteId]);
    queue.push(["trackPageView"]);
  }

  function pageUrl() {
    return location.origin + location.pathname;
  }

  function query(params) {
    return Object.keys(params).map(function (key) {
      return encodeURIComponent(key) + "=" + encodeURIComponent(params[key]);
    }).join("&");
  }

  /* The request for one answer: [url, fetch options, whether the reply can be read]. */
  function request(helpful, reason) {
    var json = { method: "POST", credentials: "omit", keepalive: true, headers: { "Content-Type": "application/json" } };
    var blind = { method: "POST", credentials: "omit", keepalive: true, mode: "no-cors" };
    var body;
    if (kind === "endpoint") {
      body = { page: location.pathname, helpful: helpful };
      if (reason) body.reason = reason;
      json.body = JSON.stringify(body);
      return [sendTo, json, true];
    }
    if (tool === "plausible") {
      body = { name: "Feedback", url: pageUrl(), domain: siteId, props: { helpful: helpful } };
      if (reason) body.props.reason = reason;
      json.headers = { "Content-Type": "text/plain" };  // as Plausible's own tracker sends it
      json.body = JSON.stringify(body);
      return [sendTo, json, true];
    }
    if (tool === "umami") {
      var data = { helpful: helpful };
      if (reason) data.reason = reason;
      json.body = JSON.stringify({ type: "event", payload: {
        website: siteId, hostname: location.hostname, language: document.documentElement.lang,
        url: location.pathname, title: document.title, name: "feedback", data: data } });
      return [sendTo, json, true];
    }
    if (tool === "matomo") {
      var params = { idsite: siteId, rec: 1, apiv: 1, send_image: 0, url: pageUrl(), e_c: "Feedback", e_a: helpful };
      if (reason) params.e_n = reason;
      return [sendTo + "?" + query(params), blind, false];
    }
    // GoatCounter: an event is a path of its own; the reason travels as its title.
    return [sendTo + "?" + query({ p: "feedback/" + helpful + location.pathname, t: reason || document.title,
                                  e: "true" }), blind, false];
  }

  function send(helpful, reason) {
    var parts = request(helpful, reason);
    return fetch(parts[0], parts[1]).then(function (response) {
      if (parts[2] && !response.ok) throw new Error("feedback: " + response.status);
    });
  }

  function start(box) {
    var buttons = box.querySelectorAll(".infohub-feedback__choice button");
    var form = box.querySelector("form");
    var label = form.querySelector("label");
    var reason = form.querySelector("textarea");
    var status = box.querySelector("[role=status]");
    var helpful = null;

    function say(key) {
      status.textContent = box.getAttribute("data-" + key);
    }

    function failed() {
      say("failed");
      form.hidden = true;
    }

    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        if (helpful) return;  // one answer per page view
        helpful = button.value;
        Array.prototype.forEach.call(buttons, function (other) {
          other.setAttribute("aria-pressed", String(other === button));
          other.disabled = true;
        });
        label.textContent = label.getAttribute("data-" + helpful);
        form.hidden = false;
        say("thanks");
        reason.focus();
        send(helpful).catch(failed);
      });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = reason.value.trim().slice(0, MAX_REASON);
      form.hidden = true;
      status.focus();
      if (!text) {
        say("sent");
        return;
      }
      send(helpful, text).then(function () { say("sent"); }, failed);
    });

    box.hidden = false;
  }

  var box = document.querySelector("[data-infohub-feedback-control]");
  if (box) start(box);
})();
