"""The checker page of a call is made from its rules alone, whatever its shape and formula: the two
synthetic calls of tests/fixtures/rules/, which the site does not ship, get theirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts import checker_page
from checker import checks, loader, model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
SYNTHETIC = [loader.load(FIXTURES / f"{name}.toml") for name in ("sintetico-2030", "sintetico-2031")]


@pytest.mark.parametrize("rules", SYNTHETIC, ids=lambda r: r.id)
def test_a_synthetic_call_has_its_checker_page(rules: model.Rules) -> None:
    page = checker_page.render_page(rules, "../../")
    assert f"Verifica online – {rules.short_title}" in page and f"Membri {rules.words.of_subject}" in page
    assert all(checks.title(rules, c) in page for c in rules.checks)
    assert all(f'data-field="{key}"' in page for key in rules.member_fields)
