"""The self-hosted Pyodide bundle of the browser checker, built once per content hash.

What the site ships under `assets/pyodide/<key>/` (`bundle_key`: a hash of every input):

- the Pyodide core from npm (`node_modules/pyodide`): `pyodide.mjs`, `pyodide.asm.js`,
  `pyodide.asm.wasm` as they are, and the standard library holding only the modules the checker
  imports in Pyodide, Pyodide's own start-up included, byte-compiled (`trace_stdlib`, `compile_stdlib`),
  shipped packed (`BROTLI_STDLIB`, `PACKED_STDLIB`);
- the `checker` package as a wheel, byte-compiled with `pyodide py-compile`, with each call's rules
  also compiled (validated now and pickled: see `checker.compiled`), and so the SME
  definition (`checker.sme.compiled_files`). The site's worker does not install it: it puts the
  wheel itself on `sys.path` and Python imports from the archive (docs/assets/checker/python-package.js);
- `pyodide-lock.json` holding that wheel only (Pyodide needs a lockfile to start; a lockfile entry without
  its file would make `loadPackage` fall back to a CDN), with its sha256, which the worker's fetch enforces.

Building takes a few seconds, so the result is kept in `.cache/pyodide-bundle/<hash>/`
at the repository root (outside `docs/` and `site/`), keyed by everything it is made of:
`mkdocs serve` rebuilds only copy it. Nothing here is committed.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
import inspect
import io
import json
import marshal
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import types
import zipfile
from pathlib import Path
from typing import Any

from build_scripts.fingerprint import content_tag
from checker import catalogue, compiled, sme

ROOT = Path(__file__).resolve().parent.parent
NPM_DIR = ROOT / "node_modules" / "pyodide"
PACKAGE_DIR = ROOT / "checker"
CACHE_DIR = ROOT / ".cache" / "pyodide-bundle"
WASM = "pyodide.asm.wasm"  # the runtime's WebAssembly, its largest file
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", WASM)
STDLIB = "python_stdlib.zip"  # the npm standard library, and the name Pyodide asks for
# The standard library as the site ships it: a zip whose members are stored, compressed as one stream, which
# Pyodide receives unpacked (docs/assets/checker/python-package.js, `unpackingFetch`). A zip's members are
# compressed one by one, so a host's gzip or brotli gains almost nothing on them; one stream finds what the
# modules have in common, and Python inflates nothing at each import. Twice: `BROTLI_STDLIB` (brotli at its
# best, 468 KB), which the browser decodes itself where the host sends it with `Content-Encoding: br` (the
# site's `_headers` and the hosting page's examples say so: build_scripts/hooks/security.py); else
# `PACKED_STDLIB` (gzip, 615 KB), which the worker unpacks (DecompressionStream has no brotli), whatever the
# host does.
BROTLI_STDLIB = STDLIB + ".br"
PACKED_STDLIB = STDLIB + ".gz"
STDLIB_BROTLI_QUALITY = 11
STDLIB_BROTLI_WINDOW = 24  # brotli's largest window (16 MB): the whole zip is one stream's history
LOCKFILE = "pyodide-lock.json"
PYODIDE_VERSION = "0.29.5"
PACKAGE_NAME = "bandi-checker"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same sources give the same wheel bytes
# Deflate level of the wheel once byte-compiled (`pyodide py-compile --compression-level`), which runs
# without the column tables of tracebacks' carets (PYTHONNODEBUGRANGES; the standard library below has no
# locations at all): the same code, the same line numbers. It compiles at OPTIMIZE, as the standard
# library: no docstrings (the browser never shows one) and no asserts (the checker's assert its own
# invariants, never check input). With the command line and the compiled records' TOML left out
# (`build_wheel`): 137 -> 99 KB.
ZIP_COMPRESSION_LEVEL = 9
# The standard library ships only what the trace finds imported (`trace_stdlib`): Node runs the runtime
# with the npm standard library in full and our wheel, as the site's worker loads them, calls the
# checker's bridge (`trace_requests`) and lists every module then imported from the zip. That is about
# 130 of its 540 modules, most for Pyodide's own start-up (asyncio, inspect, zipfile, shutil...). The
# parity tests (tests/pyodide/test_parity.py) run every case and invalid input under the shipped runtime:
# a module the trace missed fails them.
TRACE_SCRIPT = Path(__file__).with_name("trace_stdlib.mjs")
# How the worker starts Python and puts our wheel in, which the trace does too (so it is part of the key).
INSTALL_SCRIPT = ROOT / "docs" / "assets" / "checker" / "python-package.js"
# The traced modules are byte-compiled here (`compile_stdlib`), as `python -OO` would (without docstrings
# and asserts: 1.38 -> 0.88 MB deflated), and without source locations (`without_locations`): a traceback
# through the standard library reads «line None» in the browser (the checker's own modules keep theirs, and
# the command line runs CPython's standard library), which takes the packed archive from 721 to 615 KB,
# half a second of the phone's link. Sourceless, as Pyodide imports the standard library: hash-based pycs
# (PEP 552, unchecked) and fixed zip dates, so the same inputs give the same bytes.
OPTIMIZE = 2


class BundleError(RuntimeError):
    """The bundle cannot be built (missing runtime, wrong Python, a failing tool)."""


def _project_version() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


NOT_SOURCES = (".pyc", ".pyo", compiled.COMPILED)  # made from the sources, never taken from the tree
NOT_IN_THE_BROWSER = ("checker/__main__.py",)  # the command line: the browser's wheel leaves it out


def package_files() -> list[tuple[str, Path]]:
    """The files of the `checker` package as the wheel holds them (no caches, no bytecode)."""
    out = []
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in NOT_SOURCES:
            out.append((f"checker/{path.relative_to(PACKAGE_DIR).as_posix()}", path))
    return out


def bundle_key() -> str:
    """A hash of everything the bundle is made of: it keys the cache and names the bundle's folder in
    the site (`assets/pyodide/<key>/`), so a page always loads the runtime and rules of its release."""
    digest = hashlib.sha256()
    sources = [(f"npm/{name}", NPM_DIR / name) for name in (*RUNTIME_FILES, STDLIB, LOCKFILE)]
    sources += package_files()
    sources += [("pyproject.toml", ROOT / "pyproject.toml"), ("bundle.py", Path(__file__)),
                ("trace_stdlib.mjs", TRACE_SCRIPT), ("python-package.js", INSTALL_SCRIPT)]
    for name, path in sources:
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    digest.update(sys.version.split()[0].encode())
    return content_tag(digest.hexdigest())


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(dest: Path) -> Path:
    """A pure-Python wheel of `checker` (PEP 427) for the browser: the files setuptools would pack, each call's
    rules and the SME definition compiled in place of their TOML (`checker.compiled`), and not the command
    line (`NOT_IN_THE_BROWSER`).

    Written directly rather than through `python -m build`: that needs an isolated
    environment (network) or setuptools in the venv, and takes seconds; the wheel
    format is a zip with three metadata files.
    """
    version = _project_version()
    dist = f"bandi_checker-{version}"
    info = f"{dist}.dist-info"
    records = [(f"checker/calls/{call_id}{compiled.COMPILED}", compiled.compiled(catalogue.get(call_id)))
               for call_id in catalogue.call_ids()]
    records += [(f"checker/{name}", data) for name, data in sme.compiled_files()]  # the SME definition, likewise
    sources = {name.removesuffix(compiled.COMPILED) + compiled.SOURCE for name, _ in records}
    entries = [(name, path.read_bytes()) for name, path in package_files()
               if name not in sources and name not in NOT_IN_THE_BROWSER]
    entries += records
    entries += [
        (f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {PACKAGE_NAME}\nVersion: {version}\n"
                             "Requires-Python: >=3.11\n".encode()),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: build_scripts.bundle\nRoot-Is-Purelib: true\n"
                          b"Tag: py3-none-any\n"),
        (f"{info}/top_level.txt", b"checker\n"),
    ]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in entries) + f"{info}/RECORD,,\n"
    entries.append((f"{info}/RECORD", record.encode()))
    wheel = dest / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            item = zipfile.ZipInfo(name, ZIP_EPOCH)
            item.external_attr = 0o644 << 16
            archive.writestr(item, data, zipfile.ZIP_DEFLATED, 9)
    return wheel


def trace_requests() -> list[dict[str, object]]:
    """What the trace asks of the checker in Pyodide: every public `*_json` function of checker.bridge
    (the worker's entry points), with each call's `[[examples]]` answers where it takes a call id, and
    with input it refuses (empty, not JSON, not an object, an unknown call), so the error paths run too."""
    from checker import bridge  # noqa: PLC0415 -- only the build needs it

    refused = ["{}", "{not json", "[]"]
    requests: list[dict[str, object]] = []
    for name, fn in sorted(vars(bridge).items()):
        if name.startswith("_") or not name.endswith("_json") or getattr(fn, "__module__", "") != bridge.__name__:
            continue
        required = [p.name for p in inspect.signature(fn).parameters.values() if p.default is p.empty]
        if required[:1] == ["call_id"]:
            for call_id in catalogue.call_ids():
                examples = [json.dumps(e.answers, default=str) for e in catalogue.get(call_id).examples]
                requests += [{"fn": name, "args": [call_id, text]} for text in examples + refused]
            requests.append({"fn": name, "args": ["nessun-bando", "{}"]})
        else:
            requests += [{"fn": name, "args": [text, *["{}"] * (len(required) - 1)]} for text in refused]
    return requests


def trace_stdlib(folder: Path, start_up_only: bool = False) -> list[str]:
    """The members of `folder`'s standard library zip (the npm one, in full) that the checker imports in
    Pyodide, start-up included, or with `start_up_only` that Pyodide's start-up imports alone (the
    runtime's floor, which `make bench` weighs): Node runs the runtime of `folder` (see TRACE_SCRIPT)."""
    node = shutil.which("node")
    if node is None:
        raise BundleError("node not found: the standard library is traced in Node (install Node.js)")
    args, requests = (["--start-up"], []) if start_up_only else ([], trace_requests())
    proc = subprocess.run([node, str(TRACE_SCRIPT), str(folder), *args], input=json.dumps(requests),
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        raise BundleError(f"tracing the standard library failed:\n{proc.stdout}\n{proc.stderr}")
    members: list[str] = json.loads(proc.stdout)
    if "encodings/__init__.py" not in members or not any(m.startswith("_pyodide/") for m in members):
        raise BundleError(f"the trace found no start-up modules: {members}")
    return members


def without_locations(code: types.CodeType) -> types.CodeType:
    """`code`, and the code objects among its constants, with a location table that gives every instruction
    no location (PEP 626's «no location» entries, 8 code units each): an empty table would make the
    traceback module fail (`co_positions` must yield one entry an instruction)."""
    units = len(code.co_code) // 2
    table = bytes(0x80 | (15 << 3) | (min(8, units - i) - 1) for i in range(0, units, 8))
    consts = tuple(without_locations(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_linetable=table, co_consts=consts)


def compile_stdlib(source: Path, members: list[str]) -> bytes:
    """A zip of stored members: the `members` of the standard library zip `source` (and the folders that
    hold them), byte-compiled with OPTIMIZE and `without_locations` by this interpreter, which must
    be Python 3.13, as Pyodide's."""
    stored = io.BytesIO()
    wanted = set(members)
    folders = {name[: i + 1] for name in wanted for i, c in enumerate(name) if c == "/"}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as out:
        missing = wanted - set(src.namelist())
        if missing:
            raise BundleError(f"{source}: no {sorted(missing)}")
        for item in src.infolist():
            name = item.filename
            if name not in wanted and name not in folders:
                continue
            data = src.read(item)
            if name.endswith(".py"):
                code = without_locations(compile(data, name, "exec", dont_inherit=True, optimize=OPTIMIZE))
                # PEP 552: magic, flags (1: hash-based, unchecked), the source's hash, the code.
                data = (importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + importlib.util.source_hash(data)
                        + marshal.dumps(code))
                name += "c"
            entry = zipfile.ZipInfo(name, ZIP_EPOCH)
            entry.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            out.writestr(entry, data, zipfile.ZIP_STORED)
    return stored.getvalue()


def build_stdlib(folder: Path, members: list[str]) -> None:
    """`PACKED_STDLIB` and `BROTLI_STDLIB` in `folder`: `compile_stdlib` of the npm standard library's
    `members`, gzipped and brotli-compressed. Compiled in a fresh Python: marshal writes an object it meets
    twice as a reference only when something else holds it too, so the same modules give the same bytes only
    from the same interpreter state."""
    import brotli  # type: ignore[import-untyped]  # noqa: PLC0415 -- the build's only use of it

    with tempfile.TemporaryDirectory() as tmp:
        listed, stored = Path(tmp) / "members.json", Path(tmp) / STDLIB
        listed.write_text(json.dumps(members))
        _run([sys.executable, "-c",
              "import json, sys; from pathlib import Path; from build_scripts.bundle import compile_stdlib; "
              "Path(sys.argv[2]).write_bytes(compile_stdlib(Path(sys.argv[1]), "
              "json.loads(Path(sys.argv[3]).read_text())))",
              NPM_DIR / STDLIB, stored, listed], cwd=ROOT)
        data = stored.read_bytes()
    (folder / PACKED_STDLIB).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    (folder / BROTLI_STDLIB).write_bytes(brotli.compress(data, quality=STDLIB_BROTLI_QUALITY,
                                                         lgwin=STDLIB_BROTLI_WINDOW))


def unpacked_stdlib(folder: Path) -> bytes:
    """The standard library zip of a built bundle, as Pyodide receives it."""
    return gzip.decompress((folder / PACKED_STDLIB).read_bytes())


def stdlib_archive(folder: Path) -> zipfile.ZipFile:
    """The standard library of a built bundle, opened (`unpacked_stdlib`)."""
    return zipfile.ZipFile(io.BytesIO(unpacked_stdlib(folder)))


def _pyodide_cli() -> Path:
    if sys.version_info[:2] != (3, 13):
        raise BundleError(f"the Pyodide bundle must be byte-compiled by Python 3.13 (Pyodide {PYODIDE_VERSION}); "
                          f"this is Python {sys.version.split()[0]}: run mkdocs from the project's .venv")
    cli = Path(sys.executable).with_name("pyodide")
    if not cli.exists():
        raise BundleError(f"{cli} not found: install pyodide-build (`make setup`)")
    return cli


def _run(args: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False, cwd=cwd,
                          env=os.environ | env if env else None)
    if proc.returncode:
        raise BundleError(f"{' '.join(map(str, args))} failed:\n{proc.stdout}\n{proc.stderr}")


def _check_runtime() -> dict[str, object]:
    package = NPM_DIR / "package.json"
    if not package.exists():
        raise BundleError(f"{NPM_DIR} missing: run `npm ci` (`make setup`)")
    version = json.loads(package.read_text())["version"]
    if version != PYODIDE_VERSION:
        raise BundleError(f"node_modules has Pyodide {version}, the site is built for {PYODIDE_VERSION}")
    lock = json.loads((NPM_DIR / LOCKFILE).read_text())
    return {"info": lock["info"], "packages": {}}


def _build(out: Path) -> None:
    cli = _pyodide_cli()
    base_lock = _check_runtime()
    for name in RUNTIME_FILES:
        shutil.copyfile(NPM_DIR / name, out / name)
    shutil.copyfile(NPM_DIR / STDLIB, out / STDLIB)  # in full for the trace, then only what it found
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base-lock.json"
        base.write_text(json.dumps(base_lock))
        wheel = build_wheel(out)
        # Register the pure wheel (its tags match any Python). py-compile (below) renames it and rewrites
        # the lockfile's file name and sha256 to match.
        _run([cli, "lockfile", "add-wheels", "--input", base, "--output", out / LOCKFILE, "--base-path", out, wheel])
        build_stdlib(out, trace_stdlib(out))
        (out / STDLIB).unlink()
    # Byte-compiles the wheel; the standard library, already compiled (no .py left), is skipped.
    _run([cli, "py-compile", "--silent", "--compression-level", str(ZIP_COMPRESSION_LEVEL), out],
         env={"PYTHONNODEBUGRANGES": "1", "PYTHONOPTIMIZE": str(OPTIMIZE)})
    verify(out)


def _wheel_entry(folder: Path) -> dict[str, Any]:
    """The lockfile's entry of our wheel, which must be its only package."""
    packages = json.loads((folder / LOCKFILE).read_text())["packages"]
    if set(packages) != {PACKAGE_NAME}:
        raise BundleError(f"{folder / LOCKFILE}: expected only {PACKAGE_NAME}, found {sorted(packages)}")
    return dict(packages[PACKAGE_NAME])


def verify(folder: Path) -> dict[str, object]:
    """Check a built bundle: exactly our wheel in the lockfile, present, with the right sha256."""
    entry = _wheel_entry(folder)
    wheel = folder / entry["file_name"]
    if not wheel.exists():
        raise BundleError(f"{wheel} missing: the worker could not load the checker")
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != entry["sha256"]:
        raise BundleError(f"{wheel}: sha256 differs from the lockfile (the browser would refuse it)")
    if not str(entry["file_name"]).endswith("-cp313-none-any.whl"):
        raise BundleError(f"{wheel}: not byte-compiled by pyodide py-compile")
    with stdlib_archive(folder) as stdlib:
        if any(n.endswith(".py") for n in stdlib.namelist() if n.startswith(("json/", "decimal"))):
            raise BundleError(f"{folder / PACKED_STDLIB}: not byte-compiled")
    import brotli  # noqa: PLC0415 -- see build_stdlib

    if brotli.decompress((folder / BROTLI_STDLIB).read_bytes()) != unpacked_stdlib(folder):
        raise BundleError(f"{folder}: {BROTLI_STDLIB} and {PACKED_STDLIB} hold different zips")
    expected = {*RUNTIME_FILES, BROTLI_STDLIB, PACKED_STDLIB, LOCKFILE, entry["file_name"]}
    extra = {p.name for p in folder.iterdir()} - expected
    if extra:
        raise BundleError(f"{folder}: unexpected files {sorted(extra)}")
    return entry


def wheel_reference(folder: Path) -> dict[str, str]:
    """Our wheel in a built bundle, as the site's worker fetches it: its file name and the integrity of its
    sha256 in the lockfile (Subresource Integrity: "sha256-" and the digest in base64). Read from the lockfile
    alone: the bundle was verified when built (`_build`), not again at each build of the site."""
    wheel = _wheel_entry(folder)
    digest = base64.b64encode(bytes.fromhex(str(wheel["sha256"]))).decode()
    return {"name": str(wheel["file_name"]), "integrity": f"sha256-{digest}"}


def cached_bundle() -> Path:
    """The bundle's folder in the cache (`.cache/pyodide-bundle/<key>/`), built only when its inputs changed."""
    key = bundle_key()
    cached = CACHE_DIR / key
    if not (cached / LOCKFILE).exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=CACHE_DIR))
        work.chmod(0o755)  # mkdtemp makes it private; the site must be world-readable
        try:
            _build(work)
            try:
                os.replace(work, cached)  # atomic: concurrent builds never see half a bundle
            except OSError:
                if not (cached / LOCKFILE).exists():
                    raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for old in CACHE_DIR.iterdir():  # keep the cache small: only the current bundle
            if old.name != key and "." not in old.name:  # finished bundles only, never a build in progress
                shutil.rmtree(old, ignore_errors=True)
    return cached


def bundle(dest: Path) -> Path:
    """Put the bundle in `dest` (e.g. `site/assets/pyodide/<key>`)."""
    cached = cached_bundle()
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(cached, dest)
    return dest


def site_runtime(site: Path) -> Path:
    """The folder of the Pyodide bundle in a built `site` (`assets/pyodide/<key>/`)."""
    folders = [p for p in (site / "assets" / "pyodide").iterdir() if p.is_dir()]
    if len(folders) != 1:
        raise BundleError(f"{site}: expected one bundle folder in assets/pyodide/, found {len(folders)}")
    return folders[0]


def main() -> None:
    """`python -m build_scripts.bundle DEST`: build the bundle into DEST (for tools and benchmarks)."""
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m build_scripts.bundle DEST")
    path = bundle(Path(sys.argv[1]))
    print(path)


if __name__ == "__main__":
    main()
