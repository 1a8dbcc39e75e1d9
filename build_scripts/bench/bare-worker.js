const PYODIDE = new URL("../assets/pyodide/", import.meta.url).href;
try {
  const { loadPyodide } = await import(PYODIDE + "pyodide.mjs");
  await loadPyodide({ indexURL: PYODIDE, lockFileURL: PYODIDE + "pyodide-lock.json" });
  self.postMessage({ ok: true });
} catch (err) {
  self.postMessage({ ok: false, message: String(err) });
}
