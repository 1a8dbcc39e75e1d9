// The page's side of the checker's worker (worker.js, started by boot.js while the page's <head> is read),
// for the checker pages (loading.js takes it over) and the screening page (screen.js): `takeWorker` takes it
// over and passes on its news while it loads; `ask` sends it one question and resolves with its answer.

let worker = null;
let ready = false;
let failed = false;
let requestSeq = 0;
const pending = new Map(); // request id -> {resolve, reject}

/** Ask the worker (`message` without its id); resolves with the parsed JSON it answers, rejects if it cannot
 * answer (it did not start, or failed to load). Asked before it is ready, it answers once it is. */
export function ask(message) {
  return new Promise((resolve, reject) => {
    if (failed || !worker) {
      reject(new Error("unavailable"));
      return;
    }
    const id = ++requestSeq;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...message });
  });
}

function giveUp() {
  failed = true;
  for (const { reject } of pending.values()) reject(new Error("unavailable"));
  pending.clear();
}

/**
 * Take over the worker boot.js started. Until it is ready, `events` hears its news: `progress(loaded, total)`,
 * the runtime's bytes received so far; `ready(message)` ({ms, phases}: worker.js); or a failure, `error(event)`
 * (the worker did not start) or `fatal(message)` (Python did not load), after which `ask` rejects. Returns what
 * boot.js gives: {worker, startedAt, startError}, `worker` null if it could not start.
 */
export function takeWorker(events) {
  const receive = (event) => {
    if (event.type === "error") {
      if (ready) return;
      giveUp();
      events.error?.(event);
      return;
    }
    const msg = event.data;
    if (msg.type === "result") {
      const entry = pending.get(msg.id);
      pending.delete(msg.id);
      if (entry) entry.resolve(JSON.parse(msg.json));
    } else if (msg.type === "ready") {
      ready = true;
      failed = false;
      events.ready?.(msg);
    } else if (msg.type === "progress") {
      if (!ready && !failed) events.progress?.(msg.loaded, msg.total);
    } else if (msg.type === "fatal" && !ready) {
      giveUp();
      events.fatal?.(msg.message);
    }
  };
  const boot = globalThis.checkerBoot; // the page's first script (assets/checker/boot.js)
  const started = boot ? boot.take(receive) : { worker: null, startedAt: null, startError: null };
  worker = started.worker;
  return started;
}
