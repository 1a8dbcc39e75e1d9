// Evaluate many answers objects under the Pyodide runtime the site ships, in one session.
// argv[2]: the site's assets/pyodide/ folder; argv[3]: its standard library unpacked (a zip).
// stdin: JSON [{call, answers, now, screen, sme}].
// stdout: JSON {load_ms, errors, results: [string, ...], ...} (each result exactly as evaluate_json returned it,
// or, for a request with `screen: true`, as screen_json returned it for the profile `answers`, with `sme: true`,
// as classify_json returned it for the figures `answers`), and `traceback`: two formatted tracebacks.
// Python runs as in the site's worker (its `PYTHON_ENV`, its `installWheel`).
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { PYTHON_ENV, installWheel, wheelName } from "../../docs/assets/checker/python-package.js";

const dir = path.resolve(process.argv[2]) + path.sep;
const { loadPyodide } = await import(pathToFileURL(dir + "pyodide.mjs").href);
const started = performance.now();
const errors = [];
const pyodide = await loadPyodide({
  indexURL: dir,
  lockFileURL: dir + "pyodide-lock.json",
  stdLibURL: path.resolve(process.argv[3]),
  env: PYTHON_ENV,
  stdout: () => {},
  stderr: (line) => errors.push(line),
});
const wheel = wheelName(JSON.parse(await readFile(dir + "pyodide-lock.json", "utf-8")));
installWheel(pyodide, wheel, new Uint8Array(await readFile(dir + wheel)));
const bridge = pyodide.pyimport("checker.bridge");
const evaluate = bridge.evaluate_json;
const screen = bridge.screen_json;
const classify = bridge.classify_json;
const loadMs = performance.now() - started;
let input = "";
process.stdin.setEncoding("utf-8");
for await (const chunk of process.stdin) input += chunk;
const requests = JSON.parse(input);
// What a call's first verdict imports: the rules come compiled, so not the path that reads their TOML.
const first = requests.find((r) => !r.sme && !r.screen);
evaluate(first.call, first.answers, first.now ?? null);
const tomlPath = pyodide.runPython(
  "import sys; [m for m in ('checker.loader', 'checker.consistency', 'checker.toml_text') if m in sys.modules]").toJs();
const results = requests.map((r) => (r.sme ? classify(r.answers)
  : r.screen ? screen(r.answers, r.now ?? null) : evaluate(r.call, r.answers, r.now ?? null)));
const version = pyodide.runPython("import sys; sys.version.split()[0]");
const origin = pyodide.runPython("import checker; checker.__file__");
// Whether the rules were read compiled, as shipped (checker.compiled), or parsed from TOML.
const parsedToml = pyodide.runPython("import sys; 'tomllib' in sys.modules");
// A traceback through the standard library (shipped without source locations) and through the checker.
const traceback = pyodide.runPython(`
import json, traceback
from checker import catalogue
def formatted(fn):
    try:
        fn()
    except Exception:
        return traceback.format_exc()
formatted(lambda: json.loads("{")) + formatted(lambda: catalogue.get("nessun-bando"))
`);
process.stdout.write(JSON.stringify({
  load_ms: loadMs, errors, results, python: version, checker_file: origin, parsed_toml: parsedToml,
  toml_path: tomlPath, traceback,
}));
