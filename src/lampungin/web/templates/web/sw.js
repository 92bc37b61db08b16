/* Lampung In service worker: the app shell offline, an offline page for navigations.
   Rendered by lampungin.web.pwa.service_worker; VERSION changes with the shell's content. */
"use strict";
const VERSION = "__VERSION__";
const SHELL = {{ shell|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const REPORT_URL = {{ report_url|safe }};
const LOGOUT_URL = {{ logout_url|safe }};
const STATIC_PREFIX = {{ static_prefix|safe }};
const SHELL_CACHE = "lampungin-shell-" + VERSION;
// The last good copy of the report form, so that a report can be written with no signal.
const PAGE_CACHE = "lampungin-pages";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      // Static URLs carry their content hash, so a copy in the HTTP cache is the right one.
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("lampungin-shell-") && key !== SHELL_CACHE)
          .map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

function fromNetworkElseOffline(request, url) {
  return fetch(request)
    .then((response) => {
      if (url.pathname === REPORT_URL && response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(PAGE_CACHE).then((cache) => cache.put(REPORT_URL, copy));
      }
      return response;
    })
    .catch(() => {
      const fallback = url.pathname === REPORT_URL ? caches.match(REPORT_URL, { cacheName: PAGE_CACHE }) : Promise.resolve(undefined);
      return fallback.then((page) => page || caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE }))
        .then((page) => page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } }));
    });
}

// A report posted while the browser believed it was online, but the network failed: keep it
// in the same IndexedDB outbox that /lapor/ sends from (same record as lapor.js makes), and
// show the form again, which lists it as waiting and sends it once there is a connection.
function keepReport(form) {
  const get = (name) => String(form.get(name) || "").trim();
  const lat = get("lat");
  const lng = get("lng");
  const item = {
    key: get("idempotency_key") || self.crypto.randomUUID(),
    savedAt: new Date().toISOString(),
    fields: {
      report_type: get("report_type"), category: get("category"), title: get("title"),
      description: get("description"), privacy: get("privacy"),
      region: get("district") || get("regency"), lat: lat && lng ? lat : "", lng: lat && lng ? lng : "",
      address: get("address"),
    },
    label: get("title") || get("description").slice(0, 80),
    photos: form.getAll("photos").filter((f) => f && f.size).map((f) => ({ name: f.name, type: f.type, blob: f })),
    error: "",
  };
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("lampungin", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("outbox", { keyPath: "key" });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("outbox", "readwrite");
      tx.objectStore("outbox").put(item);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
}

function postReportOrKeepIt(request) {
  const copy = request.clone();
  return fetch(request).catch((networkError) =>
    copy.formData()
      .then(keepReport)
      .then(() => Response.redirect(REPORT_URL, 303))
      .catch(() => { throw networkError; })
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT_URL) {
    // A signed-out browser keeps no copy of a signed-in page.
    event.waitUntil(caches.delete(PAGE_CACHE));
    return;
  }
  if (request.method === "POST" && request.mode === "navigate" && url.pathname === REPORT_URL) {
    event.respondWith(postReportOrKeepIt(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkElseOffline(request, url));
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    // Static URLs carry their content hash (?v=…): a cached copy is always the right one.
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
  }
});

// Web push (docs/messaging.md): the payload is {title, body, url}; a tap opens the url.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data && event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Lampung In", {
    body: data.body || "", data: { url: data.url || "/akun/notifikasi/" }, icon: STATIC_PREFIX + "lampungin/icons/icon-192.png",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
