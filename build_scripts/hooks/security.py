"""The site's HTTP security and caching headers: `site/_headers` (Netlify / Cloudflare Pages format).

After the build, every HTML page is scanned. Each inline ``<script>`` that the
browser would execute (no ``src``; no ``type``, a JavaScript type, ``module`` or
``importmap``) gets its SHA-256 hash into ``script-src``, so the policy needs no
``'unsafe-inline'`` and never ``'unsafe-eval'``; ``'wasm-unsafe-eval'`` is there
for Pyodide's WebAssembly. Inline ``<style>`` elements are hashed the same way
into ``style-src``. Markup the policy would silently break (event-handler
attributes such as ``onclick``, ``javascript:`` URLs, ``style`` attributes) fails
the build loudly, naming the page.

Caching: files whose name carries a content hash (``bundle.a5f9d56c.min.js``)
or that live under a content-hashed folder are ``immutable`` for a year;
every HTML page and the service worker are ``no-cache`` (always revalidated),
so a new release is seen at once. Other files keep the host's default, which on
Netlify and Cloudflare Pages is revalidation (``max-age=0, must-revalidate``).
``Cache-Control`` is never set on ``/*``: those hosts join the values of every
matching rule, and ``no-cache`` would cancel ``immutable``.
The policy is documented for other hosts in docs/ospitare.md.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

HEADERS_FILE = "_headers"
SERVICE_WORKER = "sw.js"

# Script types the browser executes (the HTML standard's JavaScript MIME types, plus
# module and the other script-like types CSP governs). Anything else is a data block.
JS_TYPES = {
    "", "module", "importmap", "speculationrules",
    "text/javascript", "application/javascript", "application/ecmascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript1.0", "text/javascript1.1",
    "text/javascript1.2", "text/javascript1.3", "text/javascript1.4", "text/javascript1.5",
    "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
}

# A content hash in a file or folder name: Material's `main.57a0d79d.min.css`, or a
# folder such as `pyodide/3f2a9c1b0d/`. Eight or more hex digits with at least one
# letter and one digit, so that dates and plain numbers do not count.
_HASHED = re.compile(r"(?:^|[./_-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,64}(?:[./_-]|$)")

# Powerful features the site never uses; denied to the page and to anything it embeds.
# (clipboard-write stays allowed: the checker's "copia link" button needs it.)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation",
    "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
))
IMMUTABLE = "public, max-age=31536000, immutable"
# Cloudflare Pages reads at most 100 rules from `_headers`.
MAX_RULES = 100
REVALIDATE = "no-cache"


@dataclass
class PageScan:
    """What one HTML page needs from the policy, and what it does that the policy forbids."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._inline: str | None = None  # "script" or "style" while inside an inline element to hash
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        for name, value in values.items():
            if name.startswith("on"):
                self.scan.problems.append(f"line {line}: <{tag} {name}=...> (inline event handler)")
            elif name == "style":
                self.scan.problems.append(f"line {line}: <{tag} style=...> (inline style attribute)")
            elif name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith("javascript:"):
                self.scan.problems.append(f"line {line}: <{tag} {name}=\"javascript:...\">")
        if tag == "script" and "src" not in values and values.get("type", "").strip().lower() in JS_TYPES:
            self._inline, self._text = "script", []
        elif tag == "style":
            self._inline, self._text = "style", []

    def handle_data(self, data: str) -> None:
        if self._inline:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._inline and tag == self._inline:
            digest = csp_hash("".join(self._text))
            (self.scan.scripts if tag == "script" else self.scan.styles).add(digest)
            self._inline = None


def csp_hash(source: str) -> str:
    """The CSP source expression for an inline element's exact text: `'sha256-...'`."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def scan_html(text: str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.scan


def content_security_policy(script_hashes: Iterable[str], style_hashes: Iterable[str]) -> str:
    scripts = " ".join(sorted(set(script_hashes)))
    styles = " ".join(sorted(set(style_hashes)))
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'wasm-unsafe-eval' {scripts}".rstrip(),
        "worker-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        f"style-src 'self' {styles}".rstrip(),
        "font-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-src 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def is_hashed(rel_path: str) -> bool:
    """Whether a site file's URL carries a content hash (so it can be cached forever)."""
    return any(_HASHED.search(part) for part in rel_path.split("/"))


def page_url(rel_html: str) -> str:
    """The URL path that serves an HTML file: `bandi/x/index.html` -> `/bandi/x/`, `404.html` -> `/404.html`."""
    return "/" + (rel_html[: -len("index.html")] if rel_html.endswith("index.html") else rel_html)


def immutable_patterns(site: Path) -> list[str]:
    """`_headers` paths of the content-hashed files: a hashed folder as one `/folder/*` rule, else the file."""
    patterns: set[str] = set()
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.endswith((".html", ".map")) or not is_hashed(rel):
            continue
        parts = rel.split("/")
        folder = next((i for i, part in enumerate(parts[:-1]) if _HASHED.search(part)), None)
        patterns.add("/" + "/".join(parts[: folder + 1]) + "/*" if folder is not None else "/" + rel)
    return sorted(patterns)


def headers_file(site: Path) -> str:
    """The `_headers` text for the built site in `site`; raises PluginError on markup the CSP would break."""
    scripts: set[str] = set()
    styles: set[str] = set()
    problems: list[str] = []
    html_files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    for rel in html_files:
        scan = scan_html((site / rel).read_text(encoding="utf-8"))
        scripts |= scan.scripts
        styles |= scan.styles
        problems += [f"{rel}: {problem}" for problem in scan.problems]
    if problems:
        raise PluginError(
            "Markup that the Content-Security-Policy would block (use an external script, a class, "
            "addEventListener):\n  " + "\n  ".join(problems))
    lines = [
        "# Generated by build_scripts/hooks/security.py: do not edit. Documented in ospitare/.",
        "/*",
        f"  Content-Security-Policy: {content_security_policy(scripts, styles)}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
        f"  Permissions-Policy: {PERMISSIONS_POLICY}",
        "  Cross-Origin-Opener-Policy: same-origin",
        "  X-Frame-Options: DENY",
        "",
        "# Pages and the service worker: always revalidated, so a release is seen at once.",
    ]
    pages = [page_url(rel) for rel in html_files]
    if len(pages) + len(immutable_patterns(site)) + 2 > MAX_RULES:
        pages = []  # too many for the host: pages fall back to its default (revalidated on Netlify/Cloudflare)
    for url in [*pages, "/" + SERVICE_WORKER]:
        lines += [url, f"  Cache-Control: {REVALIDATE}"]
    lines += ["", "# Files whose URL carries a content hash never change: cached for a year."]
    for pattern in immutable_patterns(site):
        lines += [pattern, f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"


def on_post_build(config: Any, **kwargs: Any) -> None:
    site = Path(config["site_dir"])
    (site / HEADERS_FILE).write_text(headers_file(site), encoding="utf-8")
