// Hài Lòng kiosk service worker, served as /kiosk/sw.js (scope /kiosk) with
// VERSION and SHELL (the page and its hashed assets) prepended by the server.
// It keeps the kiosk shell so that a reload while the server or network is
// down still shows the kiosk. Answers never pass through here: the page
// queues them itself (kiosk.js).
/* global VERSION, SHELL */
"use strict";
var CACHE = "hailong-kiosk-" + VERSION;

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("hailong-kiosk-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (e) {
  var req = e.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    // Hashed URLs never change: the cache first.
    e.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req).then(keep(req)); }));
  } else if (url.pathname === "/kiosk" && !url.search) {
    // Not state.json: a stale copy would mislead the page's clock correction.
    e.respondWith(networkFirst(req));
  }
});

function keep(req) {
  return function (res) {
    if (res.ok) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { return c.put(req, copy); });
    }
    return res;
  };
}

// networkFirst asks the server (giving up after 5 s) and falls back to the
// last good copy, so the kiosk still opens while the server is down.
function networkFirst(req) {
  var timer;
  var timeout = new Promise(function (_, reject) { timer = setTimeout(reject, 5000); });
  return Promise.race([fetch(req), timeout]).then(function (res) {
    clearTimeout(timer);
    if (res.status >= 500) { throw new Error("server error " + res.status); }
    // Keep the kiosk page, never a notice (unpaired, …).
    if (!res.headers.get("X-Hailong-Kiosk")) { return res; }
    return keep("/kiosk")(res);
  }).catch(function (err) {
    clearTimeout(timer);
    return caches.match("/kiosk").then(function (hit) {
      if (hit) { return hit; }
      throw err;
    });
  });
}
