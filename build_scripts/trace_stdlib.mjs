// What the checker imports of the standard library in Pyodide (build_scripts/bundle.py, `trace_stdlib`).
// argv[2]: a runtime folder (pyodide.mjs, the npm standard library zip in full, pyodide-lock.json with
// our wheel). stdin: JSON [{fn, args}], calls of checker.bridge's functions. Loads the runtime as the
// site's worker does (loadPyodide, then our wheel put on sys.path by the worker's own `installWheel`),
// makes every call, lets one Python error cross into JavaScript (Pyodide formats its traceback), then
// prints the zip members of every module imported by then, by Pyodide's start-up or the checker: a JSON
// list, sorted. With argv[3] `--start-up`, only loadPyodide(): what Pyodide's start-up imports alone
// (no wheel, no stdin; `make bench` reports what it weighs).
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { PYTHON_ENV, installWheel, wheelName } from "../docs/assets/checker/python-package.js";

const dir = path.resolve(process.argv[2]) + path.sep;
const { loadPyodide } = await import(pathToFileURL(dir + "pyodide.mjs").href);
const pyodide = await loadPyodide({
  indexURL: dir, lockFileURL: dir + "pyodide-lock.json", env: PYTHON_ENV, stdout: () => {},
});
if (process.argv[3] !== "--start-up") await runChecker();

async function runChecker() {
  const wheel = wheelName(JSON.parse(await readFile(dir + "pyodide-lock.json", "utf-8")));
  installWheel(pyodide, wheel, new Uint8Array(await readFile(dir + wheel)));
  let input = "";
  process.stdin.setEncoding("utf-8");
  for await (const chunk of process.stdin) input += chunk;
  const bridge = pyodide.pyimport("checker.bridge");
  for (const { fn, args } of JSON.parse(input)) {
    const out = bridge[fn](...args);
    if (typeof out !== "string") throw new Error(`checker.bridge.${fn} returned ${typeof out}`);
  }
  try {
    pyodide.runPython("1 / 0");
  } catch {
    // Expected: the error's message was formatted by Python.
  }
}
// Only modules found by the zip importer count: built-in and frozen ones are not read from the zip.
const members = pyodide.runPython(`
import sys
_zip = next(p for p in sys.path if p.endswith(".zip")) + "/"
__import__("json").dumps(sorted({
    m.__spec__.origin[len(_zip):] for m in list(sys.modules.values())
    if getattr(m, "__spec__", None) and (m.__spec__.origin or "").startswith(_zip)}))
`);
process.stdout.write(members);
