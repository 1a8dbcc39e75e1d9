// How the checker's Python runs in Pyodide, the same in the site's worker (worker.js), in the bench's
// workers and, but for the fetch, in Node (the build's trace of the standard library, the parity tests).

// The environment loadPyodide is given. Pyodide has no time-zone database (the checker reads its own zone
// file: checker/timezone.py): an empty PYTHONTZPATH says so to zoneinfo, which would otherwise import the
// build's configuration (sysconfig's 48 KB data module) to look for one.
export const PYTHON_ENV = { PYTHONTZPATH: "" };

// The standard library crosses the network packed (build_scripts/bundle.py): a zip whose members are stored,
// compressed as one stream, twice. Pyodide asks for STDLIB; `unpackingFetch(fetch, folder)` is a fetch that
// answers it with BROTLI_STDLIB where the host sends it with `Content-Encoding: br` (the browser has decoded
// it: the smaller file), else with PACKED_STDLIB (gzip) unpacked by the browser (DecompressionStream), and
// anything else as `fetch` does. A host that sends `.gz` files with `Content-Encoding: gzip` has had the
// browser unpack it already: gzip's magic number tells which.
export const STDLIB = "python_stdlib.zip";
export const BROTLI_STDLIB = STDLIB + ".br";
export const PACKED_STDLIB = STDLIB + ".gz";

/** Whether the browser decoded `response` from `coding` ("br", "gzip"): its host sent it with that
 * `Content-Encoding` (or its `x-` name). A `.br` file sent without it gives the brotli stream itself, which
 * no browser API decodes: its body is then not worth a byte more (the worker neither counts nor keeps it). */
export function decodedByBrowser(response, coding) {
  return new RegExp(`(^|,)\\s*(x-)?${coding}\\s*(,|$)`, "i").test(response.headers.get("Content-Encoding") || "");
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": a zip's first local header

/** `response`'s body, if it is a zip (its first bytes tell, read here), as a new response; else null and
 * the body cancelled. A host that compressed the `.br` file once more would give brotli bytes here. */
async function zipOrNull(response) {
  const reader = response.body.getReader();
  const head = [];
  let size = 0;
  while (size < ZIP_MAGIC.length) {
    const { done, value } = await reader.read();
    if (done) break;
    head.push(value);
    size += value.byteLength;
  }
  const first = new Uint8Array(size);
  head.reduce((at, chunk) => (first.set(chunk, at), at + chunk.byteLength), 0);
  if (!ZIP_MAGIC.every((byte, i) => first[i] === byte)) {
    reader.cancel().catch(() => {});
    return null;
  }
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(first);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/zip" } });
}

/** The stored zip from BROTLI_STDLIB, or null: not there, not decoded by the browser, or offline with only
 * PACKED_STDLIB kept. */
async function fromBrotli(fetch, url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    return null;
  }
  if (!response.ok || !response.body || !decodedByBrowser(response, "br")) {
    if (response.body) response.body.cancel().catch(() => {});
    return null;
  }
  return zipOrNull(response);
}

export function unpackingFetch(fetch, folder) {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== folder + STDLIB) return fetch(input, init);
    const decoded = await fromBrotli(fetch, folder + BROTLI_STDLIB, init);
    if (decoded) return decoded;
    const response = await fetch(folder + PACKED_STDLIB, init);
    if (!response.ok) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const packed = bytes[0] === 0x1f && bytes[1] === 0x8b;
    const body = packed ? new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")) : bytes;
    return new Response(body, { headers: { "Content-Type": "application/zip" } });
  };
}

// The checker's wheel, the lockfile's one package (`wheelName(lockfile)`, the lockfile parsed; the site's
// worker has it from the build): written into Pyodide's file system as it is and put first on sys.path, so
// that Python imports the package from the archive (zipimport): no install step, and none of the package
// loader's own imports (tarfile, importlib.metadata, email).
export const PACKAGE = "bandi-checker";

export function wheelName(lockfile) {
  return lockfile.packages[PACKAGE].file_name;
}

// `bytes`: the wheel's bytes (a Uint8Array); `name`: its file name. Returns where it was written.
export function installWheel(pyodide, name, bytes) {
  const path = "/lib/" + name;
  pyodide.FS.writeFile(path, bytes);
  const sys = pyodide.pyimport("sys");
  try {
    sys.path.insert(0, path);
  } finally {
    sys.destroy();
  }
  return path;
}
