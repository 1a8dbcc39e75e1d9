"""The built site as the tests see it: the real `mkdocs build --strict`, served as a static host would.

`SiteServer` applies the site's own `_headers` file (so the Content-Security-Policy the site
ships is enforced in every browser test). Imported by tests/conftest.py (the shared fixtures)
and by the tests that need a server of their own (tests/offline, tests/security).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
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
    HeaderRules,
    headers_for,
    parse_headers_file,
)

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ROOT", "SiteServer", "build_site", "parse_headers_file"]


def build_site(project: Path, dest: Path) -> Path:
    """Run the real `mkdocs build --strict` of `project` into `dest`."""
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    proc = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(dest)], cwd=project, env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        pytest.fail(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return dest


class StaticHandler(SimpleHTTPRequestHandler):
    extensions_map = SimpleHTTPRequestHandler.extensions_map | {
        ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
        ".json": "application/json", ".webmanifest": "application/manifest+json",
    }
    header_rules: ClassVar[HeaderRules] = []

    def end_headers(self) -> None:
        for name, value in headers_for(self.header_rules, self.path.split("?", 1)[0].split("#", 1)[0]):
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class SiteServer:
    """`root` served on a free loopback port, with its `_headers` (plus `extra` headers on every response)."""

    def __init__(self, root: Path, extra: tuple[tuple[str, str], ...] = ()) -> None:
        headers = root / "_headers"
        rules = parse_headers_file(headers.read_text()) if headers.exists() else []
        handler = type("Handler", (StaticHandler,), {"header_rules": [*rules, ("/*", list(extra))]})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
