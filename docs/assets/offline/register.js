// Registers the site's service worker (build_scripts/hooks/offline.py): after one visit the guide
// and the checker work without a network, and repeat visits load from the local cache.
// An external module on every page (no inline script: the Content-Security-Policy forbids them).
//
// The worker precaches the whole release (Pyodide included), so it is registered only once the
// page has finished its own work: after `load`, and on a checker page once the checker is ready
// or has failed, never competing with the first verdict for the network.

const worker = new URL("../../sw.js", import.meta.url);

function checkerSettled() {
  const result = document.getElementById("checker-result");
  if (!result) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => result.dataset.state && result.dataset.state !== "loading";
    if (done()) return resolve();
    const observer = new MutationObserver(() => {
      if (done()) { observer.disconnect(); resolve(); }
    });
    observer.observe(result, { attributes: true, attributeFilter: ["data-state"] });
    setTimeout(() => { observer.disconnect(); resolve(); }, 30000);
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
  loaded().then(checkerSettled).then(idle).then(() =>
    navigator.serviceWorker.register(worker, { updateViaCache: "none" })
  ).catch(() => {
    // No offline copy (private browsing, storage full, file:// ...): the site works as before.
  });
}
