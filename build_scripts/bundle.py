"""The self-hosted Pyodide bundle of the browser checker, built once per content hash.

What the site ships under `assets/pyodide/<key>/` (`bundle_key`: a hash of every input):

- the Pyodide core from npm (`node_modules/pyodide`): `pyodide.mjs`, `pyodide.asm.js`,
  `pyodide.asm.wasm` as they are, and `python_stdlib.zip` byte-compiled;
- the `checker` package as a wheel, byte-compiled with `pyodide py-compile`, with each call's rules
  also compiled (validated now and pickled: see `checker.rules.COMPILED`);
- `pyodide-lock.json` holding that wheel only (a lockfile entry without its file would
  make `loadPackage` fall back to a CDN), with the sha256 the browser enforces.

Building takes a few seconds, so the result is kept in `.cache/pyodide-bundle/<hash>/`
at the repository root (outside `docs/` and `site/`), keyed by everything it is made of:
`mkdocs serve` rebuilds only copy it. Nothing here is committed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from build_scripts.fingerprint import content_tag
from checker import rules as rules_mod

ROOT = Path(__file__).resolve().parent.parent
NPM_DIR = ROOT / "node_modules" / "pyodide"
PACKAGE_DIR = ROOT / "checker"
CACHE_DIR = ROOT / ".cache" / "pyodide-bundle"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm")
STDLIB = "python_stdlib.zip"
LOCKFILE = "pyodide-lock.json"
PYODIDE_VERSION = "0.29.5"
PACKAGE_NAME = "bandi-checker"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same sources give the same wheel bytes
# Deflate level of the byte-compiled zips (`pyodide py-compile --compression-level`). Their members are
# compressed one by one, so a host's gzip/brotli gains almost nothing on them: 0 (stored) would let a
# compressing host shrink the stdlib to about two thirds, but double it on hosts that do not compress zips.
ZIP_COMPRESSION_LEVEL = 6
# Standard-library modules the checker never needs, left out of python_stdlib.zip (about a third of
# its bytes; the zip's members are compressed, so a host's gzip/brotli cannot shrink it further).
# None is imported by Pyodide's start-up, by its package loader or by the checker: the parity tests run
# every case, valid and invalid, under the trimmed runtime, and fail if a module is missing.
STDLIB_EXCLUDE = frozenset({
    "__hello__", "__phello__", "_markupbase", "_pyio", "_pyrepl", "antigravity", "argparse", "bdb", "cProfile",
    "cmd", "colorsys", "compileall", "configparser", "csv", "difflib", "doctest", "filecmp", "fileinput",
    "fractions", "ftplib", "getpass", "graphlib", "html", "http", "imaplib", "mailbox", "modulefinder",
    "multiprocessing", "netrc", "optparse", "pdb", "pickletools", "plistlib", "poplib", "profile", "pstats",
    "pty", "pyclbr", "pydoc", "pydoc_data", "rlcompleter", "sched", "shelve", "smtplib", "socketserver",
    "statistics", "symtable", "tabnanny", "this", "timeit", "trace", "tracemalloc", "tty", "unittest", "uuid",
    "wave", "webbrowser", "wsgiref", "xml", "xmlrpc", "zipapp",
})
# The codecs kept (of about 120): Python's own (UTF-8 and the other Unicode forms, ASCII, Latin-1, the
# escapes of repr), cp437 (names in zip files), idna with punycode (host names) and the bytes-to-bytes
# codecs the email package names; no code page or national charset (cp1252, mac_roman, big5...).
ENCODINGS_KEPT = frozenset({
    "__init__", "aliases", "ascii", "base64_codec", "charmap", "cp437", "hex_codec", "idna", "latin_1",
    "punycode", "quopri_codec", "raw_unicode_escape", "undefined", "unicode_escape", "utf_16", "utf_16_be",
    "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7", "utf_8", "utf_8_sig", "uu_codec", "zlib_codec",
})


class BundleError(RuntimeError):
    """The bundle cannot be built (missing runtime, wrong Python, a failing tool)."""


def _project_version() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


NOT_SOURCES = (".pyc", ".pyo", rules_mod.COMPILED)  # made from the sources, never taken from the tree


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
    sources += [("pyproject.toml", ROOT / "pyproject.toml"), ("bundle.py", Path(__file__))]
    for name, path in sources:
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    digest.update(sys.version.split()[0].encode())
    return content_tag(digest.hexdigest())


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(dest: Path) -> Path:
    """A pure-Python wheel of `checker` (PEP 427), the same files setuptools would pack.

    Written directly rather than through `python -m build`: that needs an isolated
    environment (network) or setuptools in the venv, and takes seconds; the wheel
    format is a zip with three metadata files.
    """
    version = _project_version()
    dist = f"bandi_checker-{version}"
    info = f"{dist}.dist-info"
    entries = [(name, path.read_bytes()) for name, path in package_files()]
    entries += [(f"checker/rules/{call_id}{rules_mod.COMPILED}", rules_mod.compiled(rules_mod.get(call_id)))
                for call_id in rules_mod.call_ids()]
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


def _top_level(name: str) -> str:
    first = name.split("/", 1)[0]
    return first.removesuffix(".py") if "/" not in name else first


def kept(name: str) -> bool:
    """Whether the standard library's file `name` (`json/decoder.py`, `encodings/cp1252.py`) is shipped."""
    top = _top_level(name)
    if top == "encodings" and name.endswith(".py"):
        return name.removeprefix("encodings/").removesuffix(".py") in ENCODINGS_KEPT
    return top not in STDLIB_EXCLUDE


def trim_stdlib(source: Path, dest: Path) -> None:
    """Copy the standard library zip without the modules of `STDLIB_EXCLUDE` and the codecs not kept."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if kept(item.filename):
                out.writestr(item, src.read(item), zipfile.ZIP_DEFLATED, 9)


def _pyodide_cli() -> Path:
    if sys.version_info[:2] != (3, 13):
        raise BundleError(f"the Pyodide bundle must be byte-compiled by Python 3.13 (Pyodide {PYODIDE_VERSION}); "
                          f"this is Python {sys.version.split()[0]}: run mkdocs from the project's .venv")
    cli = Path(sys.executable).with_name("pyodide")
    if not cli.exists():
        raise BundleError(f"{cli} not found: install pyodide-build (`make setup`)")
    return cli


def _run(args: list[str | Path]) -> None:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
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
    trim_stdlib(NPM_DIR / STDLIB, out / STDLIB)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base-lock.json"
        base.write_text(json.dumps(base_lock))
        wheel = build_wheel(out)
        # Register the pure wheel (its tags match any Python), then byte-compile the wheel and
        # the standard library: py-compile renames the wheel and rewrites the lockfile's
        # file name and sha256 to match.
        _run([cli, "lockfile", "add-wheels", "--input", base, "--output", out / LOCKFILE, "--base-path", out, wheel])
    _run([cli, "py-compile", "--silent", "--compression-level", str(ZIP_COMPRESSION_LEVEL), out])
    verify(out)


def verify(folder: Path) -> dict[str, object]:
    """Check a built bundle: exactly our wheel in the lockfile, present, with the right sha256."""
    lock = json.loads((folder / LOCKFILE).read_text())
    packages = lock["packages"]
    if set(packages) != {PACKAGE_NAME}:
        raise BundleError(f"{folder / LOCKFILE}: expected only {PACKAGE_NAME}, found {sorted(packages)}")
    entry = packages[PACKAGE_NAME]
    wheel = folder / entry["file_name"]
    if not wheel.exists():
        raise BundleError(f"{wheel} missing: loadPackage would fall back to a CDN")
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != entry["sha256"]:
        raise BundleError(f"{wheel}: sha256 differs from the lockfile (the browser would refuse it)")
    if not str(entry["file_name"]).endswith("-cp313-none-any.whl"):
        raise BundleError(f"{wheel}: not byte-compiled by pyodide py-compile")
    with zipfile.ZipFile(folder / STDLIB) as stdlib:
        if any(n.endswith(".py") for n in stdlib.namelist() if n.startswith(("json/", "decimal"))):
            raise BundleError(f"{folder / STDLIB}: not byte-compiled")
    expected = {*RUNTIME_FILES, STDLIB, LOCKFILE, entry["file_name"]}
    extra = {p.name for p in folder.iterdir()} - expected
    if extra:
        raise BundleError(f"{folder}: unexpected files {sorted(extra)}")
    return dict(entry)


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
