// The floor: a module worker that only runs loadPyodide() on the site's own byte-compiled runtime
// (/assets/pyodide/), as the checker's worker does, without loading our wheel or evaluating.
const result = document.getElementById("checker-result");
const worker = new Worker(new URL("bare-worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  result.dataset.state = event.data.ok ? "ready" : "error";
  if (event.data.ok) result.dataset.verdict = "ready";
  else result.textContent = event.data.message;
};
