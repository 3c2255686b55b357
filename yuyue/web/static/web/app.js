// Yuyue customer pages: everything works without this file; it only makes the pages smoother.
// - Choosing a staff member or a day swaps the picker in place instead of reloading the page.
// - A form sends once: a second tap on "Book now" while the first is on its way does nothing.
// - "Send the code again" counts down the seconds until another code may be asked for.
(function () {
  "use strict";

  // Swaps one region of the page (the picker here, the calendar in the back office) for the
  // same region of `url`; `focus` names what to focus in the fresh region.
  function swapRegion(selector, url, push, focus) {
    var region = document.querySelector(selector);
    if (!region || !window.fetch || !window.DOMParser) {
      window.location.href = url;
      return;
    }
    region.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector(selector);
        if (!fresh) throw new Error("nothing to swap");
        region.replaceWith(fresh);
        document.title = doc.title;
        if (push) window.history.pushState({ swapped: selector }, "", url);
        followAddress(url);
        var current = focus(fresh);
        if (current && current.focus) current.focus({ preventScroll: true });
      })
      .catch(function () {
        window.location.href = url;
      });
  }

  function swapPicker(url, push) {
    swapRegion("[data-picker]", url, push, function (fresh) {
      return fresh.querySelector(".day.selected") || fresh.querySelector("h2");
    });
  }

  window.Yuyue = { swapRegion: swapRegion };

  // Links and forms that come back "here" (log in, switch language) must carry the address
  // the picker now shows, as they would after a full page load.
  function followAddress(url) {
    var here = new URL(url, window.location.href);
    var path = here.pathname + here.search;
    document.querySelectorAll("input[data-here]").forEach(function (input) {
      input.value = path;
    });
    document.querySelectorAll("a[data-here-link]").forEach(function (link) {
      var target = new URL(link.href, window.location.href);
      target.searchParams.set("next", path);
      link.href = target.pathname + target.search;
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-swap]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    swapPicker(link.href, true);
  });

  window.addEventListener("popstate", function () {
    if (document.querySelector("[data-picker]")) swapPicker(window.location.href, false);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // Disable after the browser has read the submitter's name and value into the request.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // The pay page: ask every few seconds whether the booking was paid, then move on.
  var poll = document.querySelector("[data-poll]");
  if (poll && window.fetch) {
    var ask = function () {
      fetch(poll.dataset.poll, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (state) {
          if (state && !state.awaiting) {
            window.location.href = poll.dataset.next;
          } else {
            window.setTimeout(ask, 3000);
          }
        })
        .catch(function () {
          window.setTimeout(ask, 6000);
        });
    };
    window.setTimeout(ask, 3000);
  }

  // A waitlist offer: the minutes and seconds it is still held, counted down from the
  // server's count (the page says until when in words too, for those without script).
  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var endsAt = Date.now() + 1000 * parseInt(countdown.dataset.countdown, 10);
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var seconds = String(left % 60);
      countdown.textContent = Math.floor(left / 60) + ":" + (seconds.length < 2 ? "0" : "") + seconds;
      if (left > 0) {
        window.setTimeout(tick, 1000);
      } else {
        window.location.reload();
      }
    };
    tick();
  }

  // Back/forward cache: a page restored from it may carry a form marked as sent.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
  // Opening a business: the booking link's name follows the business name until edited.
  var slugSource = document.querySelector("[data-slug-source]");
  var slugField = document.querySelector("[data-slug]");
  var slugPreview = document.querySelector("[data-slug-preview]");
  if (slugSource && slugField) {
    var edited = slugField.value !== "";
    var pending = null;
    var showSlug = function () {
      if (slugPreview) slugPreview.textContent = slugField.value || "…";
    };
    slugField.addEventListener("input", function () {
      edited = slugField.value !== "";
      showSlug();
    });
    slugSource.addEventListener("input", function () {
      if (edited) return;
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        var url = "/signup/slug?name=" + encodeURIComponent(slugSource.value);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (body) {
            if (body && !edited) {
              slugField.value = body.slug;
              showSlug();
            }
          })
          .catch(function () {});
      }, 250);
    });
  }

  // A button with data-countdown="N" waits N seconds; its label says how long is left.
  document.querySelectorAll("button[data-countdown]").forEach(function (button) {
    var left = parseInt(button.dataset.countdown, 10) || 0;
    if (left <= 0) return;
    var label = button.textContent;
    var template = button.dataset.countdownLabel || "{n}";
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = template.replace("{n}", String(left));
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();
