"""The Pyodide bundle the site ships (site/assets/pyodide/): only what the checker needs, all local.

A lockfile entry without its file would make `loadPackage` reach for a CDN; a sha256 that does not
match would make the browser refuse the wheel; an uncompiled standard library would be slower, and one
with modules nothing imports heavier (the parity tests check that nothing the checker needs is missing).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import zipfile
from pathlib import Path

from build_scripts import bundle
from checker import catalogue

EXPECTED_RUNTIME = {"pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip.br",
                    "python_stdlib.zip.gz", "pyodide-lock.json"}
# Modules neither Pyodide's start-up nor the checker imports in the browser (a sample): never shipped.
NEVER_IMPORTED = {"argparse", "csv", "doctest", "http", "pydoc", "sqlite3", "tomllib", "unittest", "xml", "xmlrpc"}


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
    assert "checker/zones/Europe/Rome" in files and "checker/calls/filiere-2022.pickle" in files
    # The rules compiled in place of their TOML, and no command line: the browser reads and runs neither.
    assert not [name for name in files if name.endswith(".toml")] and "checker/__main__.pyc" not in files
    with bundle.stdlib_archive(folder) as stdlib:
        stdlib_files = set(stdlib.namelist())
        stored = {item.compress_type for item in stdlib.infolist()}
    assert stored == {zipfile.ZIP_STORED}, "members compressed one by one: the packed stream would gain nothing"
    assert "json/__init__.pyc" in stdlib_files and "json/__init__.py" not in stdlib_files
    assert not any(name.endswith(".py") for name in stdlib_files), "a module left uncompiled"
    tops = {name.split("/", 1)[0].removesuffix(".pyc") for name in stdlib_files}
    assert not tops & NEVER_IMPORTED, "modules nothing imports are in the standard library"
    assert {"json", "decimal", "zoneinfo", "pickle", "asyncio", "_pyodide", "pyodide", "encodings"} <= tops
    codecs = {name.removeprefix("encodings/").removesuffix(".pyc") for name in stdlib_files
              if name.startswith("encodings/") and not name.endswith("/")}
    assert {"__init__", "aliases", "utf_8"} <= codecs and not codecs & {"cp1252", "latin_1", "big5", "mac_roman"}


def test_the_standard_library_is_what_the_trace_finds_compiled_reproducibly(site_dir: Path, tmp_path: Path) -> None:
    """The shipped zip is exactly the modules the trace finds imported (run again here, on the site's own
    runtime with the npm standard library in full), and compiling them again gives the same bytes."""
    shipped = bundle.site_runtime(site_dir)
    folder = tmp_path / "runtime"
    shutil.copytree(shipped, folder)
    shutil.copyfile(bundle.NPM_DIR / bundle.STDLIB, folder / bundle.STDLIB)
    members = bundle.trace_stdlib(folder)
    with bundle.stdlib_archive(shipped) as stdlib:
        files = {name for name in stdlib.namelist() if not name.endswith("/")}
        module = stdlib.read("json/__init__.pyc")
    assert files == {name + "c" for name in members if name.endswith(".py")}
    again = tmp_path / "again"
    again.mkdir()
    bundle.build_stdlib(again, members)
    for packed in (bundle.BROTLI_STDLIB, bundle.PACKED_STDLIB):
        assert (again / packed).read_bytes() == (shipped / packed).read_bytes(), f"{packed}: other bytes"
    # Sourceless and hash-based (PEP 552: flags 1, unchecked); compiled without docstrings.
    assert module[:4] == importlib.util.MAGIC_NUMBER and module[4:8] == (1).to_bytes(4, "little")
    assert b"JSON (JavaScript Object Notation)" not in module


def test_the_start_up_trace_is_pyodide_alone(site_dir: Path) -> None:
    """`make bench` weighs Pyodide's own floor from the start-up-only trace: the modules Pyodide imports
    before any of ours (its event loop among them), all shipped, none of those only the checker needs."""
    start_up = set(bundle.trace_stdlib(bundle.NPM_DIR, start_up_only=True))
    with bundle.stdlib_archive(bundle.site_runtime(site_dir)) as stdlib:
        shipped = {name.removesuffix("c") for name in stdlib.namelist() if name.endswith(".pyc")}
    assert {"pyodide/__init__.py", "asyncio/__init__.py", "encodings/__init__.py"} <= start_up < shipped
    assert not {m for m in start_up if m.startswith(("decimal", "zoneinfo", "pickle", "dataclasses"))}


def test_the_runtime_files_are_the_npm_ones(site_dir: Path) -> None:
    folder = bundle.site_runtime(site_dir)
    for name in bundle.RUNTIME_FILES:
        assert (folder / name).read_bytes() == (bundle.NPM_DIR / name).read_bytes(), name


def test_the_wheel_holds_every_file_of_the_package_the_browser_reads(tmp_path: Path) -> None:
    """Every file of the package, but the command line and the TOML of the records compiled in its place."""
    wheel = bundle.build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        record = archive.read("bandi_checker-1.0.0.dist-info/RECORD").decode()
    files = {name for name, _ in bundle.package_files()}
    left_out = {name for name in files if name.endswith(".toml")} | set(bundle.NOT_IN_THE_BROWSER)
    assert left_out <= files and len(left_out) == len(catalogue.call_ids()) + 2  # the calls, the SME definition
    assert files - left_out <= names and not left_out & names
    assert {name.removesuffix(".toml") + ".pickle" for name in left_out if name.endswith(".toml")} <= names
    assert len(record.splitlines()) == len(names)
    again = tmp_path / "again"
    again.mkdir()
    assert bundle.build_wheel(again).read_bytes() == wheel.read_bytes()  # reproducible: same sources, same bytes
