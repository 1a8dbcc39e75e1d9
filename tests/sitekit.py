"""The built site as the tests see it: the real `mkdocs build --strict`, served as a static host would.

`SiteServer` (build_scripts/serving.py, shared with `make bench`) applies the site's own `_headers`
file (so the Content-Security-Policy the site ships is enforced in every browser test). Imported by
tests/conftest.py (the shared fixtures) and by the tests that need a server of their own
(tests/offline, tests/security).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # build_scripts and the checker package live at the project root
    sys.path.insert(0, str(ROOT))

from build_scripts.serving import (  # noqa: E402 -- needs the project root on sys.path
    CHROMIUM,
    CHROMIUM_ARGS,
    SiteServer,
    headers_for,
    parse_headers_file,
)

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "CONTEXT_ARGS", "CSP_WATCH", "ROOT", "SiteServer", "axe_violations",
           "build_site", "csp_violations", "describe", "headers_for", "html_pages", "parse_headers_file", "settle",
           "site_pages", "watch_console"]

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


# An init script: collected before any page script runs; `securitypolicyviolation` fires for every blocked thing.
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  [e.effectiveDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber].join(" ")));
"""


def watch_console(page: Any) -> list[str]:
    """The page's console messages about its policies, and its uncaught errors, as they come."""
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text)
            if "Content Security Policy" in m.text or "Permissions-Policy" in m.text else None)
    page.on("pageerror", lambda e: messages.append(f"page error: {e}"))
    return messages


def csp_violations(page: Any, console: list[str]) -> list[str]:
    """What `CSP_WATCH` and `watch_console` have seen on the current page."""
    return list(page.evaluate("() => window.__csp")) + console


def html_pages(site: Path) -> list[str]:
    """The URL path of every HTML file of the built site: `site_pages`, and the others (404.html) by name."""
    others = sorted("/" + p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "index.html")
    return site_pages(site) + others


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
