"""The bounds of the answers (checker/limits.py), the same in the validation and in the JSON Schema.

Each bound on both sides: at the bound accepted, one step above refused with a message that says
the bound. The page's own parsing reads the same figures from the page (tests/browser/test_money_input.py,
tests/site/test_bounds.py).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import checker
from checker import catalogue, limits, loader, members, model
from checker.answers import parse_answers
from checker.engine import evaluate_parsed, evaluate_rules, result_json
from checker.errors import AnswersError
from checker.limits import MAX_AMOUNT, MAX_INTEGER, MAX_MEMBERS, MAX_YEAR, MIN_YEAR
from checker.schema import answers_schema

jsonschema = pytest.importorskip("jsonschema")

PS = "produzione-sostenibile-2024"
FIL = "filiere-2022"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SYNTHETIC = [loader.load(FIXTURES / "rules" / f"{name}.toml") for name in ("sintetico-2030", "sintetico-2031")]
ALL_RULES = [*(catalogue.get(c) for c in catalogue.call_ids()), *SYNTHETIC]
WHEN = {"submitted_at": "2025-01-15T11:00:00"}


def error(rules: model.Rules, answers: Any) -> AnswersError:
    with pytest.raises(AnswersError) as err:
        evaluate_rules(rules, answers)
    return err.value


def as_json(value: Any) -> Any:
    """`value` as a JSON validator reads it: a Decimal is a JSON number, a binary float."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def schema_valid(rules: model.Rules, answers: Any) -> bool:
    return bool(jsonschema.Draft202012Validator(answers_schema(rules)).is_valid(as_json(answers)))


def test_the_bounds() -> None:
    """The figures the partner page documents (a change here is a change of the public format)."""
    assert (Decimal("999999999999.99"), 12) == (MAX_AMOUNT, limits.MAX_AMOUNT_DIGITS)
    assert (MAX_INTEGER, MAX_MEMBERS, MIN_YEAR, MAX_YEAR) == (999, 1000, 1900, 2999)


# --- amounts ------------------------------------------------------------------------------------

AMOUNTS_OK = ["999999999999.99", "000999999999999.99", "0", "0.01"]
AMOUNTS_TOO_BIG = ["1000000000000", "1000000000000.00", "1000000000000.01", "0001000000000000", "99999999999999"]
NUMBERS_TOO_BIG = ["999999999999.991", "1e400", "1E+13"]  # as JSON numbers only: not plain decimal texts


@pytest.mark.parametrize("rules", ALL_RULES, ids=lambda r: r.id)
def test_amounts_up_to_the_bound(rules: model.Rules) -> None:
    expense = rules.entered_expenses[0].id
    for text in AMOUNTS_OK:
        for value in (text, Decimal(text), float(text)):
            answers = {"expenses": {expense: value}}
            assert parse_answers(rules, answers).expenses == {expense: Decimal(text)}, value
            assert schema_valid(rules, answers), value
    for text in [*AMOUNTS_TOO_BIG, *NUMBERS_TOO_BIG]:
        floats = [float(text)] if float(text) != float("inf") else []
        for value in (Decimal(text), *floats, *([text] if text in AMOUNTS_TOO_BIG else [])):
            err = error(rules, {"expenses": {expense: value}})
            assert err.path == f"expenses.{expense}"
            assert err.message == "importo troppo grande: al massimo € 999.999.999.999,99", value
            assert not schema_valid(rules, {"expenses": {expense: value}}), value


@pytest.mark.parametrize("rules", ALL_RULES, ids=lambda r: r.id)
def test_every_cent_survives_the_result_json(rules: model.Rules) -> None:
    """Every expense type at the bound, or a cent below: every amount of the result, a JSON number (a
    binary float), reads back to the exact cent (above about 9×10^13 euro the cents were lost)."""
    for amount in (MAX_AMOUNT, MAX_AMOUNT - Decimal("0.01"), Decimal("987654321098.77")):
        answers = {"expenses": {e.id: format(amount, "f") for e in rules.entered_expenses}}
        exact = evaluate_parsed(rules, parse_answers(rules, answers))["grant"]
        read_back = json.loads(result_json({"grant": exact}), parse_float=Decimal)["grant"]

        def pairs(a: Any, b: Any) -> list[tuple[Any, Any]]:
            if isinstance(a, dict):
                return [p for k in a for p in pairs(a[k], b[k])]
            if isinstance(a, list):
                return [p for x, y in zip(a, b, strict=True) for p in pairs(x, y)]
            return [(a, b)] if isinstance(a, Decimal) else []

        figures = pairs(exact, read_back)
        assert figures and all(x == y for x, y in figures), [(x, y) for x, y in figures if x != y]
        assert exact["eligible_costs"] >= amount


# --- integers -----------------------------------------------------------------------------------

def integer_fields(rules: model.Rules) -> list[tuple[str, int, Any]]:
    """(path, its minimum, answers with `value` there) for each integer answer of a call."""
    out: list[tuple[str, int, Any]] = [
        (q.id, q.min or 0, lambda v, q=q: {q.id: v}) for q in rules.questions if q.type == "integer"]
    out += [(f"members[0].{a.key}", 0, lambda v, key=a.key: {"members": [{key: v}]})
            for a in members.ATTRIBUTES if a.kind == "count" and a.key in rules.member_fields]
    return out


@pytest.mark.parametrize("rules", [r for r in ALL_RULES if integer_fields(r)], ids=lambda r: r.id)
def test_integers_from_their_minimum_to_the_bound(rules: model.Rules) -> None:
    fields = integer_fields(rules)
    for path, low, answers in fields:
        for value in (low, MAX_INTEGER, float(MAX_INTEGER), Decimal("2.0") + low, Decimal("1E+1") + low):
            evaluate_rules(rules, WHEN | answers(value))
            assert schema_valid(rules, answers(value)), (path, value)
        parsed = parse_answers(rules, answers(Decimal(f"{MAX_INTEGER}.0")))
        shown = parsed.questions.get(path) if "." not in path else parsed.members[0].values[path.split(".")[1]]
        assert shown == MAX_INTEGER and type(shown) is int
        for value in (MAX_INTEGER + 1, low - 1, 10**400, 10**5000, Decimal("1E+400"), Decimal("2.5"),
                      float("inf"), Decimal("NaN"), True, "12", None):
            err = error(rules, answers(value))
            assert err.path == path, value
            assert err.message.startswith(f"deve essere un numero intero da {low} a {MAX_INTEGER}"), err.message
            assert len(err.message) < 100
            number = as_json(value)
            # A JSON value the validator can show in its message (it cannot print 10**5000 either).
            if not (isinstance(number, float) and not math.isfinite(number)) and number != 10**5000:
                assert not schema_valid(rules, answers(number)), (path, value)


def test_integers_too_long_for_python_to_print() -> None:
    """More than 4,300 digits: a named error, never the interpreter's ValueError."""
    for answers in ({"duration_months": 10**5000}, {"members": [{"financial_statements": 10**5000}]},
                    {"expenses": {"equipment": 10**5000}}):
        with pytest.raises(AnswersError) as err:
            checker.evaluate(PS, answers)
        assert "1.000e+5000" in str(err.value) or "troppo grande" in str(err.value)


# --- members ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rules", ALL_RULES, ids=lambda r: r.id)
def test_members_up_to_the_bound(rules: model.Rules) -> None:
    members = [{"size": "small"}] * MAX_MEMBERS
    assert len(parse_answers(rules, {"members": members}).members or ()) == MAX_MEMBERS
    assert schema_valid(rules, {"members": members})
    err = error(rules, {"members": [*members, {"size": "small"}]})
    assert (err.path, err.message) == ("members", f"al massimo {MAX_MEMBERS} membri, non {MAX_MEMBERS + 1}")
    assert not schema_valid(rules, {"members": [*members, {"size": "small"}]})


# --- years --------------------------------------------------------------------------------------

YEARS_OK = [f"{MIN_YEAR}-01-01T00:00:00", f"{MIN_YEAR}-01-01T00:00:00+14:00", f"{MAX_YEAR}-12-31T23:59:59",
            f"{MAX_YEAR}-12-31T23:59:59.999999-12:00", f"{MAX_YEAR}-12-31T23:59:59Z"]
YEARS_OUT = [f"{MIN_YEAR - 1}-12-31T23:59:59", f"{MAX_YEAR + 1}-01-01T00:00:00", "9999-12-31T23:59:59Z",
             "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00"]


@pytest.mark.parametrize("rules", ALL_RULES, ids=lambda r: r.id)
def test_submission_years(rules: model.Rules) -> None:
    for text in YEARS_OK:
        result = evaluate_rules(rules, {"submitted_at": text})
        assert result["window"]["status"] in ("open", "closed", "not_yet_open")
        assert schema_valid(rules, {"submitted_at": text}), text
    for text in YEARS_OUT:
        err = error(rules, {"submitted_at": text})
        assert err.path == "submitted_at"
        assert err.message == f"l’anno deve essere tra {MIN_YEAR} e {MAX_YEAR}, non {int(text[:4])}", text
        assert not schema_valid(rules, {"submitted_at": text}), text


def test_the_evaluation_time_has_the_same_years() -> None:
    from datetime import UTC, datetime  # noqa: PLC0415

    assert checker.evaluate(FIL, {}, datetime(MAX_YEAR, 12, 31, 23, 59, tzinfo=UTC))["window"]["status"] == "closed"
    for now in (datetime.max.replace(tzinfo=UTC), datetime(1, 1, 1), datetime(MIN_YEAR - 1, 12, 31)):
        with pytest.raises(AnswersError) as err:
            checker.evaluate(FIL, {}, now)
        assert err.value.path == "now" and f"tra {MIN_YEAR} e {MAX_YEAR}" in err.value.message
    with pytest.raises(AnswersError):
        checker.evaluate(FIL, {}, "2022-12-31T16:00:00")  # type: ignore[arg-type]


def test_the_schema_reads_the_bounds_from_limits() -> None:
    schema = answers_schema(catalogue.get(PS))
    props = schema["properties"]
    assert props["members"]["maxItems"] == MAX_MEMBERS
    assert props["members"]["items"]["properties"]["financial_statements"]["maximum"] == MAX_INTEGER
    assert props["duration_months"]["maximum"] == MAX_INTEGER
    number, text = props["expenses"]["properties"]["equipment"]["oneOf"]
    assert number["maximum"] == float(MAX_AMOUNT)
    assert "{1,12}" in text["pattern"]
    assert "1900" in props["submitted_at"]["description"] and "2999" in props["submitted_at"]["description"]
