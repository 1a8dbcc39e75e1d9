"""Serving the built site locally as a static host would, to a real Chromium (tests and `make bench`).

- the site's own `_headers` file (Netlify / Cloudflare Pages format, written by
  build_scripts/hooks/security.py): parsed once, matched per request path, applied to every response;
- the content types a static host sends;
- `SiteServer`: a folder over HTTP/1.1 on a loopback port as a static host serves it (a folder's
  index.html, Last-Modified and 304, 404 for anything else), with what the tests and the bench ask
  of it: bodies compressed by Accept-Encoding (brotli, else gzip, made before any timing), a slow
  link (each response at its own rate, or one link every response shares, with a delay before each
  response), files that fail (404, or never answered), and a log of what it sent and when;
- Debian's Chromium with the flags this offline machine needs (no background
  networking, no component updates: their connections are refused here).
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

HeaderRules = list[tuple[str, list[tuple[str, str]]]]
Bodies = dict[Path, dict[str, bytes]]  # a file's compressed bodies, by encoding

# Content types as static hosts send them, beyond what `http.server` guesses (`.wasm` must be
# application/wasm for streaming compilation, modules must be JavaScript).
CONTENT_TYPES = {
    ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
    ".json": "application/json", ".webmanifest": "application/manifest+json", ".whl": "application/zip",
    ".toml": "text/plain", ".py": "text/plain", ".gz": "application/gzip",
}
# What static hosts compress, by preference brotli, else gzip (each at its best quality), else nothing;
# zips (already compressed) go as they are.
ENCODINGS = ("br", "gzip")
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".wasm", ".py", ".toml", ".map")


def parse_headers_file(text: str) -> HeaderRules:
    """Rules of a `_headers` file: a path pattern, then indented `Name: value` lines."""
    rules: HeaderRules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules: HeaderRules, path: str) -> list[tuple[str, str]]:
    """Every header the rules give the URL path `path`, in file order (the hosts join them all)."""
    return [h for pattern, headers in rules if fnmatch.fnmatchcase(path, pattern.replace(":splat", "*"))
            for h in headers]


def compress(data: bytes, encoding: str = "br") -> bytes:
    if encoding == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    import brotli  # type: ignore[import-untyped]  # noqa: PLC0415 -- only a server that compresses needs it

    return bytes(brotli.compress(data, quality=11))


def precompress(root: Path) -> Bodies:
    """The compressed bodies (by encoding) of every compressible file under `root` (links followed), made
    before any timing: compressing on the first request would count brotli's time in the first cold visit."""
    out = {}
    done: dict[bytes, dict[str, bytes]] = {}  # by content: the same file under two names is compressed once
    for folder, _, names in os.walk(root, followlinks=True):
        for name in names:
            path = Path(folder) / name
            if path.suffix in COMPRESSIBLE:
                data = path.read_bytes()
                key = hashlib.sha256(data).digest()
                if key not in done:
                    done[key] = {encoding: compress(data, encoding) for encoding in ENCODINGS}
                out[path] = done[key]
    return out


class Link:
    """An emulated link: a token bucket filled at `rate` bytes per second, `depth` bytes deep, that every
    chunk (`chunk` bytes, 20 ms of the link unless given) of the responses sent through it draws from, and
    `latency` seconds before each response. One link for every connection of a server: concurrent
    responses share the bandwidth chunk by chunk (each connection reserves the link's next tokens for one
    chunk, sleeps until they are there, sends it). One link a response: each an even trickle at `rate`."""

    def __init__(self, rate: int, latency: float = 0.0, chunk: int = 0, depth: int = 0) -> None:
        self.rate = rate
        self.latency = latency
        self.chunk = chunk or max(rate // 50, 1)
        self.depth = depth
        self._free_at = 0.0  # time.monotonic() at which the tokens reserved so far are all there
        self._lock = threading.Lock()

    def wait(self, size: int) -> None:
        """Return when `size` more bytes would have crossed the link."""
        with self._lock:
            start = max(time.monotonic() - self.depth / self.rate, self._free_at)
            self._free_at = start + size / self.rate
            done = self._free_at
        delay = done - time.monotonic()
        if delay > 0:
            time.sleep(delay)


@dataclass
class Traffic:
    """What a server sent since the last `take`: (path, status, body bytes on the wire) of each response,
    when each request began (time.time(), path) and when each chunk of a body left (time.time(), bytes, path)."""

    log: list[tuple[str, int, int]] = field(default_factory=list)
    sent: list[tuple[float, int, str]] = field(default_factory=list)
    begun: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def begin(self, path: str) -> None:
        with self.lock:
            self.begun.append((time.time(), path))

    def add(self, path: str, status: int, size: int) -> None:
        with self.lock:
            self.log.append((path, status, size))

    def wrote(self, path: str, size: int) -> None:
        with self.lock:
            self.sent.append((time.time(), size, path))

    def take(self) -> list[tuple[str, int, int]]:
        with self.lock:
            out, self.log, self.sent, self.begun = self.log, [], [], []
        return out

    def sent_until(self, moment: float) -> tuple[list[tuple[float, int, str]], list[str]]:
        """The chunks sent by `moment` (time.time()) since the last `take`, and the paths requested by then."""
        with self.lock:
            return ([chunk for chunk in self.sent if chunk[0] <= moment],
                    [path for t, path in self.begun if t <= moment])


class StaticHandler(SimpleHTTPRequestHandler):
    """A static host's answer to GET and HEAD; configured per server by `SiteServer` (its class attributes)."""

    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as static hosts set it: else a kept-alive connection's response can wait for the client's
    # delayed ACK of its headers before its body goes (Nagle's algorithm): 40 ms a response on loopback to
    # Python's own HTTP client.
    disable_nagle_algorithm = True
    extensions_map = SimpleHTTPRequestHandler.extensions_map | CONTENT_TYPES
    header_rules: ClassVar[HeaderRules] = []
    default_cache: ClassVar[str] = ""  # the Cache-Control of a response no rule gives one ("": none)
    compressed: ClassVar[Bodies | None] = None  # compressed bodies, made before; None: never compress
    traffic: ClassVar[Traffic] = Traffic()
    link: ClassVar[Link | None] = None  # one link every response shares
    rate: ClassVar[int] = 0  # else bytes per second of each response, 0 for as fast as possible
    missing: ClassVar[str] = ""  # URL paths (a glob) answered 404, as if the file were not there
    held: ClassVar[str] = ""  # URL paths (a glob) never answered until the server closes: a stalled download
    released: ClassVar[threading.Event] = threading.Event()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def url_path(self) -> str:
        return self.path.split("?", 1)[0].split("#", 1)[0]

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def end_headers(self) -> None:
        headers = headers_for(self.header_rules, self.url_path)
        if self.default_cache and not any(name.lower() == "cache-control" for name, _ in headers):
            headers.append(("Cache-Control", self.default_cache))
        for name, value in headers:
            self.send_header(name, value)
        super().end_headers()

    def _serve(self, body: bool) -> None:
        link = self.link or (Link(self.rate) if self.rate else None)
        if link and link.latency:
            time.sleep(link.latency)
        path = self.url_path
        self.traffic.begin(path)
        if self.held and fnmatch.fnmatchcase(path, self.held):
            self.released.wait()
            self.close_connection = True
            return
        if self.missing and fnmatch.fnmatchcase(path, self.missing):
            self._empty(404, path)
            return
        file = Path(self.translate_path(path))
        if file.is_dir():
            if not path.endswith("/"):
                base, mark, query = self.path.partition("?")
                self._empty(301, path, ("Location", base + "/" + mark + query))
                return
            file = file / "index.html"
        if not file.is_file():
            self._empty(404, path)
            return
        mtime = file.stat().st_mtime
        if self._not_modified(mtime):
            self.send_response(304)
            self._file_headers(file, mtime)
            self.end_headers()
            self.traffic.add(path, 304, 0)
            return
        data, encoding = self._body(file)
        self.send_response(200)
        self._file_headers(file, mtime)
        if self.compressed is not None and file.suffix in COMPRESSIBLE:
            self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self._write(path, data, link)
        self.traffic.add(path, 200, len(data) if body else 0)

    def _empty(self, status: int, path: str, *headers: tuple[str, str]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.traffic.add(path, status, 0)

    def _file_headers(self, file: Path, mtime: float) -> None:
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Last-Modified", formatdate(mtime, usegmt=True))

    def _not_modified(self, mtime: float) -> bool:
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _body(self, file: Path) -> tuple[bytes, str | None]:
        """The file's body and its Content-Encoding: the first of ENCODINGS the request accepts."""
        data = file.read_bytes()
        if self.compressed is None or file.suffix not in COMPRESSIBLE:
            return data, None
        accepted = {e.split(";", 1)[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")}
        encoding = next((e for e in ENCODINGS if e in accepted), None)
        if not encoding:
            return data, None
        if file not in self.compressed:
            self.compressed[file] = {e: compress(data, e) for e in ENCODINGS}
        return self.compressed[file][encoding], encoding

    def _write(self, path: str, data: bytes, link: Link | None) -> None:
        chunk = link.chunk if link else len(data) or 1
        for start in range(0, len(data), chunk):
            part = data[start:start + chunk]
            if link:
                link.wait(len(part))
            try:
                self.wfile.write(part)
            except (BrokenPipeError, ConnectionResetError):  # the visit is over (its page or context closed)
                self.close_connection = True
                return
            self.traffic.wrote(path, len(part))


class _HTTPServer(ThreadingHTTPServer):
    """A threading HTTP server for which a browser closing its side of a connection (a context closed
    while a kept-alive connection waited for its next request) is not an error worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    """`root` served on a loopback port (a free one unless given), with its `_headers` (plus `extra`
    headers on every response). For the tests: each response sent at `rate` bytes per second if given;
    and the server itself fails what a test needs failing, so that a browser's early requests (a
    worker's, before any test hook can attach to it) fail too: `missing` paths are 404, `held` paths
    never answered (globs). For the bench: bodies compressed from `compressed` (else never), one `link`
    every response shares, and `default_cache`, the Cache-Control of a file no rule gives one."""

    def __init__(self, root: Path, extra: tuple[tuple[str, str], ...] = (), *, port: int = 0, rate: int = 0,
                 missing: str = "", held: str = "", compressed: Bodies | None = None, link: Link | None = None,
                 default_cache: str = "") -> None:
        headers = root / "_headers"
        rules = parse_headers_file(headers.read_text()) if headers.exists() else []
        self.traffic = Traffic()
        self.released = threading.Event()
        handler = type("Handler", (StaticHandler,), {
            "header_rules": [*rules, ("/*", list(extra))], "traffic": self.traffic, "rate": rate,
            "missing": missing, "held": held, "released": self.released, "compressed": compressed,
            "link": link, "default_cache": default_cache})
        self.httpd = _HTTPServer(("127.0.0.1", port), partial(handler, directory=str(root)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def served(self) -> list[tuple[str, int]]:
        """(URL path, body bytes) of every file sent, in order."""
        return [(path, size) for path, status, size in self.traffic.log if status == 200]

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
