// How the checker's wheel goes into a Pyodide runtime, the same in the site's worker (worker.js) and in
// Node (the build's trace of the standard library, the parity tests): written into Pyodide's file system
// as it is and put first on sys.path, so that Python imports the package from the archive (zipimport) —
// no install step, and none of the package loader's own imports (tarfile, importlib.metadata, email).
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
