/* Enhancement only: every portal page works without this file. */
(function () {
  "use strict";
  // Print buttons (the handout, the print view): a button rather than "press Ctrl+P".
  var printers = document.querySelectorAll("[data-print]");
  for (var i = 0; i < printers.length; i++) {
    printers[i].hidden = false;
    printers[i].addEventListener("click", function () { window.print(); });
  }
  var exit = document.getElementById("quick-exit");
  if (exit) {
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      var left = false;
      var leave = function () {
        if (left) return;
        left = true;
        // replace(): the portal page does not stay in the back history.
        location.replace(navigator.onLine ? exit.href : exit.getAttribute("data-exit"));
      };
      setTimeout(leave, 700);
      var jobs = [];
      if (window.caches) {
        jobs.push(caches.keys().then(function (keys) {
          return Promise.all(keys.map(function (k) { return caches.delete(k); }));
        }));
      }
      if (navigator.serviceWorker) {
        jobs.push(navigator.serviceWorker.getRegistrations().then(function (regs) {
          return Promise.all(regs.map(function (r) { return r.unregister(); }));
        }));
      }
      Promise.all(jobs).then(leave, leave);
    });
  }
  // "You are offline: this is the saved copy" when the network cannot be reached. A tiny HEAD
  // request that the service worker lets through tells more truly than navigator.onLine.
  var note = document.getElementById("offline");
  var check = function () {
    if (!note) return;
    fetch("/m/sw.js", { method: "HEAD", cache: "no-store" }).then(
      function () { note.hidden = true; },
      function () { note.hidden = false; }
    );
  };
  addEventListener("online", check);
  addEventListener("offline", check);
  check();
  if (document.body.hasAttribute("data-offline") && "serviceWorker" in navigator) {
    var firstVisit = !navigator.serviceWorker.controller;
    navigator.serviceWorker.register("/m/sw.js", { scope: "/m/" }).then(function () {
      // On the very first visit the worker did not see this page load: save it now, so
      // the page opens offline after one visit.
      if (!window.caches) return;
      caches.open("hamroh-portal-v1").then(function (c) {
        var jobs = [];
        if (firstVisit) jobs.push(c.add(location.pathname + location.search));
        // The print / "show at the office" page is what is needed where there is no signal.
        var copies = document.querySelectorAll("a[data-offline-copy]");
        for (var j = 0; j < copies.length; j++) jobs.push(c.add(copies[j].pathname));
        return Promise.all(jobs);
      }).catch(function () {});
    }).catch(function () {});
  }
})();
