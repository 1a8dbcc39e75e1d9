import { unpackingFetch } from "../assets/checker/python-package.js";

const PYODIDE = new URL("../assets/pyodide/", import.meta.url).href;
self.fetch = unpackingFetch(self.fetch.bind(self), PYODIDE); // the standard library ships packed, as the worker gets it
try {
  const { loadPyodide } = await import(PYODIDE + "pyodide.mjs");
  await loadPyodide({ indexURL: PYODIDE, lockFileURL: PYODIDE + "pyodide-lock.json" });
  self.postMessage({ ok: true });
} catch (err) {
  self.postMessage({ ok: false, message: String(err) });
}
