// How the checker's Python runs in Pyodide, the same in the site's worker (worker.js), in the bench's
// workers and, but for the fetch, in Node (the build's trace of the standard library, the parity tests).

// The environment loadPyodide is given. Pyodide has no time-zone database (the checker reads its own zone
// file: checker/timezone.py): an empty PYTHONTZPATH says so to zoneinfo, which would otherwise import the
// build's configuration (sysconfig's 48 KB data module) to look for one.
export const PYTHON_ENV = { PYTHONTZPATH: "" };

// The standard library crosses the network packed (build_scripts/bundle.py, PACKED_STDLIB): one gzip stream
// of a zip whose members are stored. Pyodide asks for STDLIB; `unpackingFetch(fetch, folder)` is a fetch
// that answers it with PACKED_STDLIB unpacked by the browser (DecompressionStream), and anything else as
// `fetch` does. A host that sends `.gz` files with `Content-Encoding: gzip` has had the browser unpack it
// already: gzip's magic number tells which.
export const STDLIB = "python_stdlib.zip";
export const PACKED_STDLIB = STDLIB + ".gz";

export function unpackingFetch(fetch, folder) {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== folder + STDLIB) return fetch(input, init);
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
