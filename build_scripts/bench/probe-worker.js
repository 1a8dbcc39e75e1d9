// Diagnostic twin of the site's worker (same runtime, same wheel, same call): times the Python call
// inside the worker, so the benchmark can split an answer change into Python time and messaging.
const PYODIDE = new URL("../assets/pyodide/", import.meta.url).href;
const { loadPyodide } = await import(PYODIDE + "pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: PYODIDE, lockFileURL: PYODIDE + "pyodide-lock.json" });
await pyodide.loadPackage(["bandi-checker"], { messageCallback: () => {} });
const evaluate = pyodide.pyimport("checker.bridge").evaluate_json;
self.onmessage = (event) => {
  const { call, variants } = event.data;
  const times = variants.map((answers) => {
    const t0 = performance.now();
    evaluate(call, answers, null);
    return performance.now() - t0;
  });
  self.postMessage(times);
};
self.postMessage("ready");
