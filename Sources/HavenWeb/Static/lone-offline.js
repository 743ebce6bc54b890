// The service worker for the lone-working pages (scope /lone-working/): it keeps the last copy of each session
// page the worker opened, and the page's CSS and script, so the page opens without signal during a visit. The
// network is always tried first: a copy is only shown when the phone cannot reach the server. A page the server
// no longer gives (signed out, not theirs) is dropped from the copy. Signing out clears it all (Clear-Site-Data).
"use strict";
var CACHE = "haven-lone-working-v1";
var ASSETS = ["/static/haven.css", "/static/lone-session.js"];
var SESSION_PAGE = /^\/lone-working\/sessions\/[^/]+$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = SESSION_PAGE.test(url.pathname);
  if (!page && ASSETS.indexOf(url.pathname) < 0) { return; }
  // One copy per page, whatever its query (?done=check-in).
  var key = url.origin + url.pathname;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok && !response.redirected) { return cache.put(key, response.clone()).then(function () { return response; }); }
      if (page) { return cache.delete(key).then(function () { return response; }); }
      return response;
    }, function (error) {
      return cache.match(key).then(function (copy) { if (copy) { return copy; } throw error; });
    });
  }));
});
