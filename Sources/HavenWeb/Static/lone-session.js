// The worker's session page with poor signal. The countdown keeps going from the expected end the page was given,
// so it stays right offline. A check-in is sent in the background; if it cannot reach the server it is kept in
// localStorage, the page says plainly that the server has not received it (so the worker knows their buddy may be
// told), and it is sent as soon as the phone is back online. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  var due = document.getElementById("lone-due");
  var countdown = document.getElementById("lone-countdown");
  var form = document.getElementById("lone-checkin");
  var notice = document.getElementById("lone-offline");
  var key = "haven.lone-working.pending-check-in";

  function minutesText(end) {
    var left = Math.floor((end - Date.now()) / 60000);
    if (left >= 0) { return left + " minute" + (left === 1 ? "" : "s") + " left"; }
    return (-left) + " minute" + (left === -1 ? "" : "s") + " past the expected end";
  }

  // The service worker keeps a copy of this page so it opens without signal (Static/lone-offline.js).
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register("/static/lone-offline.js", { scope: "/lone-working/" }).catch(function () {});
  }

  if (due && countdown) {
    var end = Date.parse(due.getAttribute("data-end"));
    if (!isNaN(end)) {
      var tick = function () { countdown.textContent = minutesText(end); };
      tick();
      window.setInterval(tick, 15000);
    }
  }
  if (!form || !notice || !window.fetch || !window.localStorage) { return; }
  var session = form.getAttribute("data-session");

  function pending() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (error) { return null; }
  }

  function clock(at) {
    var time = new Date(at);
    return ("0" + time.getHours()).slice(-2) + ":" + ("0" + time.getMinutes()).slice(-2);
  }

  function show(item) {
    if (!item || item.session !== session) { notice.hidden = true; notice.textContent = ""; return; }
    notice.hidden = false;
    notice.textContent = "The server has not received your check-in from " + clock(item.at) + ". It will be sent as soon as you have signal. "
      + "Until then your due time has not moved, and your buddy will be told if it passes.";
  }

  function send(item) {
    return window.fetch(item.action, {
      method: "POST", credentials: "same-origin", redirect: "follow",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: item.body
    }).then(function (response) {
      // The server answered: whatever it said, the check-in is no longer waiting for signal.
      window.localStorage.removeItem(key);
      if (response.ok) {
        window.location.assign(response.url || item.action.replace(/\/check-in$/, "") + "?done=check-in");
      } else {
        notice.hidden = false;
        notice.textContent = "The server refused the check-in (" + response.status + "). Reload this page to see why.";
      }
    });
  }

  function retry() {
    var item = pending();
    if (item && item.session === session) { send(item).catch(function () { show(item); }); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var item = { session: session, action: form.getAttribute("action"), body: new URLSearchParams(new FormData(form)).toString(), at: Date.now() };
    window.localStorage.setItem(key, JSON.stringify(item));
    send(item).catch(function () { show(item); });
  });
  window.addEventListener("online", retry);
  show(pending());
  retry();
  // Some phones never fire "online" after a tunnel; try again every half minute while something waits.
  window.setInterval(function () { if (pending()) { retry(); } }, 30000);
})();
