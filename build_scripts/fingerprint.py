"""Content-hashed names for the site's own scripts and stylesheets (`checker.3f2a9c1b0d7e.js`).

A page names the exact release of every file it runs: a new release of a script gets a new URL, so
no cache (the browser's, a proxy's, the service worker's) can hand a new page an old script, or an
old page a new one. A file's references to its neighbours (`import ... from "./money.js"`) are
rewritten to their hashed names first, so its own hash covers what it loads.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

TAG_LENGTH = 12
# A relative reference inside a script or stylesheet: "./money.js", '../pyodide/x.js', url(./a.css).
_REFERENCE = re.compile(r"""(?<=["'(])(\.{1,2}/[^"'()\s]+?\.(?:m?js|css))(?=["')])""")


class FingerprintError(ValueError):
    """The files cannot be named (their references form a cycle)."""


def content_tag(digest_hex: str) -> str:
    """TAG_LENGTH hex digits of a digest that mix letters and digits (how the caching rules of
    build_scripts/hooks/security.py recognise a content hash): the first such window of the digest."""
    for start in range(len(digest_hex) - TAG_LENGTH + 1):
        tag = digest_hex[start:start + TAG_LENGTH]
        if not tag.isdigit() and not tag.isalpha():
            return tag
    raise FingerprintError(f"no usable content tag in {digest_hex}")  # pragma: no cover -- needs a freak digest


def hashed_uri(uri: str, text: str) -> str:
    """`assets/checker/checker.js` -> `assets/checker/checker.<tag>.js`, the tag from the content."""
    stem, dot, ext = uri.rpartition(".")
    return f"{stem}.{content_tag(hashlib.sha256(text.encode('utf-8')).hexdigest())}{dot}{ext}"


def built_name(site: Path, uri: str) -> str:
    """The name a built `site` gave the source file `uri` (for tools and tests that open it directly)."""
    stem, _, ext = uri.rpartition(".")
    shape = re.compile(rf"{re.escape(stem)}\.[0-9a-f]{{{TAG_LENGTH}}}\.{re.escape(ext)}")
    found = [rel for p in site.glob(f"{stem}.*.{ext}") if shape.fullmatch(rel := p.relative_to(site).as_posix())]
    if len(found) != 1:
        raise FingerprintError(f"{site}: {len(found)} built files for {uri}: {found}")
    return found[0]


def _resolve(uri: str, reference: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(uri), reference))


def _relative(uri: str, target: str) -> str:
    rel = posixpath.relpath(target, posixpath.dirname(uri))
    return rel if rel.startswith("../") else "./" + rel


def _rewrite(uri: str, text: str, names: dict[str, str]) -> str:
    def swap(match: re.Match[str]) -> str:
        target = _resolve(uri, match[1])
        return _relative(uri, names[target]) if target in names else match[1]
    return _REFERENCE.sub(swap, text)


def fingerprint(sources: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Hashed names for `sources` (site-relative URI -> text). Returns (old URI -> new URI, new URI ->
    text with its references to the other sources rewritten). Leaves first: a file is named once
    every source it references has its name."""
    names: dict[str, str] = {}
    texts: dict[str, str] = {}
    pending = dict(sources)
    while pending:
        ready = [uri for uri, text in sorted(pending.items())
                 if not {_resolve(uri, ref) for ref in _REFERENCE.findall(text)} & (pending.keys() - {uri})]
        if not ready:
            raise FingerprintError(f"riferimenti circolari tra {', '.join(sorted(pending))}")
        for uri in ready:
            text = _rewrite(uri, pending.pop(uri), names)
            names[uri] = hashed_uri(uri, text)
            texts[names[uri]] = text
    return names, texts


# A static import or re-export of a neighbour: `import { x } from "./money.js"`, `import "./a.js"`,
# `export * from "./b.js"`; not `import("./qr.js")`, which loads when the code asks for it.
_STATIC_IMPORT = re.compile(r"""^[ \t]*(?:import|export)\b(?:[^"'();]*?\bfrom)?\s*["'](\.{1,2}/[^"']+?\.m?js)["']""",
                            re.MULTILINE)


def module_graph(sources: dict[str, str], entry: str) -> list[str]:
    """The modules that the module `entry` of `sources` (site-relative URI -> text) imports statically,
    directly or through others: what the browser must fetch before it runs `entry`. In the order they are
    first met, `entry` left out; a module outside `sources` is listed but not followed."""
    found: list[str] = []
    queue = [entry]
    while queue:
        uri = queue.pop(0)
        for reference in _STATIC_IMPORT.findall(sources.get(uri, "")):
            target = _resolve(uri, reference)
            if target != entry and target not in found:
                found.append(target)
                queue.append(target)
    return found


# An attribute of a page that names a file: src, href, or a data- attribute (data-worker).
_ATTRIBUTE = re.compile(r'(\s(?:src|href|data-[a-z-]+)=")([^"#?:]+)(")')


def rewrite_page(html: str, page_dir: str, names: dict[str, str], root_path: str = "/") -> str:
    """`html` (a page whose URL folder is `page_dir`, '' for the root) with each reference to a renamed
    file pointing at its new name: relative ones (`../../assets/a.js`) and those from the site's root
    path `root_path` (`/assets/a.js`, as the 404 page writes them)."""
    def swap(match: re.Match[str]) -> str:
        value = match[2]
        if value.startswith("/"):
            target = value.removeprefix(root_path) if value.startswith(root_path) else None
            new = root_path + names[target] if target in names else None
        else:
            target = posixpath.normpath(posixpath.join(page_dir, value))
            new = posixpath.relpath(names[target], page_dir or ".") if target in names else None
        return match[0] if new is None else f"{match[1]}{new}{match[3]}"
    return _ATTRIBUTE.sub(swap, html)
