"""The Content-Security-Policy the site ships (`_headers`), and every page working under it.

The test server (tests/conftest.py) sends the headers of the site's own `_headers`
file, so every browser test of the suite runs under this policy; here we prove the
policy is strict, that it is really enforced (a canary inline script is blocked and
reported), and that no page, the search and the checkers cause a single violation.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sitekit import CSP_WATCH, SiteServer, csp_violations, html_pages, parse_headers_file, watch_console

from build_scripts import deep_links
from build_scripts.serving import headers_for
from checker import catalogue
from checker.bridge import evaluate_json

CALLS = catalogue.call_ids()
EXECUTABLE = {"", "module", "importmap", "text/javascript", "application/javascript"}
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)


def csp_directives(site_dir: Path) -> dict[str, list[str]]:
    rules_ = parse_headers_file((site_dir / "_headers").read_text())
    everything = [headers for pattern, headers in rules_ if pattern == "/*"]
    assert everything, "_headers has no `/*` rule"
    policies = [value for name, value in everything[0] if name.lower() == "content-security-policy"]
    assert len(policies) == 1, "exactly one Content-Security-Policy for /*"
    directives = {}
    for part in policies[0].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script the browser would run (a plain regex, independent of the hook's parser)."""
    out = []
    for attrs, body in SCRIPT.findall(html):
        kind = re.search(r"""\btype\s*=\s*["']?([^"'\s>]*)""", attrs, re.I)
        if "src=" not in attrs.lower() and (kind.group(1).lower() if kind else "") in EXECUTABLE:
            out.append(body)
    return out


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def deep_link(call_id: str) -> tuple[str, dict[str, Any]]:
    """A deep link with the call's first data-driven case, and CPython's result for it."""
    from caselib import load_cases  # noqa: PLC0415 -- the cases loader lives beside the tests

    case = next(c for c in load_cases(call_id) if "submitted_at" in c.answers)
    result = json.loads(evaluate_json(call_id, case.answers_json))["result"]
    return f"/verifica/{call_id}/#{deep_links.fragment(case.answers)}", result


def test_policy_is_strict(site_dir: Path) -> None:
    d = csp_directives(site_dir)
    text = json.dumps(d)
    assert "'unsafe-eval'" not in text and "'unsafe-inline'" not in text and "'unsafe-hashes'" not in text
    assert d["default-src"] == ["'self'"]
    assert d["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert all(v.startswith("'sha256-") for v in d["script-src"][2:])
    for name, value in {"worker-src": ["'self'"], "connect-src": ["'self'"], "object-src": ["'none'"],
                        "base-uri": ["'self'"], "form-action": ["'self'"]}.items():
        assert d[name] == value, name
    assert "*" not in text and "http:" not in text and "https:" not in text


def test_the_hosting_page_shows_the_headers_the_site_ships(site_dir: Path) -> None:
    """ospitare/ shows the headers of `_headers`, generated with the site: its table with the theme's
    script hashes elided as `'sha256-…'`, its nginx and Apache examples exactly, hashes included.
    (tests/security/test_server_examples.py runs both.)"""
    def elided(values: list[str]) -> list[str]:
        plain = [v for v in values if not v.startswith("'sha256-")]
        return plain + (["'sha256-…'"] if len(plain) < len(values) else [])

    shown = "; ".join(" ".join([name, *elided(values)]) for name, values in csp_directives(site_dir).items())
    page = html.unescape(re.sub(r"<[^>]+>", "", (site_dir / "ospitare" / "index.html").read_text(encoding="utf-8")))
    assert page.count(shown) == 1, f"ospitare/ should show in its table: {shown}"
    everything = next(h for p, h in parse_headers_file((site_dir / "_headers").read_text()) if p == "/*")
    for name, value in everything:  # nginx: add_header Name "value" always; Apache: Header always set Name "value"
        assert page.count(f'{name} "{value}"') == 2, f"ospitare/ should show in both examples: {name}: {value}"
    assert page.count("default-src 'self';") == 3, \
        "a policy written out by hand on ospitare/: use the generated blocks (<!-- headers:NAME -->)"


def test_every_inline_script_is_hashed(site_dir: Path) -> None:
    allowed = set(csp_directives(site_dir)["script-src"])
    missing = {}
    for path in site_dir.rglob("*.html"):
        for body in inline_scripts(path.read_text(encoding="utf-8")):
            if sha256(body) not in allowed:
                missing[str(path.relative_to(site_dir))] = body[:80]
    assert not missing, f"inline scripts without a hash in the CSP: {missing}"


def test_other_security_headers(site_dir: Path) -> None:
    headers = dict(next(h for p, h in parse_headers_file((site_dir / "_headers").read_text()) if p == "/*"))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]
    assert "clipboard-write" not in headers["Permissions-Policy"]  # the checker's "copia link" needs it
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Framing, by path: refused everywhere but the embeddable checkers (tests/browser/test_embed.py frames them).
    rules = parse_headers_file((site_dir / "_headers").read_text())
    for path in ("/", "/index.html", "/bandi/filiere-2022/", "/verifica/filiere-2022/", "/assets/x.js", "/404.html",
                 "/sw.js", "/_headers"):
        page = headers_for(rules, path)
        assert ("Content-Security-Policy", "frame-ancestors 'none'") in page, path
        assert ("X-Frame-Options", "DENY") in page and ("Cross-Origin-Resource-Policy", "same-origin") in page, path
    embed = headers_for(rules, "/incorpora/filiere-2022/")
    assert ("Content-Security-Policy", "frame-ancestors *") in embed
    assert ("Cross-Origin-Resource-Policy", "cross-origin") in embed
    assert not [n for n, v in embed if n == "X-Frame-Options" or "frame-ancestors 'none'" in v]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_caching_rules(site_dir: Path) -> None:
    cache = {p: v for p, h in parse_headers_file((site_dir / "_headers").read_text()) for n, v in h
             if n == "Cache-Control"}
    assert cache["/sw.js"] == "no-cache"
    for page in html_pages(site_dir):
        assert cache.get(page) == "no-cache", page
    bundle = next(site_dir.glob("assets/javascripts/bundle.*.min.js")).relative_to(site_dir).as_posix()
    assert "immutable" in cache["/" + bundle]
    for pattern, value in cache.items():  # never "immutable" for a file whose name has no content hash
        if "immutable" in value:
            assert re.search(r"[0-9a-f]{8,}", pattern), pattern


def test_server_sends_the_policy(server: SiteServer) -> None:
    with urllib.request.urlopen(server.url("/")) as response:
        assert "wasm-unsafe-eval" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.browser
def test_policy_is_enforced(page: Any, server: SiteServer) -> None:
    """The canary: an inline script added at run time is blocked and reported, so zero means zero."""
    page.add_init_script(CSP_WATCH)
    page.goto(server.url("/"))
    page.evaluate("""() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.head.append(s); }""")
    page.wait_for_function("() => window.__csp.length > 0")
    assert page.evaluate("() => window.__ran") is None
    assert "script-src-elem" in page.evaluate("() => window.__csp")[0]


@pytest.mark.browser
def test_every_page_loads_without_violations(page_tour: dict[str, Any]) -> None:
    found = {path: visit.csp for path, visit in page_tour.items() if visit.csp}
    assert not found, f"CSP violations: {found}"


@pytest.mark.browser
def test_search_works_under_the_policy(page: Any, server: SiteServer) -> None:
    """Material's search runs in a web worker (worker-src 'self')."""
    page.add_init_script(CSP_WATCH)
    console = watch_console(page)
    page.goto(server.url("/"))
    page.wait_for_load_state("networkidle")  # the search index is fetched at page load
    page.keyboard.press("s")  # Material's shortcut opens the search
    box, hits = page.locator("input.md-search__input"), page.locator(".md-search-result__item")
    for _ in range(10):  # a query typed before the worker has indexed is not re-run: type it again
        box.fill("")
        box.press_sequentially("bando")  # Material searches on key events, not on a bare `input`
        try:
            hits.first.wait_for(timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    assert hits.count() > 0, "no search results"
    assert not csp_violations(page, console)


@pytest.mark.browser
@pytest.mark.parametrize("call_id", CALLS)
def test_checker_reaches_a_verdict_under_the_policy(page: Any, server: SiteServer, site_dir: Path,
                                                    call_id: str) -> None:
    if not (site_dir / "verifica" / call_id / "index.html").exists():
        pytest.skip(f"no checker page verifica/{call_id}/ in this build yet")
    page.add_init_script(CSP_WATCH)
    console = watch_console(page)
    link, expected = deep_link(call_id)
    page.goto(server.url(link))
    result = page.locator("#checker-result[data-verdict]")
    result.wait_for(state="attached", timeout=60_000)
    assert result.get_attribute("data-verdict") == expected["verdict"]
    page.wait_for_load_state("networkidle")
    assert not csp_violations(page, console)
