"""Content-hashed files are cached for good: `_headers` gives every file whose URL carries a content hash
(our scripts and stylesheets since the fingerprint hook, Material's, the Pyodide runtime's folder) one
Cache-Control, `immutable`, and no rule gives them another (the hosts join the values of every matching
rule). So a repeat visit asks the server for the page alone, not for any of its hashed files."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sitekit import CHROMIUM, CHROMIUM_ARGS, CONTEXT_ARGS, SiteServer, parse_headers_file

from build_scripts import bundle, deep_links
from build_scripts.hooks.security import IMMUTABLE, is_hashed
from build_scripts.serving import headers_for
from checker import get


def _cache_control(rules: Any, url: str) -> list[str]:
    return [value for name, value in headers_for(rules, url) if name.lower() == "cache-control"]


def test_every_hashed_file_is_immutable_and_nothing_else_is(site_dir: Path) -> None:
    rules = parse_headers_file((site_dir / "_headers").read_text())
    hashed = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file():
            continue
        if is_hashed(rel) and not rel.endswith(".map"):
            hashed.append(rel)
            assert _cache_control(rules, "/" + rel) == [IMMUTABLE], rel
        else:
            assert IMMUTABLE not in _cache_control(rules, "/" + rel), rel
    runtime = bundle.site_runtime(site_dir).relative_to(site_dir).as_posix()
    ours = [rel for rel in hashed if rel.startswith(("assets/checker/", "assets/offline/", "assets/stylesheets/site."))]
    assert {f"{runtime}/{name}" for name in bundle.RUNTIME_FILES} <= set(hashed)
    assert any(rel.startswith("assets/checker/worker.") for rel in ours) and len(ours) >= 5, ours


class _Logged(SiteServer):
    """The site's server, logging every request it answers (a 304 too) as (path, status)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.requests: list[tuple[str, int]] = []
        base = self.httpd.RequestHandlerClass.func
        log = self.requests

        class Handler(base):
            def log_request(self, code: Any = "-", size: Any = "-") -> None:
                log.append((self.path.split("?", 1)[0], int(getattr(code, "value", code))))

        self.httpd.RequestHandlerClass = partial(Handler, directory=str(root))


QR_LOADED = "() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/vendor/qrcode.'))"


@pytest.mark.browser
def test_a_repeat_visit_revalidates_no_hashed_file(browser_type: Any, site_dir: Path, tmp_path: Path) -> None:
    server = _Logged(site_dir)
    # A profile on disk, as a visitor's browser has: an incognito context's HTTP cache lives in memory and
    # keeps no entry the size of the WebAssembly file. Service workers blocked: the HTTP cache alone.
    context = browser_type.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS, service_workers="block", **CONTEXT_ARGS)
    try:
        call_id = "filiere-2022"
        link = server.url(f"/verifica/{call_id}/#{deep_links.fragment(get(call_id).examples[0].answers)}")
        for visit in range(2):  # a first visit, then a second one in a new tab of the same browser
            if visit:
                server.requests.clear()
            page = context.new_page()
            page.goto(link)
            page.wait_for_selector("#checker-result[data-verdict]", timeout=60_000)
            # The QR library comes after the verdict, once the page is idle (print.js): the first visit
            # waits until it is in, so that the HTTP cache holds everything the page loads by itself.
            page.wait_for_function(QR_LOADED, timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.close()
            if not visit:
                first = list(server.requests)
        again = list(server.requests)
    finally:
        context.close()
        server.close()
    assert any(is_hashed(path.lstrip("/")) for path, _ in first)
    asked = [(path, status) for path, status in again if is_hashed(path.lstrip("/"))]
    assert not asked, f"hashed files asked for again: {asked}"
    assert (f"/verifica/{call_id}/", 304) in again  # the page itself, revalidated (no-cache)
