// How the checker's Python runs in Pyodide, the same in the site's worker (worker.js) and in Node (the
// build's trace of the standard library, the parity tests).

// The environment loadPyodide is given. Pyodide has no time-zone database (the checker reads its own zone
// file: checker/timezone.py): an empty PYTHONTZPATH says so to zoneinfo, which would otherwise import the
// build's configuration (sysconfig's 48 KB data module) to look for one.
export const PYTHON_ENV = { PYTHONTZPATH: "" };

// The checker's wheel: written into Pyodide's file system as it is and put first on sys.path, so that
// Python imports the package from the archive (zipimport): no install step, and none of the package
// loader's own imports (tarfile, importlib.metadata, email).
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
