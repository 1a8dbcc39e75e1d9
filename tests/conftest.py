"""Fixtures shared by every test: the built site, a local static server, Chromium.

The site and its server are in tests/sitekit.py (the server: build_scripts/serving.py, shared
with `make bench`). Every page a test opens is watched: a request to any host other than the local
server fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitekit import CHROMIUM, CHROMIUM_ARGS, CONTEXT_ARGS, ROOT, SiteServer, build_site


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


@pytest.fixture
def page(page: Any, server: SiteServer, other_origins: list[str]) -> Iterator[Any]:
    """A Playwright page that fails the test if anything is requested from another host."""
    foreign: list[str] = []

    def watch(request: Any) -> None:
        url = request.url
        if not url.startswith((server.origin, "data:", "blob:", "about:", *other_origins)):
            foreign.append(url)

    page.context.on("request", watch)
    yield page
    assert not foreign, f"requests to other hosts: {foreign}"
