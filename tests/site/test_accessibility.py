"""axe-core finds no violation (WCAG 2.1 A/AA and best practice) on any page of the built site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sitelib import ROOT, site_pages

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
# Pages whose layout changes most on a phone (drawer navigation, wide tables that scroll).
SMALL_SCREEN = ("/", "/bandi/produzione-sostenibile-2024/", "/bandi/produzione-sostenibile-2024/contributo/",
                "/bandi/produzione-sostenibile-2024/spese/", "/confronto/", "/partner/")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # axe-core is injected as an inline script, which the site's own CSP (served from _headers) forbids.
    return {**browser_context_args, "bypass_csp": True}


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} nodi, es. {targets}")
    return "\n".join(lines)


def _axe(page: Any, server: Any, paths: list[str]) -> None:
    assert AXE.is_file(), "node_modules/axe-core mancante: esegui `make setup`"
    failures = {}
    for path in paths:
        page.goto(server.url(path))
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN, TAGS)
        if result["violations"]:
            failures[path] = _describe(result["violations"])
    assert not failures, "\n\n".join(f"{path}\n{text}" for path, text in failures.items())


def test_axe_every_page(page: Any, server: Any, site_dir: Path) -> None:
    extra = ["/404.html"] if (site_dir / "404.html").is_file() else []
    _axe(page, server, site_pages(site_dir) + extra)


def test_axe_on_a_small_screen(page: Any, server: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _axe(page, server, list(SMALL_SCREEN))
