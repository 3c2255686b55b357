// Yuyue back office: everything works without this file; it only makes the pages smoother.
// Moving between days (previous, next, today, the date picker, the shop and "mine" filters)
// swaps the calendar in place instead of reloading the whole page, as the customer picker does.
(function () {
  "use strict";

  function swapCalendar(url, push) {
    var calendar = document.querySelector("[data-calendar]");
    if (!calendar || !window.fetch || !window.DOMParser) {
      window.location.href = url;
      return;
    }
    calendar.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-calendar]");
        if (!fresh) throw new Error("no calendar");
        calendar.replaceWith(fresh);
        document.title = doc.title;
        if (push) window.history.pushState({ calendar: true }, "", url);
        var here = new URL(url, window.location.href);
        document.querySelectorAll("input[data-here]").forEach(function (input) {
          input.value = here.pathname + here.search;
        });
        var heading = fresh.querySelector("h1");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus({ preventScroll: true });
        }
      })
      .catch(function () {
        window.location.href = url;
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-swap-calendar]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    swapCalendar(link.href, true);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-calendar-form")) return;
    event.preventDefault();
    var url = new URL(form.action, window.location.href);
    new FormData(form).forEach(function (value, key) {
      url.searchParams.set(key, value);
    });
    swapCalendar(url.pathname + url.search, true);
  });

  window.addEventListener("popstate", function () {
    if (document.querySelector("[data-calendar]")) swapCalendar(window.location.href, false);
  });
})();
