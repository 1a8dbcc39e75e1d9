"""Serving the built site locally as a static host would, to a real Chromium (tests and `make bench`).

- the site's own `_headers` file (Netlify / Cloudflare Pages format, written by
  build_scripts/hooks/security.py): parsed once, matched per request path;
- the content types a static host sends;
- Debian's Chromium with the flags this offline machine needs (no background
  networking, no component updates: their connections are refused here).
"""

from __future__ import annotations

import fnmatch
import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

HeaderRules = list[tuple[str, list[tuple[str, str]]]]

# Content types as static hosts send them, beyond what `http.server` guesses (`.wasm` must be
# application/wasm for streaming compilation, modules must be JavaScript).
CONTENT_TYPES = {
    ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
    ".json": "application/json", ".webmanifest": "application/manifest+json", ".whl": "application/zip",
    ".toml": "text/plain", ".py": "text/plain",
}


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
