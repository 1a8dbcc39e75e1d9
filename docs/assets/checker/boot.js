// Starts the checker's worker while the page's <head> is still being read. The build inlines this
// file right after <meta charset> (build_scripts/hooks/checker.py; its hash goes into the CSP): a
// classic inline script runs the moment it is parsed, before any stylesheet or script is fetched,
// so Python loads while the browser builds the page. The worker's URL is the script's data-worker.
// worker-client.js takes the worker over with `checkerBoot.take(listener)`: the listener first gets every
// message and error event the worker sent before anyone listened, in order, then the later ones.
(() => {
  const startedAt = Math.round(performance.now());
  const early = [];
  let deliver = (event) => early.push(event);
  let worker = null;
  let startError = null;
  if (typeof WebAssembly !== "undefined" && typeof Worker !== "undefined") {
    try {
      worker = new Worker(new URL(document.currentScript.dataset.worker, document.baseURI), { type: "module" });
      worker.addEventListener("message", (event) => deliver(event));
      worker.addEventListener("error", (event) => {
        event.preventDefault(); // the page says it in its own words (checker.js)
        deliver(event);
      });
    } catch (err) {
      startError = err;
    }
  }
  window.checkerBoot = {
    /** The worker (null if it could not start: see `startError`) and when it started. */
    take(listener) {
      for (const event of early.splice(0)) listener(event);
      deliver = listener;
      return { worker, startedAt, startError };
    },
  };
})();
