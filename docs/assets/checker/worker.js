// The checker's module worker: Pyodide from our own origin, our wheel, one Python function.
//
// Protocol (JSON strings across the boundary, nothing else):
//   in:  {id, call, answers, now}   answers: the answers object as a JSON string; now: ISO or null
//   out: {type: "ready", ms, phases} once, when Python and the checker are loaded (ms since the worker
//                                    started; phases: the same clock at each loading step: import of
//                                    pyodide.mjs, runtime with our package, import of the checker)
//        {type: "result", id, json} the JSON string returned by checker.bridge.evaluate_json
//        {type: "fatal", message}   loading failed; no result will come
const PYODIDE = new URL("../pyodide/", import.meta.url).href;
const PACKAGE = "bandi-checker";

const started = performance.now();
let evaluate = null;
const queue = [];

function fatal(message) {
  self.postMessage({ type: "fatal", message: String(message) });
}

function answer(request) {
  let json;
  try {
    json = evaluate(request.call, request.answers, request.now || null);
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
  const { loadPyodide } = await import(PYODIDE + "pyodide.mjs");
  mark("import");
  const problems = [];
  const pyodide = await loadPyodide({
    indexURL: PYODIDE,
    lockFileURL: PYODIDE + "pyodide-lock.json",
    // Our wheel (the lockfile's only entry) downloads and installs while the runtime boots.
    packages: [PACKAGE],
    stdout: () => {},
    stderr: (line) => problems.push(line),
  });
  mark("runtime");
  // A package that fails to load does not make loadPyodide throw: fail loudly rather than run without it.
  if (!pyodide.loadedPackages[PACKAGE]) {
    throw new Error(`il pacchetto ${PACKAGE} non si è caricato` + (problems.length ? ": " + problems.join("; ") : ""));
  }
  evaluate = pyodide.pyimport("checker.bridge").evaluate_json;
  mark("import_checker");
  self.postMessage({ type: "ready", ms: Math.round(performance.now() - started), phases });
  while (queue.length) answer(queue.shift());
}

start().catch((err) => fatal(err && err.message ? err.message : err));
