// Starts the checker's worker as soon as the page's <head> is read (an async module script), so
// Python loads while the browser is still building the page. checker.js takes the worker over with
// `takeWorker` and receives every event the worker sent before it was listening, in order.
const startedAt = Math.round(performance.now());
const early = [];
let deliver = (event) => early.push(event);
let worker = null;
let startError = null;

if (typeof WebAssembly !== "undefined" && typeof Worker !== "undefined") {
  try {
    worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
    worker.addEventListener("message", (event) => deliver(event));
    worker.addEventListener("error", (event) => {
      event.preventDefault(); // the page says it in its own words (checker.js)
      deliver(event);
    });
  } catch (err) {
    startError = err;
  }
}

/** The worker (null if it could not start: see `startError`) and when it started; `listener`
 * gets every message and error event of the worker, those already received first. */
export function takeWorker(listener) {
  for (const event of early.splice(0)) listener(event);
  deliver = listener;
  return { worker, startedAt, startError };
}
