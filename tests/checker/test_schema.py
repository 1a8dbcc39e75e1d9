"""The JSON Schema of the answers format, generated from each call's rules.

Checked with the `jsonschema` package (Draft 2020-12): every case's answers and
every example of the rules files are valid; answers the checker rejects for a
reason a schema can express are invalid too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from caselib import load_cases, load_invalid

from checker import catalogue, loader
from checker.model import Rules
from checker.schema import answers_schema

jsonschema = pytest.importorskip("jsonschema")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SYNTHETIC = loader.load(FIXTURES / "rules" / "sintetico-2030.toml")
RULES = {r.id: r for r in [*(catalogue.get(c) for c in catalogue.call_ids()), SYNTHETIC]}
CASES = [*load_cases(), *load_cases("sintetico-2030", FIXTURES / "cases")]
INVALID = [*load_invalid(), *load_invalid("sintetico-2030", FIXTURES / "cases")]


def validator(call_id: str) -> Any:
    return jsonschema.Draft202012Validator(answers_schema(RULES[call_id]))


def errors(call_id: str, answers: Any) -> list[str]:
    return [e.message for e in validator(call_id).iter_errors(answers)]


@pytest.mark.parametrize("call_id", sorted(RULES))
def test_schema_is_a_valid_2020_12_schema(call_id: str) -> None:
    schema = answers_schema(RULES[call_id])
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"{call_id}.schema.json"
    assert schema["additionalProperties"] is False
    assert json.loads(json.dumps(schema)) == schema


def test_schema_is_generated_from_the_rules() -> None:
    ps, fil = answers_schema(RULES["produzione-sostenibile-2024"]), answers_schema(RULES["filiere-2022"])
    assert set(ps["properties"]) == {"submitted_at", "members", "areas", "expenses", "intervention_in_lombardy",
                                     "technical_report", "duration_months"}
    assert set(fil["properties"]) == {"submitted_at", "members", "areas", "expenses", "lead_partner",
                                      "shared_objectives", "strategy"}
    assert ps["properties"]["areas"]["items"]["enum"] == [
        "eco-design", "low-impact-energy", "green-standards", "circular-bioeconomy", "product-as-service",
        "hard-to-recover-materials", "by-products"]
    assert fil["properties"]["areas"]["items"]["enum"] == [
        "sustainability", "innovation", "human-capital", "internationalisation", "credit"]
    assert list(ps["properties"]["expenses"]["properties"]) == [
        "consultancy", "equipment", "home_automation", "environmental_certifications", "technical_certifications",
        "engineering", "materials", "intellectual_property", "training"]
    assert list(fil["properties"]["expenses"]["properties"]) == ["sme", "large"]
    assert set(ps["properties"]["members"]["items"]["properties"]) == {
        "name", "size", "lombardy_site", "financial_statements", "signed_agreement"}
    assert set(fil["properties"]["members"]["items"]["properties"]) == {"name", "size", "lombardy_site"}
    assert ps["properties"]["duration_months"]["minimum"] == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_case_is_valid(case: Any) -> None:
    assert errors(case.call_id, json.loads(case.answers_json)) == []


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.id)
def test_every_invalid_entry_is_invalid(case: Any) -> None:
    assert errors(case.call_id, json.loads(case.answers_json)) != []


@pytest.mark.parametrize("rules", list(RULES.values()), ids=lambda r: r.id)
def test_examples_of_the_rules_are_valid(rules: Rules) -> None:
    for example in rules.examples:
        assert errors(rules.id, json.loads(json.dumps(example.answers))) == [], example.title


@pytest.mark.parametrize("text", [
    '{"expenses": {"sme": 19.99}}', '{"expenses": {"sme": 0.07}}', '{"expenses": {"sme": "0.07"}}',
    '{"expenses": {"sme": 1e3}}', '{"expenses": {"sme": 0}}', '{"submitted_at": "2022-12-31T15:00:00Z"}',
    '{"submitted_at": "2022-12-31T16:00"}', '{"submitted_at": "2022-12-31T16:00:00.5+01:00"}', "{}",
    '{"members": [{}]}',
])
def test_valid_answers(text: str) -> None:
    assert errors("filiere-2022", json.loads(text)) == []


@pytest.mark.parametrize("text", [
    '{"expenses": {"sme": -1}}', '{"expenses": {"sme": "12.500,00"}}', '{"expenses": {"sme": "1.005"}}',
    '{"expenses": {"sme": true}}', '{"expenses": {"sme": "١٠٠"}}',
    '{"expenses": {"sme": 1e15}}', '{"expenses": {"indirect": 1}}', '{"areas": ["credit", "credit"]}',
    '{"members": [{"size": "huge"}]}', '{"members": [{"size": "micro", "signed_agreement": true}]}',
    '{"duration_months": 12}', '{"lead_partner": "yes"}', '{"submitted_at": "31/12/2022"}',
    '{"colour": 1}', "[]",
    # Not here: a trailing newline ("100\\n"). The schema's patterns are ECMA-262, where `$` ends the input;
    # Python's `re`, used by the jsonschema package, lets `$` match before a final newline.
    # The checker itself refuses it (tests/checker/test_cli.py).
])
def test_invalid_answers(text: str) -> None:
    assert errors("filiere-2022", json.loads(text)) != []
