"""axe-core finds no violation (WCAG 2.1 A/AA and best practice) on any page of the built site."""

from __future__ import annotations

from typing import Any

import pytest
from sitekit import axe_violations, describe

pytestmark = pytest.mark.browser

# Pages whose layout changes most on a phone (drawer navigation, wide tables that scroll).
SMALL_SCREEN = ("/", "/bandi/produzione-sostenibile-2024/", "/bandi/produzione-sostenibile-2024/contributo/",
                "/bandi/produzione-sostenibile-2024/spese/", "/confronto/", "/partner/")


def _report(found: dict[str, list[dict[str, Any]]]) -> str:
    return "\n\n".join(f"{path}\n{describe(violations)}" for path, violations in found.items() if violations)


def test_axe_every_page(page_tour: dict[str, Any]) -> None:
    assert "/404.html" in page_tour
    assert not (failures := _report({path: visit.axe for path, visit in page_tour.items()})), failures


def test_axe_on_a_small_screen(page: Any, server: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    found = {}
    for path in SMALL_SCREEN:
        page.goto(server.url(path))
        found[path] = axe_violations(page)
    assert not (failures := _report(found)), failures
