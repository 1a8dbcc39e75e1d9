"""axe-core finds no violation (WCAG 2.1 A/AA and best practice) on any page of the built site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sitekit import axe_violations, describe, site_pages

pytestmark = pytest.mark.browser

# Pages whose layout changes most on a phone (drawer navigation, wide tables that scroll).
SMALL_SCREEN = ("/", "/bandi/produzione-sostenibile-2024/", "/bandi/produzione-sostenibile-2024/contributo/",
                "/bandi/produzione-sostenibile-2024/spese/", "/confronto/", "/partner/")


def _axe(page: Any, server: Any, paths: list[str]) -> None:
    failures = {}
    for path in paths:
        page.goto(server.url(path))
        violations = axe_violations(page)
        if violations:
            failures[path] = describe(violations)
    assert not failures, "\n\n".join(f"{path}\n{text}" for path, text in failures.items())


def test_axe_every_page(page: Any, server: Any, site_dir: Path) -> None:
    extra = ["/404.html"] if (site_dir / "404.html").is_file() else []
    _axe(page, server, site_pages(site_dir) + extra)


def test_axe_on_a_small_screen(page: Any, server: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _axe(page, server, list(SMALL_SCREEN))
