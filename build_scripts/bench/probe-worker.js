// Diagnostic twin of the site's worker (same runtime, same wheel, same call): times the Python call
// inside the worker, so the benchmark can split an answer change into Python time and messaging.
import { PYTHON_ENV, installWheel, unpackingFetch, wheelName } from "../assets/checker/python-package.js";

const PYODIDE = new URL("../assets/pyodide/", import.meta.url).href;
self.fetch = unpackingFetch(self.fetch.bind(self), PYODIDE);
const { loadPyodide } = await import(PYODIDE + "pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: PYODIDE, lockFileURL: PYODIDE + "pyodide-lock.json", env: PYTHON_ENV });
const wheel = wheelName(await (await fetch(PYODIDE + "pyodide-lock.json")).json());
installWheel(pyodide, wheel, new Uint8Array(await (await fetch(PYODIDE + wheel)).arrayBuffer()));
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
