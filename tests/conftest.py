"""Fixtures shared by every test: the built site, a local static server, Chromium.

The server serves the site as a static host would, applying the site's own
`_headers` file (so the Content-Security-Policy the site ships is enforced in
every browser test). Every page a test opens is watched: a request to any host
other than the local server fails the test.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def build_site(project: Path, dest: Path) -> Path:
    """Run the real `mkdocs build --strict` of `project` into `dest`."""
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    proc = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(dest)], cwd=project, env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        pytest.fail(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return dest


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as built from this checkout (once per session), or `$SITE_DIR` when given."""
    given = os.environ.get("SITE_DIR")
    if given:
        return Path(given)
    return build_site(ROOT, tmp_path_factory.mktemp("site") / "site")


def parse_headers_file(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Rules of a Netlify/Cloudflare `_headers` file: a path pattern, then indented `Name: value` lines."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class StaticHandler(SimpleHTTPRequestHandler):
    extensions_map = SimpleHTTPRequestHandler.extensions_map | {
        ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
        ".json": "application/json", ".webmanifest": "application/manifest+json",
    }
    header_rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        for pattern, headers in self.header_rules:
            if fnmatch.fnmatchcase(path, pattern.replace(":splat", "*")):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class SiteServer:
    def __init__(self, root: Path) -> None:
        headers = root / "_headers"
        handler = type("Handler", (StaticHandler,), {
            "header_rules": parse_headers_file(headers.read_text()) if headers.exists() else []})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[SiteServer]:
    srv = SiteServer(site_dir)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page: Any, server: SiteServer) -> Iterator[Any]:
    """A Playwright page that fails the test if anything is requested from another host."""
    foreign: list[str] = []

    def watch(request: Any) -> None:
        url = request.url
        if not url.startswith((server.origin, "data:", "blob:", "about:")):
            foreign.append(url)

    page.context.on("request", watch)
    yield page
    assert not foreign, f"requests to other hosts: {foreign}"
