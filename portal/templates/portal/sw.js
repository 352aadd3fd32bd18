{% load static %}/* Hamroh portal service worker: the last copy of each page stays available offline. */
"use strict";
var CACHE = "hamroh-portal-v1"; // portal.js saves the first page under the same name
var ASSETS = ["{% static 'portal/portal.css' %}", "{% static 'portal/portal.js' %}"];
var SKIP = ["/m/", "/m/exit/", "/m/sw.js"];

// The cache key of a page: its path, and the language when that is the only query.
function savedKey(url) {
  var lang = url.searchParams.get("lang");
  var others = url.search.replace(/^\?/, "").split("&").filter(function (part) {
    return part && part.indexOf("lang=") !== 0;
  });
  if (others.length) return null; // other queries are not saved
  return url.origin + url.pathname + (lang ? "?lang=" + encodeURIComponent(lang) : "");
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.mode === "navigate" && url.pathname.indexOf("/m/") === 0 && SKIP.indexOf(url.pathname) < 0) {
    // Network first (fresh when online), the saved copy when offline: one per page and
    // language chosen (?lang=tg), so the language switch works offline too.
    var plain = url.origin + url.pathname;
    var key = savedKey(url);
    event.respondWith(fetch(req).then(function (resp) {
      if (resp.ok && resp.type === "basic" && key) {
        var copy = resp.clone();
        caches.open(CACHE).then(function (c) { return c.put(key, copy); });
      } else if (resp.status === 404) {
        // A revoked or expired link: forget its saved copy too.
        caches.open(CACHE).then(function (c) { return c.delete(key); });
      }
      return resp;
    }).catch(function () {
      // A language never opened online: the page in the language last saved.
      return caches.match(key || plain).then(function (hit) {
        return hit || caches.match(plain);
      }).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (resp) {
        var copy = resp.clone();
        caches.open(CACHE).then(function (c) { return c.put(req, copy); });
        return resp;
      });
    }));
  }
});
