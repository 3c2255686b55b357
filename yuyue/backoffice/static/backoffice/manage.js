// Yuyue back office: everything works without this file; it only makes the pages smoother.
// Moving between days (previous, next, today, the date picker, the shop and "mine" filters)
// swaps the calendar in place instead of reloading the whole page, as the customer picker does.
(function () {
  "use strict";

  // web/app.js (loaded first) does the swapping, as it does for the customer picker.
  function swapCalendar(url, push) {
    window.Yuyue.swapRegion("[data-calendar]", url, push, function (fresh) {
      var heading = fresh.querySelector("h1");
      if (heading) heading.setAttribute("tabindex", "-1");
      return heading;
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

  // The poster's Print button (no inline script: the CSP forbids it).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  window.addEventListener("popstate", function () {
    if (document.querySelector("[data-calendar]")) swapCalendar(window.location.href, false);
  });
})();
