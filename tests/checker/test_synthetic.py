"""Point 5 of the issue: a third, synthetic call needs only a rules file.

`tests/fixtures/rules/sintetico-2030.toml` has its own thresholds, expense types
(per-type rates, a 40% share limit, a 10% flat rate at its own 20% rate), member
class conditions and a cap raised by another class. It is loaded with
`checker.loader.load()` and evaluated by the same engine as the shipped calls,
against its own hand-computed cases in `tests/fixtures/cases/sintetico-2030/`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from caselib import Case, InvalidCase, compare, load_cases, load_invalid

from checker import catalogue, loader
from checker.engine import evaluate_rules
from checker.errors import AnswersError
from checker.limits import MAX_INTEGER
from checker.report import text_report
from checker.schema import answers_schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULES = loader.load(FIXTURES / "rules" / "sintetico-2030.toml")
CASES = load_cases(RULES.id, FIXTURES / "cases")
INVALID = load_invalid(RULES.id, FIXTURES / "cases")


def test_the_synthetic_call_is_not_shipped() -> None:
    assert RULES.id not in catalogue.call_ids()
    assert len(CASES) >= 25 and len(INVALID) >= 3


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_synthetic_case(case: Case) -> None:
    now = datetime.fromisoformat(case.now) if case.now else None
    result = evaluate_rules(RULES, json.loads(case.answers_json), now)
    assert compare(case, result) == []
    assert result["call"] == "sintetico-2030"
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.name)
def test_synthetic_invalid(case: InvalidCase) -> None:
    with pytest.raises(AnswersError) as err:
        evaluate_rules(RULES, json.loads(case.answers_json))
    assert err.value.path == case.error


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
