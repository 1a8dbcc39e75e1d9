"""Synthetic calls: a new call needs only a rules file, and a call of a new shape at most one formula.

`tests/fixtures/rules/sintetico-2030.toml` has its own thresholds, expense types
(per-type rates, a 40% share limit, a 10% flat rate at its own 20% rate), member
class conditions and a cap raised by another class. `sintetico-2031.toml` has another
shape: minimums of two member classes, every large enterprise bound to the agreement,
a minimum duration, no opening date, and a ceiling per beneficiary (the formula
`per_member_cap`, the one piece of code it added). Each is loaded with
`checker.loader.load()` and evaluated by the same engine as the shipped calls, against
its own hand-computed cases in `tests/fixtures/cases/<id>/`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from caselib import Case, InvalidCase, compare, load_cases, load_invalid

from checker import catalogue, checks, formulas, loader, model
from checker.engine import evaluate_rules
from checker.errors import AnswersError, RulesError
from checker.limits import MAX_INTEGER
from checker.report import text_report
from checker.schema import answers_schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SYNTHETIC = {r.id: r for r in (loader.load(FIXTURES / "rules" / f"{name}.toml")
                                for name in ("sintetico-2030", "sintetico-2031"))}
RULES, SECOND = SYNTHETIC["sintetico-2030"], SYNTHETIC["sintetico-2031"]
CASES = [c for r in SYNTHETIC.values() for c in load_cases(r.id, FIXTURES / "cases")]
INVALID = [c for r in SYNTHETIC.values() for c in load_invalid(r.id, FIXTURES / "cases")]


@pytest.mark.parametrize("rules", SYNTHETIC.values(), ids=lambda r: r.id)
def test_the_synthetic_calls_are_not_shipped(rules: model.Rules) -> None:
    assert rules.id not in catalogue.call_ids()
    assert len([c for c in CASES if c.call_id == rules.id]) >= 20
    assert len([c for c in INVALID if c.call_id == rules.id]) >= 3


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_synthetic_case(case: Case) -> None:
    now = datetime.fromisoformat(case.now) if case.now else None
    result = evaluate_rules(SYNTHETIC[case.call_id], json.loads(case.answers_json), now)
    assert compare(case, result) == []
    assert result["call"] == case.call_id
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("case", INVALID, ids=lambda c: f"{c.call_id}: {c.name}")
def test_synthetic_invalid(case: InvalidCase) -> None:
    with pytest.raises(AnswersError) as err:
        evaluate_rules(SYNTHETIC[case.call_id], json.loads(case.answers_json))
    assert err.value.path == case.error


def test_the_second_shape_is_its_rules_file_and_one_formula() -> None:
    """The call of another shape reads the same vocabulary (check kinds, member attributes) and adds
    the formula `per_member_cap` alone: its ceiling step says the ceiling for each beneficiary."""
    assert {c.kind for c in SECOND.checks} <= set(checks.KINDS)
    assert SECOND.grant.formula == "per_member_cap" and SECOND.grant.formula in formulas.FORMULAS
    result = evaluate_rules(SECOND, json.loads(CASES[[c.call_id for c in CASES].index(SECOND.id)].answers_json))
    steps = [(s["label"], s["amount"]) for s in result["grant"]["steps"]]
    assert ("Massimale: € 50.000,00 per ogni impresa lombarda (2 imprese lombarde)", 100000.0) in steps
    assert result["grant"]["cap_increase"] == {"per_member": 50000.0, "members": 2, "amount": 100000.0}
    report = text_report(SECOND, result)
    assert "AMMISSIBILE" in report and "Almeno 6 mesi" in report and "€ 60.000,00" in report


def test_synthetic_breakdown_and_report() -> None:
    """The per-type rates show in the explanation; the text report works for any call."""
    result = evaluate_rules(RULES, json.loads(CASES[0].answers_json))
    steps = [s["label"] for s in result["grant"]["steps"]]
    assert any("50% di € 10.000,00" in s and "20% di € 4.000,00" in s for s in steps), steps
    lines = {e["id"]: e for e in result["grant"]["expenses"]}
    assert lines["overheads"]["entered"] is None and lines["overheads"]["rate"] == 0.2
    report = text_report(RULES, result)
    assert "AMMISSIBILE" in report and "Almeno 3 piccole imprese" in report and "€ 16.300,00" in report


def test_synthetic_schema_follows_its_rules() -> None:
    schema = answers_schema(RULES)
    props = schema["properties"]
    assert set(props) == {"submitted_at", "members", "areas", "expenses", "prototype", "months"}
    assert set(props["members"]["items"]["properties"]) == {"name", "size", "financial_statements"}
    assert set(props["expenses"]["properties"]) == {"studies", "machinery", "software"}
    assert props["months"] == {"type": "integer", "minimum": 6, "maximum": MAX_INTEGER,
                               "description": "Quanti mesi dura il progetto?"}
    assert props["areas"]["items"] == {"enum": ["alpha", "beta", "gamma"]}


@pytest.mark.parametrize(("old", "new", "path"), [
    ('parameters.cap_class = "imprese"', 'parameters.cap_class = "tutti"', "grant.parameters.cap_class"),
    ("parameters.rate = 0.40", "parameters.rate = 1.40", "grant.parameters.rate"),
    ("parameters.cap_per_member = 50_000.00", "parameters.cap_per_member = -1.00", "grant.parameters.cap_per_member"),
    ('label = "Personale"\n', 'label = "Personale"\nrate = 0.50\n', "expenses[0].rate"),
    ('headline = "Contributo stimato: {amount}"\n', 'headline = "Contributo stimato: {amount}"\ncap_label = "M"\n',
     "grant.cap_label"),
])
def test_the_second_formula_checks_its_parameters(old: str, new: str, path: str) -> None:
    text = (FIXTURES / "rules" / "sintetico-2031.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    with pytest.raises(RulesError) as err:
        loader.loads(text.replace(old, new), "sintetico-2031.toml")
    assert err.value.path == path
