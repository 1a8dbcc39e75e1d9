"""MkDocs hook: the few third-party browser modules the site ships, copied from node_modules/.

Each entry of `VENDORED` is a file of an npm package (declared in package.json, pinned in
package-lock.json, installed by `npm ci`) and the site path it is published at, next to the module
that imports it. It is added in memory with `File.generated` (nothing is written into docs/), before
the fingerprint hook, which gives it a content-hashed name and rewrites the relative import that
names it. Self-hosted like the Pyodide runtime: no CDN, and the Content-Security-Policy allows no
other origin. A missing package stops the build.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"

# site path -> (npm package, file inside the package). Each file is an ES module with no imports,
# no eval and no dependencies; its licence notice travels in its first lines.
VENDORED = {
    # QR codes of the checker's printed summary (docs/assets/checker/qr.js); MIT.
    "assets/checker/vendor/qrcode.mjs": ("qrcode-generator", "dist/qrcode.mjs"),
}


def source(package: str, path: str) -> Path:
    """The file `path` of the installed npm `package`, checked against the version package.json pins."""
    manifest = NODE_MODULES / package / "package.json"
    if not manifest.is_file():
        raise PluginError(f"vendor: node_modules/{package} mancante: esegui `npm ci` (`make setup`)")
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"].get(package)
    installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if pinned != installed:
        raise PluginError(f"vendor: node_modules/{package} è la versione {installed}, package.json chiede {pinned}: "
                          "esegui `npm ci`")
    file = NODE_MODULES / package / path
    if not file.is_file():
        raise PluginError(f"vendor: manca node_modules/{package}/{path}")
    return file


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for uri, (package, path) in VENDORED.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"vendor: «{uri}» viene da node_modules/{package}: rimuovi docs/{uri}")
        text = source(package, path).read_text(encoding="utf-8")
        files.append(File.generated(config, uri, content=text))
    return files
