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

  // The calendar's grid: rows of five minutes from data-first (minutes after midnight).
  var ROW_MINUTES = 5;

  function rowHeight(body) {
    return parseFloat(window.getComputedStyle(body).gridAutoRows) || 8;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function clock(minute) {
    return pad(Math.floor(minute / 60) % 24) + ":" + pad(minute % 60);
  }

  // The minute under a y coordinate in a column body, rounded to the row.
  function minuteAt(body, y) {
    var grid = body.closest(".cal-grid");
    var first = parseInt(grid.getAttribute("data-first"), 10) || 0;
    var rows = Math.round((y - body.getBoundingClientRect().top) / rowHeight(body));
    return first + Math.max(0, rows) * ROW_MINUTES;
  }

  // Snapped to the service's grid, which starts where the working stretch starts.
  function snapped(column, minute, step) {
    var anchor = 0;
    column.querySelectorAll(".band[data-start]").forEach(function (band) {
      var start = parseInt(band.getAttribute("data-start"), 10);
      var end = parseInt(band.getAttribute("data-end"), 10);
      if (minute >= start - step / 2 && minute < end) anchor = start;
    });
    return anchor + Math.max(0, Math.round((minute - anchor) / step)) * step;
  }

  function columnAt(x, y) {
    var under = document.elementFromPoint(x, y);
    return under && under.closest ? under.closest(".cal-col[data-staff]") : null;
  }

  // Drag a block to another time or column: on drop, the usual confirmation page opens with
  // the new staff member and time filled in (the same checks as the reschedule form).
  var drag = null;

  document.addEventListener("pointerdown", function (event) {
    var block = event.target.closest && event.target.closest(".block[data-move]");
    if (!block || event.button !== 0) return;
    var rect = block.getBoundingClientRect();
    drag = {
      block: block,
      x: event.clientX,
      y: event.clientY,
      grabY: event.clientY - rect.top,
      moved: false,
      label: block.querySelector(".block-time"),
      text: block.querySelector(".block-time").textContent,
    };
  });

  function target(event) {
    var column = columnAt(event.clientX, event.clientY);
    if (!column) return null;
    var body = column.querySelector(".cal-col-body");
    var step = parseInt(drag.block.getAttribute("data-step"), 10) || ROW_MINUTES;
    var minute = snapped(column, minuteAt(body, event.clientY - drag.grabY), step);
    return { column: column, minute: minute };
  }

  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x;
    var dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 6) return;
    if (!drag.moved) {
      drag.moved = true;
      drag.block.classList.add("dragging");
    }
    event.preventDefault();
    drag.block.style.transform = "translate(" + dx + "px, " + dy + "px)";
    var place = target(event);
    if (place) {
      var heading = place.column.querySelector(".cal-col-head");
      drag.label.textContent = clock(place.minute) + " · " + heading.textContent.trim();
    }
  });

  function endDrag() {
    drag.block.classList.remove("dragging");
    drag.block.style.transform = "";
    drag.label.textContent = drag.text;
    drag = null;
  }

  document.addEventListener("pointerup", function (event) {
    if (!drag) return;
    if (!drag.moved) {
      drag = null;
      return;
    }
    var place = target(event);
    var block = drag.block;
    endDrag();
    // The click that follows a drag must not open the appointment.
    block.addEventListener("click", function (click) { click.preventDefault(); }, { once: true });
    if (!place) return;
    var column = place.column;
    var url = new URL(block.getAttribute("data-move"), window.location.href);
    url.searchParams.set("staff", column.getAttribute("data-staff"));
    url.searchParams.set(
      "start",
      column.getAttribute("data-day") + "T" + clock(place.minute) + column.getAttribute("data-offset")
    );
    window.location.assign(url.pathname + url.search);
  });

  document.addEventListener("pointercancel", function () {
    if (drag) endDrag();
  });

  // A click on an empty stretch of a staff member's column books that staff member then.
  document.addEventListener("click", function (event) {
    var body = event.target.closest && event.target.closest(".cal-col > .cal-col-body");
    if (!body || event.defaultPrevented || event.target.closest("a, button")) return;
    var column = body.closest(".cal-col[data-staff]");
    var grid = body.closest(".cal-grid[data-book]");
    if (!column || !grid) return;
    var minute = Math.floor(minuteAt(body, event.clientY - rowHeight(body) / 2) / 15) * 15;
    var url = new URL(grid.getAttribute("data-book"), window.location.href);
    url.searchParams.set("staff", column.getAttribute("data-staff"));
    url.searchParams.set("date", column.getAttribute("data-day"));
    url.searchParams.set("time", clock(minute));
    window.location.assign(url.pathname + url.search);
  });

  // Check-in: scan the customer's QR code with the camera where the browser can read QR codes
  // itself (the BarcodeDetector API, no library); typing the code always works.
  var scanButton = document.querySelector("[data-scan]");
  if (scanButton) {
    var canScan =
      "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
    if (!canScan) {
      var unavailable = document.querySelector("[data-scan-unavailable]");
      if (unavailable) unavailable.hidden = false;
    } else {
      scanButton.hidden = false;
      var scanner = document.querySelector("[data-scanner]");
      var video = document.querySelector("[data-scan-video]");
      var stream = null;
      var stopScan = function () {
        if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
        stream = null;
        scanner.hidden = true;
      };
      document.querySelector("[data-scan-stop]").addEventListener("click", stopScan);
      scanButton.addEventListener("click", function () {
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        navigator.mediaDevices
          .getUserMedia({ video: { facingMode: "environment" } })
          .then(function (media) {
            stream = media;
            video.srcObject = media;
            scanner.hidden = false;
            return video.play();
          })
          .then(function look() {
            if (!stream) return;
            detector.detect(video).then(function (codes) {
              var digits = codes.length ? codes[0].rawValue.replace(/\D/g, "") : "";
              if (digits) {
                var form = scanButton.closest("form");
                form.querySelector("[name=code]").value = digits;
                stopScan();
                form.submit();
              } else {
                window.setTimeout(look, 250);
              }
            }, function () { window.setTimeout(look, 250); });
          })
          .catch(function () {
            stopScan();
            document.querySelector("[data-scan-unavailable]").hidden = false;
          });
      });
    }
  }
})();
