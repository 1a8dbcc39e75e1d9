"""The checker page of a call is made from its rules alone, whatever its shape and formula: the two
synthetic calls of tests/fixtures/rules/, which the site does not ship, get theirs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_scripts import checker_page
from checker import catalogue, checks, loader, model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
SYNTHETIC = [loader.load(FIXTURES / f"{name}.toml") for name in ("sintetico-2030", "sintetico-2031")]


@pytest.mark.parametrize("rules", SYNTHETIC, ids=lambda r: r.id)
def test_a_synthetic_call_has_its_checker_page(rules: model.Rules) -> None:
    page = checker_page.render_page(rules, "../../")
    assert f"Verifica online – {rules.short_title}" in page and f"Membri {rules.words.of_subject}" in page
    assert all(checks.title(rules, c) in page for c in rules.checks)
    assert all(f'data-field="{key}"' in page for key in rules.member_fields)


def test_the_screening_page_names_the_calls_that_ask_a_member_attribute() -> None:
    """One profile serves every call: a member attribute that only some calls ask says which, in its label."""
    calls = [*SYNTHETIC, *(catalogue.get(c) for c in catalogue.call_ids())]
    page = checker_page.render_screen(calls)
    labels = dict(re.findall(r'<label data-for="([a-z_]+)">([^<]*)</label>', page))
    assert labels.keys() == {key for call in calls for key in call.member_fields}
    for key, label in labels.items():
        asking = [c.short_title for c in calls if key in c.member_fields]
        named = re.search(r"\(solo per «(.*)»\)$", label)
        if len(asking) == len(calls):
            assert named is None, label
        else:
            assert named is not None and named.group(1).split("» e «") == asking, label
    assert any(label.endswith("»)") for label in labels.values())
