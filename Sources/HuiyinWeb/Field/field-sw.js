// The field page's service worker: keeps the page's own files so it opens without a connection.
// It never caches the API: reports wait in the page's IndexedDB outbox, and what the server says is
// always asked afresh. The cache is named after the release, so a new release replaces it.
"use strict";
const PREFIX = "huiyin-field-";
const CACHE = PREFIX + "__VERSION__";
const SHELL = ["/field", "/field/field.js", "/field/field.css", "/field/manifest.webmanifest", "/field/icon.svg"];
// On a weak signal a request can hang: after this long the cached copy answers instead.
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function fromNetwork(request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("slow network")), NETWORK_WAIT_MS);
    fetch(request).then((response) => { clearTimeout(timer); resolve(response); }, (error) => { clearTimeout(timer); reject(error); });
  });
}

// Network first (a new release shows at once when online), the cached copy when the network fails.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !SHELL.includes(url.pathname)) return;
  event.respondWith(fromNetwork(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  }).catch(() => caches.match(url.pathname).then((cached) => cached || Response.error())));
});
