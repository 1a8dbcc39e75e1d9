// The usual way of running a Python package in a MkDocs site with Pyodide (the benchmark's baseline):
// stock Pyodide 0.29.5 (npm files unmodified, stock lockfile) on the main thread, the package's
// source files fetched and written into the Pyodide file system, then imported. No worker, no wheel,
// no byte-compilation. Same deep-link format and the same test hook (#checker-result) as the site.
import { loadPyodide } from "./stock/pyodide.mjs";

const result = document.getElementById("checker-result");
const call = new URLSearchParams(location.search).get("call");
const token = location.hash.startsWith("#answers=") ? location.hash.slice("#answers=".length) : "";

function decode(b64url) {
  const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(b64 + "===".slice((b64.length + 3) % 4)), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

async function main() {
  const [pyodide, manifest] = await Promise.all([
    loadPyodide({ indexURL: new URL("./stock/", import.meta.url).href }),
    fetch("src/manifest.json").then((r) => r.json()),
  ]);
  const files = await Promise.all(manifest.map(async (name) => [name, new Uint8Array(await (await fetch("src/" + name)).arrayBuffer())]));
  for (const [name, data] of files) {
    const path = "/home/pyodide/" + name;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, data);
  }
  const evaluate = pyodide.pyimport("checker.bridge").evaluate_json;
  const out = JSON.parse(evaluate(call, decode(token), null));
  result.dataset.state = "ready";
  if (out.result) {
    if (out.result.grant) result.dataset.grantAmount = out.result.grant.amount.toFixed(2);
    result.dataset.verdict = out.result.verdict;
  } else {
    result.dataset.state = "error";
  }
  // For the in-page evaluation measure: a direct call on the main thread, per answer change.
  window.runEval = (args) => args.variants.map((answers) => {
    const t0 = performance.now();
    evaluate(args.call, answers, null);
    return performance.now() - t0;
  });
}

main().catch((err) => { result.dataset.state = "error"; result.textContent = String(err); });
