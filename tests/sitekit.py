"""The built site as the tests see it: the real `mkdocs build --strict`, served as a static host would.

`SiteServer` applies the site's own `_headers` file (so the Content-Security-Policy the site
ships is enforced in every browser test). Imported by tests/conftest.py (the shared fixtures)
and by the tests that need a server of their own (tests/offline, tests/security).
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # build_scripts and the checker package live at the project root
    sys.path.insert(0, str(ROOT))

from build_scripts.serving import (  # noqa: E402 -- needs the project root on sys.path
    CHROMIUM,
    CHROMIUM_ARGS,
    CONTENT_TYPES,
    HeaderRules,
    headers_for,
    parse_headers_file,
)

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "CONTEXT_ARGS", "ROOT", "SiteServer", "axe_violations", "build_site",
           "describe", "parse_headers_file", "settle", "site_pages"]

# Every browser context of the tests: no motion, so a test and axe see each state as it settles, never a
# transition halfway (Material's header title fades when the page scrolls; on a busy machine axe sampled
# it mid-fade). The site honours the preference for its visitors too (site.css).
CONTEXT_ARGS: dict[str, Any] = {"reduced_motion": "reduce"}


def build_site(project: Path, dest: Path) -> Path:
    """Run the real `mkdocs build --strict` of `project` into `dest`."""
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    proc = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(dest)], cwd=project, env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        pytest.fail(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return dest


def site_pages(site: Path) -> list[str]:
    """The URL path of every HTML page of the built site (directory URLs), sorted."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        pages.append("/" if rel == "." else f"/{rel}/")
    assert "/" in pages and len(pages) > 1, f"nessuna pagina trovata in {site}"
    return pages


class StaticHandler(SimpleHTTPRequestHandler):
    extensions_map = SimpleHTTPRequestHandler.extensions_map | CONTENT_TYPES
    header_rules: ClassVar[HeaderRules] = []
    served: ClassVar[list[tuple[str, int]]] = []  # (URL path, body bytes) of every file sent, in order
    rate: ClassVar[int] = 0  # bytes per second of each response, 0 for as fast as possible
    missing: ClassVar[str] = ""  # URL paths (a glob) answered 404, as if the file were not there
    held: ClassVar[str] = ""  # URL paths (a glob) never answered until the server closes: a stalled download
    released: ClassVar[threading.Event] = threading.Event()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if self.held and fnmatch.fnmatchcase(path, self.held):
            self.released.wait()
            return
        if self.missing and fnmatch.fnmatchcase(path, self.missing):
            self.send_error(404)
            return
        super().do_GET()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        chunk = max(self.rate // 50, 1) if self.rate else len(data) or 1
        for start in range(0, len(data), chunk):  # a slow link: an even trickle, never a pause
            outputfile.write(data[start:start + chunk])
            if self.rate:
                time.sleep(chunk / self.rate)
        self.served.append((self.path.split("?", 1)[0], len(data)))

    def end_headers(self) -> None:
        for name, value in headers_for(self.header_rules, self.path.split("?", 1)[0].split("#", 1)[0]):
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class SiteServer:
    """`root` served on a loopback port (a free one unless given), with its `_headers` (plus `extra`
    headers on every response), each response sent at `rate` bytes per second if given. The server itself
    fails what a test needs failing, so that a browser's early requests (a worker's, before any test hook
    can attach to it) fail too: `missing` paths are 404, `held` paths never answered (globs)."""

    def __init__(self, root: Path, extra: tuple[tuple[str, str], ...] = (), *, port: int = 0, rate: int = 0,
                 missing: str = "", held: str = "") -> None:
        headers = root / "_headers"
        rules = parse_headers_file(headers.read_text()) if headers.exists() else []
        self.served: list[tuple[str, int]] = []
        self.released = threading.Event()
        handler = type("Handler", (StaticHandler,), {"header_rules": [*rules, ("/*", list(extra))],
                                                      "served": self.served, "rate": rate, "missing": missing,
                                                      "held": held, "released": self.released})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(root)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def settle(page: Any) -> None:
    """Wait until no animation or transition of the page is running: the state a person sees."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations (WCAG 2.1 A/AA and best practice) on the current page. Injected through
    the DevTools protocol, so the site's Content-Security-Policy (no inline scripts) stays in force."""
    assert AXE.is_file(), "node_modules/axe-core mancante: esegui `make setup`"
    settle(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result: dict[str, Any] = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """axe's violations, one line each, with up to five of the elements concerned."""
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} nodes, e.g. {targets}")
    return "\n".join(lines)
