// The checker's module worker: Pyodide from our own origin, our wheel, one Python function.
//
// Protocol (JSON strings across the boundary, nothing else):
//   in:  {id, call, answers, now}   answers: the answers object as a JSON string; now: ISO or null
//        {id, figures}              the SME class helper: figures as a JSON string (bridge.classify_json)
//        {id, profile, now}         screening: a profile as a JSON string (bridge.screen_json)
//        {id, profile, project}     what the call `project` reads of a profile (bridge.project_json)
//   out: {type: "ready", ms, phases} once, when Python and the checker are loaded (ms since the worker
//                                    started; phases: the same clock at each loading step: import of
//                                    pyodide.mjs and python-package.js, the runtime, our wheel in and
//                                    the checker imported)
//        {type: "progress", loaded, total}  bytes of the runtime received so far, of its total
//        {type: "result", id, json} the JSON string returned by checker.bridge.evaluate_json
//        {type: "fatal", message}   loading failed; no result will come
//
// The runtime's files come into the Cache Storage as they arrive (the same responses, never a second
// download), in the cache `RUNTIME.cache`, where the site's service worker looks for them.
// `RUNTIME.wheel`: our wheel's file name, with the integrity (its sha256, from the lockfile) it is fetched with;
// `RUNTIME.wasm`: the WebAssembly file's name and size.
// `RUNTIME.bytes`: what the browser receives of the runtime's files, the standard library as Pyodide receives it
// (a zip of `RUNTIME.stdlib.unpacked` bytes, decoded by the browser from its brotli file), or, where the host
// sends only the gzip file as it is (`RUNTIME.stdlib.gzip` bytes, which the worker unpacks), so much less.
const RUNTIME = { folder: "../pyodide/", bytes: 0, stdlib: { unpacked: 0, gzip: 0 }, wasm: { name: "", bytes: 0 }, cache: "", wheel: { name: "", integrity: "" } }; // completed at build time (hooks/checker.py)
const PYODIDE = new URL(RUNTIME.folder, import.meta.url).href;

// ---------------------------------------------------------------------------------------------
// Download progress: bytes of fetched files as they stream, scripts (imported, so not fetched here)
// when they complete (resource timing). Posted at most every PROGRESS_MS, and when the last byte is in.
const PROGRESS_MS = 150;
let received = 0;
let total = RUNTIME.bytes;
let postedAt = 0;

function progress(bytes) {
  received += bytes;
  const now = performance.now();
  if (received >= total || now - postedAt >= PROGRESS_MS) {
    postedAt = now;
    self.postMessage({ type: "progress", loaded: Math.min(received, total), total });
  }
}

/** Count the bytes of a copy of a response as they arrive (the original goes on untouched: its URL
 * keeps the browser's compiled-code cache of the .wasm working), telling `seen` of each chunk's. */
async function count(copy, seen = () => {}) {
  if (!copy.body) return;
  const reader = copy.body.getReader();
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      progress(chunk.value.byteLength);
      seen(chunk.value.byteLength);
    }
  } catch {
    // The download failed: the original response reports it to Pyodide.
  }
}

async function keep(url, response) {
  try {
    await (await caches.open(RUNTIME.cache)).put(url, response);
  } catch {
    // No Cache Storage (a privacy mode, a full quota): the checker works, offline use does not.
  }
}

// The WebAssembly, the runtime's largest file: Python starts only once it is in, so it is the file whose last
// byte matters. `wasmEnding` resolves one round trip before that last byte is due, at the rate its bytes are
// arriving (the round trip: its own request's), or when it is in (or failed), whichever comes first.
const WASM = PYODIDE + RUNTIME.wasm.name;
const RATE_WINDOW_MS = 1000; // the rate is the last second's: the link is shared with the other files at first
let wasmEnds;
const wasmEnding = new Promise((resolve) => {
  wasmEnds = resolve;
});

/** A `seen` for `count`: calls `near` once the rest of `size` bytes would arrive within `lead` ms. */
function dueWithin(size, lead, near) {
  const start = performance.now();
  const samples = [[start, 0]]; // [time, bytes received by then]
  let got = 0;
  return (bytes) => {
    got += bytes;
    const now = performance.now();
    samples.push([now, got]);
    while (samples.length > 2 && now - samples[1][0] >= RATE_WINDOW_MS) samples.shift();
    const [then, before] = samples[0];
    const rate = (got - before) / (now - then); // bytes a ms
    if (got >= size || (now - start >= lead && rate > 0 && (size - got) / rate <= lead)) near();
  };
}

const networkFetch = self.fetch.bind(self);
let packing; // python-package.js, imported by `start` before any fetch of the runtime
/** `fetch` keeping the runtime's responses in the cache and counting their bytes (but a `.br` file that the
 * host sent without `Content-Encoding: br`: `unpackingFetch` drops it for the gzip one). */
const keepingFetch = async (input, init) => {
  const asked = performance.now();
  const response = await networkFetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (!url.startsWith(PYODIDE) || !response.ok) return response;
  if (url === PYODIDE + packing.BROTLI_STDLIB && !packing.decodedByBrowser(response, "br")) return response;
  if (url === PYODIDE + packing.PACKED_STDLIB && !packing.decodedByBrowser(response, "gzip")) {
    total -= RUNTIME.stdlib.unpacked - RUNTIME.stdlib.gzip; // its bytes as sent, unpacked only after
  }
  if (self.caches) keep(url, response.clone());
  if (url !== WASM) count(response.clone());
  else count(response.clone(), dueWithin(RUNTIME.wasm.bytes, performance.now() - asked, wasmEnds)).then(wasmEnds);
  return response;
};

if (typeof PerformanceObserver !== "undefined") {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name.startsWith(PYODIDE) && entry.initiatorType !== "fetch") progress(entry.decodedBodySize);
    }
  }).observe({ type: "resource", buffered: true });
}

const started = performance.now();
let evaluate = null;
let classify = null;
let screen = null;
let project = null;

/** The screening page: every call's result for a profile, or what one call reads of it. */
function screening(request) {
  return request.project ? project(request.project, request.profile) : screen(request.profile, request.now || null);
}
const queue = [];

function fatal(message) {
  self.postMessage({ type: "fatal", message: String(message) });
}

function answer(request) {
  let json;
  try {
    json = request.figures !== undefined ? classify(request.figures)
      : request.profile !== undefined ? screening(request)
        : evaluate(request.call, request.answers, request.now || null);
  } catch (err) {
    json = JSON.stringify({ error: { path: "", message: "Errore interno della verifica: " + String(err) } });
  }
  self.postMessage({ type: "result", id: request.id, json });
}

self.onmessage = (event) => {
  if (evaluate) answer(event.data);
  else queue.push(event.data);
};

async function start() {
  if (typeof WebAssembly === "undefined") {
    throw new Error("WebAssembly non è disponibile in questo browser");
  }
  const phases = {};
  const mark = (name) => {
    phases[name] = Math.round(performance.now() - started);
  };
  if (typeof DecompressionStream === "undefined") {
    throw new Error("questo browser non sa decomprimere i file del motore: manca DecompressionStream");
  }
  let loadPyodide;
  [{ loadPyodide }, packing] = await Promise.all([import(PYODIDE + "pyodide.mjs"), import("./python-package.js")]);
  const { PACKAGE, PYTHON_ENV, installWheel, unpackingFetch } = packing;
  mark("import");
  self.fetch = unpackingFetch(keepingFetch, PYODIDE); // what Pyodide's requests go through
  const booted = loadPyodide({
    indexURL: PYODIDE,
    lockFileURL: PYODIDE + "pyodide-lock.json",
    env: PYTHON_ENV,
    stdout: () => {},
    stderr: () => {},
  });
  // Our wheel is asked for as the WebAssembly ends (`wasmEnding`; or once the runtime is up, should the
  // WebAssembly not come through this fetch): on a slow link it does not take bandwidth from the file
  // Python waits for, and it arrives while Python starts, which needs it only after.
  const wheel = Promise.race([wasmEnding, booted])
    .then(() => self.fetch(PYODIDE + RUNTIME.wheel.name, { integrity: RUNTIME.wheel.integrity }))
    .then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    });
  wheel.catch(() => {}); // reported below, once the runtime is up
  const pyodide = await booted;
  mark("runtime");
  let bytes;
  try {
    bytes = await wheel;
  } catch (err) {
    throw new Error(`il pacchetto ${PACKAGE} non si è scaricato: ${err && err.message ? err.message : err}`);
  }
  installWheel(pyodide, RUNTIME.wheel.name, bytes);
  const bridge = pyodide.pyimport("checker.bridge");
  evaluate = bridge.evaluate_json;
  classify = bridge.classify_json;
  screen = bridge.screen_json;
  project = bridge.project_json;
  mark("import_checker");
  self.postMessage({ type: "ready", ms: Math.round(performance.now() - started), phases });
  while (queue.length) answer(queue.shift());
}

start().catch((err) => fatal(err && err.message ? err.message : err));
