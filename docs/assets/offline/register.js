// Registers the site's service worker (build_scripts/hooks/offline.py): after one visit the guide
// and the checker work without a network, and repeat visits load from the local cache.
// An external module on every page (no inline script: the Content-Security-Policy forbids them).
//
// Registering downloads nothing. Only once the page is idle, and on a checker page once the checker
// has its verdict (or has failed), the page asks the worker to cache the rest of the guide ("warm"),
// and the Python runtime too if this page loaded it: never competing with what the visitor came for.

const worker = new URL("../../sw.js", import.meta.url);

/** Resolves when the checker of this page is ready (true) or has failed (false); at once elsewhere. */
function checkerSettled() {
  const result = document.getElementById("checker-result");
  if (!result) return Promise.resolve(false);
  return new Promise((resolve) => {
    const state = () => result.dataset.state;
    if (state() && state() !== "loading") return resolve(state() === "ready");
    const observer = new MutationObserver(() => {
      if (state() && state() !== "loading") {
        observer.disconnect();
        resolve(state() === "ready");
      }
    });
    observer.observe(result, { attributes: true, attributeFilter: ["data-state"] });
  });
}

function loaded() {
  return document.readyState === "complete"
    ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
}

function idle() {
  return new Promise((resolve) => ("requestIdleCallback" in window
    ? requestIdleCallback(() => resolve(), { timeout: 2000 })
    : setTimeout(resolve, 200)));
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  loaded().then(idle).then(() => navigator.serviceWorker.register(worker, { updateViaCache: "none" }))
    .then(() => Promise.all([navigator.serviceWorker.ready, checkerSettled()]))
    .then(([registration, runtime]) => idle().then(() => registration.active.postMessage({ type: "warm", runtime })))
    .catch(() => {
      // No offline copy (private browsing, storage full, file:// ...): the site works as before.
    });
}
