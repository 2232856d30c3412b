/* infohub: "open now" from the office's schedule, worked out in the office's
   own time zone (WIB/WITA/WIT), whatever the reader's clock says.

   The schedule is in the page as JSON (<script type="application/json"
   id="infohub-hours">, written by partials/infohub/hours-data.html); without
   this script the full weekly table is still there. Elements marked
   data-infohub-now are filled in and shown; rows marked data-days="monday …"
   are highlighted for today. On the hub, <script id="infohub-directory-hours">
   holds every office's schedule and elements marked data-infohub-office-now
   ="<slug>" get that office's status, each in its own time zone. A closure
   going on says closed with its reason; one with an end (closed_until) until
   then. On every page, a banner leaves at its end (data-infohub-ends). Tests fix
   the clock with window.INFOHUB_NOW (an ISO 8601 string) or with Playwright's clock. */
(function () {
  "use strict";

  var WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var DAY_KEYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

  function minutes(hhmm) {
    var parts = hhmm.split(":");
    return Number(parts[0]) * 60 + Number(parts[1]);
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  // The calendar date, weekday (0 = Monday) and minute of the day at `now` in `timeZone`.
  function localParts(now, timeZone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: timeZone, hourCycle: "h23", weekday: "short",
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"
    }).formatToParts(now).forEach(function (part) { parts[part.type] = part.value; });
    return {
      year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
      weekday: WEEKDAYS.indexOf(parts.weekday),
      minute: Number(parts.hour) * 60 + Number(parts.minute)
    };
  }

  // The office's calendar day `offset` days after `local`: ISO date, weekday, a Date at its UTC midnight.
  function dayAfter(local, offset) {
    var date = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    return { iso: date.toISOString().slice(0, 10), weekday: (date.getUTCDay() + 6) % 7, date: date };
  }

  // The opening ranges of a day: none on a closure; after an urgent closure that ends during
  // the day (closed_until, "12:00"), what is left of them from that time on.
  function hoursOn(data, day) {
    var week = data.week[day.weekday];
    if (!data.closures[day.iso]) {
      return week;
    }
    var until = (data.closed_until || {})[day.iso];
    if (!until) {
      return [];
    }
    return week.filter(function (r) { return r[1] > until; }).map(function (r) {
      return [r[0] > until ? r[0] : until, r[1]];
    });
  }

  // English as read across Indonesia: "15 September", day first (sitedata.DATE_LOCALES).
  var DATE_LOCALES = { en: "en-GB" };

  function longDate(date, lang) {
    try {
      return new Intl.DateTimeFormat(DATE_LOCALES[lang] || lang, {
        day: "numeric", month: "long", timeZone: "UTC"
      }).format(date);
    } catch (error) {
      return date.toISOString().slice(0, 10);
    }
  }

  // What to tell the reader at `now`: open, on a break or closed, and until when.
  function status(data, now, lang) {
    var text = data.text, tz = data.tz;
    var local = localParts(now, data.timezone);
    var today = dayAfter(local, 0);
    var closure = data.closures[today.iso];
    var until = closure && (data.closed_until || {})[today.iso];
    var ranges = hoursOn(data, today);
    var result = { state: "closed", headline: text.closed, detail: "", weekday: local.weekday };

    if (closure && until && local.minute < minutes(until)) {
      result.today = fill(text.closed_until, { time: until, tz: tz, reason: closure });
    } else if (closure && !until) {
      result.today = fill(text.closed_today, { reason: closure });
    } else if (ranges.length) {
      result.today = fill(text.today, {
        hours: ranges.map(function (r) { return r[0] + "–" + r[1]; }).join(", ") + " " + tz
      });
    } else {
      result.today = text.today_closed;
    }

    for (var i = 0; i < ranges.length; i++) {
      var start = minutes(ranges[i][0]), end = minutes(ranges[i][1]);
      if (local.minute >= start && local.minute < end) {
        result.state = "open";
        result.headline = text.open;
        result.detail = fill(text.closes_at, { time: ranges[i][1], tz: tz });
        return result;
      }
      if (local.minute < start) {
        if (i > 0) {
          result.state = "break";
          result.headline = text["break"];
          result.detail = fill(text.reopens_at, { time: ranges[i][0], tz: tz });
        } else {
          result.detail = fill(text.opens_today, { time: ranges[i][0], tz: tz });
        }
        return result;
      }
    }

    // Closed for the rest of today: the next day that has hours and is no closure.
    for (var offset = 1; offset <= 60; offset++) {
      var day = dayAfter(local, offset);
      var hours = hoursOn(data, day);
      if (hours.length) {
        result.detail = offset === 1
          ? fill(text.opens_tomorrow, { time: hours[0][0], tz: tz })
          : fill(text.opens_on, {
            day: data.days[day.weekday], date: longDate(day.date, lang), time: hours[0][0], tz: tz
          });
        break;
      }
    }
    return result;
  }

  function clock() {
    return window.INFOHUB_NOW ? new Date(window.INFOHUB_NOW) : new Date();
  }

  // The hub: one line per office, "Open now · closes at 16:00 WITA".
  function renderDirectory(data) {
    var now = clock();
    var lang = document.documentElement.lang || "id";
    document.querySelectorAll("[data-infohub-office-now]").forEach(function (element) {
      var office = data.offices[element.getAttribute("data-infohub-office-now")];
      if (!office) {
        return;
      }
      var found = status({
        timezone: office.timezone, tz: office.tz, week: office.week, closures: office.closures,
        closed_until: office.closed_until, days: data.days, text: data.text
      }, now, lang);
      element.textContent = found.headline + (found.detail ? " · " + found.detail : "");
      element.className = "infohub-office__now infohub-office__now--" + found.state;
      element.setAttribute("data-state", found.state);
      element.hidden = false;
    });
  }

  function render(data) {
    var now = clock();
    var lang = document.documentElement.lang || "id";
    var found = status(data, now, lang);

    document.querySelectorAll("[data-infohub-now]").forEach(function (element) {
      var line = document.createElement("p");
      var headline = document.createElement("strong");
      headline.className = "infohub-now__state";
      headline.textContent = found.headline;
      line.appendChild(headline);
      if (found.detail) {
        line.appendChild(document.createTextNode(" · " + found.detail));
      }
      var today = document.createElement("p");
      today.className = "infohub-now__today";
      today.textContent = found.today;
      element.replaceChildren(line, today);
      element.className = "infohub-now infohub-now--" + found.state;
      element.setAttribute("data-state", found.state);
      element.hidden = false;
    });

    var key = DAY_KEYS[found.weekday];
    document.querySelectorAll("[data-days]").forEach(function (row) {
      var isToday = row.getAttribute("data-days").split(" ").indexOf(key) >= 0;
      row.classList.toggle("infohub-today", isToday);
      if (isToday) {
        row.setAttribute("aria-current", "date");
      } else {
        row.removeAttribute("aria-current");
      }
    });
  }

  // A banner built with its end (data-infohub-ends, partials/infohub/alert.html) leaves at that
  // moment, whenever the page was built or opened: no request is made. The banner strip goes
  // with its last alert.
  function removeEnded() {
    var now = clock(), next = Infinity;
    document.querySelectorAll("[data-infohub-ends]").forEach(function (alert) {
      var ends = new Date(alert.getAttribute("data-infohub-ends"));
      if (isNaN(ends)) {
        return;
      }
      if (now >= ends) {
        var strip = alert.closest(".md-banner");
        alert.remove();
        if (strip && !strip.querySelector(".infohub-alert")) {
          strip.remove();
        }
      } else {
        next = Math.min(next, ends - now);
      }
    });
    if (next < Infinity) {
      window.setTimeout(removeEnded, Math.min(next, 2147483647));  // the longest delay a timer takes
    }
  }

  function start() {
    removeEnded();
    [["infohub-hours", render], ["infohub-directory-hours", renderDirectory]].forEach(function (pair) {
      var source = document.getElementById(pair[0]);
      if (!source) {
        return;
      }
      var data = JSON.parse(source.textContent);
      pair[1](data);
      // A page left open keeps telling the truth.
      window.setInterval(function () { pair[1](data); }, 60 * 1000);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
