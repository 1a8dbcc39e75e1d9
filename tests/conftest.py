"""Fixtures shared by every test: the built site, a local static server, Chromium.

The site and its server are in tests/sitekit.py (the server: build_scripts/serving.py, shared
with `make bench`). Every page a test opens is watched: a request to any host other than the local
server fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sitekit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CONTEXT_ARGS,
    CSP_WATCH,
    ROOT,
    SiteServer,
    axe_violations,
    build_site,
    csp_violations,
    html_pages,
    watch_console,
)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as built from this checkout (once per session), or `$SITE_DIR` when given."""
    given = os.environ.get("SITE_DIR")
    if given:
        return Path(given)
    return build_site(ROOT, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[SiteServer]:
    srv = SiteServer(site_dir)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, **CONTEXT_ARGS}


@pytest.fixture
def other_origins() -> list[str]:
    """Origins a test serves itself besides the site (a partner's page on 127.0.0.2): allowed to `page`."""
    return []


def watch_hosts(context: Any, server: SiteServer, other_origins: list[str]) -> list[str]:
    """The URLs `context` requests from any host but the local server and `other_origins`, as they come."""
    foreign: list[str] = []

    def watch(request: Any) -> None:
        url = request.url
        if not url.startswith((server.origin, "data:", "blob:", "about:", *other_origins)):
            foreign.append(url)

    context.on("request", watch)
    return foreign


@pytest.fixture
def page(page: Any, server: SiteServer, other_origins: list[str]) -> Iterator[Any]:
    """A Playwright page that fails the test if anything is requested from another host."""
    foreign = watch_hosts(page.context, server, other_origins)
    yield page
    assert not foreign, f"requests to other hosts: {foreign}"


class PageVisit(NamedTuple):
    axe: list[dict[str, Any]]  # axe-core's violations once the page has loaded (sitekit.axe_violations)
    csp: list[str]  # the policy violations and page errors until its network is idle (sitekit.csp_violations)


@pytest.fixture(scope="session")
def page_tour(browser: Any, browser_context_args: dict[str, Any], server: SiteServer,
              site_dir: Path) -> dict[str, PageVisit]:
    """Every HTML page of the build visited once, for the tests that read each page whole: axe's findings
    (tests/site/test_accessibility.py) and the policy's (tests/security/test_csp.py). One visit serves
    both: axe runs while the page's last requests (the search index, the service worker) finish."""
    context = browser.new_context(**browser_context_args)
    foreign = watch_hosts(context, server, [])
    visits = {}
    try:
        page = context.new_page()
        page.add_init_script(CSP_WATCH)
        console = watch_console(page)
        for path in html_pages(site_dir):
            page.goto(server.url(path))
            axe = axe_violations(page)
            page.wait_for_load_state("networkidle")
            visits[path] = PageVisit(axe, csp_violations(page, console))
            console.clear()
    finally:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    return visits
