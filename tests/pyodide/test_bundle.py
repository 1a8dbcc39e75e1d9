"""The Pyodide bundle the site ships (site/assets/pyodide/): only what the checker needs, all local.

A lockfile entry without its file would make `loadPackage` reach for a CDN; a sha256 that does not
match would make the browser refuse the wheel; an uncompiled standard library would be slower.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from build_scripts import bundle

EXPECTED_RUNTIME = {"pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}


def test_the_bundle_holds_the_runtime_and_our_wheel_only(site_dir: Path) -> None:
    folder = bundle.site_runtime(site_dir)
    entry = bundle.verify(folder)
    names = {p.name for p in folder.iterdir()}
    assert names == EXPECTED_RUNTIME | {entry["file_name"]}
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    assert list(lock["packages"]) == ["bandi-checker"]
    assert lock["info"]["python"].startswith("3.13")
    wheel = folder / str(entry["file_name"])
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    with zipfile.ZipFile(wheel) as archive:
        files = archive.namelist()
    assert "checker/bridge.pyc" in files and "checker/bridge.py" not in files  # byte-compiled
    assert "checker/zones/Europe/Rome" in files and "checker/rules/filiere-2022.toml" in files
    with zipfile.ZipFile(folder / "python_stdlib.zip") as stdlib:
        stdlib_files = set(stdlib.namelist())
    assert "json/__init__.pyc" in stdlib_files and "json/__init__.py" not in stdlib_files
    tops = {name.split("/", 1)[0].removesuffix(".pyc") for name in stdlib_files}
    assert not tops & bundle.STDLIB_EXCLUDE, "trimmed modules are back in the standard library"
    assert {"json", "decimal", "zoneinfo", "tomllib", "asyncio", "email", "encodings"} <= tops
    codecs = {name.removeprefix("encodings/").removesuffix(".pyc") for name in stdlib_files
              if name.startswith("encodings/") and not name.endswith("/")}
    assert codecs == bundle.ENCODINGS_KEPT, "only the codecs kept, each of them byte-compiled"


def test_the_runtime_files_are_the_npm_ones(site_dir: Path) -> None:
    folder = bundle.site_runtime(site_dir)
    for name in bundle.RUNTIME_FILES:
        assert (folder / name).read_bytes() == (bundle.NPM_DIR / name).read_bytes(), name


def test_the_wheel_holds_every_file_of_the_package(tmp_path: Path) -> None:
    wheel = bundle.build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        record = archive.read("bandi_checker-1.0.0.dist-info/RECORD").decode()
    assert {name for name, _ in bundle.package_files()} <= names
    assert len(record.splitlines()) == len(names)
    again = tmp_path / "again"
    again.mkdir()
    assert bundle.build_wheel(again).read_bytes() == wheel.read_bytes()  # reproducible: same sources, same bytes
