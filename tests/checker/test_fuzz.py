"""No traceback, ever: arbitrary JSON through every entry point gives a result or a named error.

Hypothesis draws answers objects whose every path (top-level keys, members, expenses, areas,
questions) holds either a well-typed value, a value near a bound, or arbitrary JSON: huge and
negative integers, integers of thousands of digits, NaN and infinities, lone surrogates,
control characters, long texts and keys, deep nesting. For both shipped calls and the synthetic
one, through the API (`checker.evaluate`, `evaluate_rules`), the browser bridge
(`evaluate_json`) and the command line (`checker.__main__.main`, in process, stdio captured),
the outcome is a result object or a `CheckerError`, and nothing else:

- a result is JSON without NaN, that UTF-8 can encode;
- an error message is one line, short (bad values are quoted shortened), UTF-8-encodable;
- the bridge always returns JSON, `{"result": ...}` or `{"error": {"path", "message"}}`;
- the command line exits 0 with the result on standard output, or 2 with one `errore:` line
  on standard error; never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from caselib import json_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checker
from checker import __main__ as cli
from checker import catalogue, loader
from checker.answers import loads_json
from checker.bridge import evaluate_json
from checker.engine import evaluate_rules
from checker.errors import CheckerError
from checker.limits import MAX_AMOUNT, MAX_INTEGER, MAX_YEAR, MIN_YEAR
from checker.members import SIZES
from checker.model import Rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SYNTHETIC = [loader.load(FIXTURES / "rules" / f"{name}.toml") for name in ("sintetico-2030", "sintetico-2031")]
SHIPPED = [catalogue.get(c) for c in catalogue.call_ids()]
ALL_RULES = [*SHIPPED, *SYNTHETIC]
SHIPPED_IDS = {r.id for r in SHIPPED}
BY_ID = {r.id: r for r in ALL_RULES}
MAX_MESSAGE = 600  # characters: the longest sentence plus a quoted value, never the value itself
EXAMPLES = 400  # answers objects a run draws, each through the API (as objects and as JSON text) and the bridge
CLI_EXAMPLES = 80  # answers texts a run gives the command line, in process

# --- the strategies -----------------------------------------------------------------------------

surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2)
texts = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(), max_size=8),  # any code point but a surrogate
    surrogates.map(lambda s: f"a{s}b"),
    st.sampled_from(["", " ", "\n", "\x00", "«»’€", "12.500,00", "1.500", "12,5", "1 000", "-0", "1e5",
                     "999999999999.99", "1000000000000", "0001", "NaN", "Infinity", "x" * 5000]),
)
integers = st.one_of(
    st.integers(),
    st.integers(min_value=-2, max_value=MAX_INTEGER + 2),
    st.sampled_from([400, 5000, -400, -5000]).map(lambda e: 10 ** abs(e) * (1 if e > 0 else -1)),  # thousands of digits
    st.sampled_from([2**63, -1, 0]),
)
numbers = st.one_of(
    integers,
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("2.0"), Decimal("1E+400"), Decimal("-0"), Decimal("0.001"), MAX_AMOUNT,
                     MAX_AMOUNT + Decimal("0.01"), Decimal("1E-400")]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
anything = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=12)


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


deep = st.integers(min_value=1, max_value=150).map(_nested)  # deeper nesting: tests/checker/test_cli.py
datetimes = st.one_of(
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
    st.sampled_from(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00", f"{MIN_YEAR}-01-01T00:00:00+14:00",
                     f"{MAX_YEAR}-12-31T23:59:59-12:00", "2025-02-29T10:00:00", "2025-04-03T16:00:00+24:00",
                     "2025-04-03T16:00:00.1234567"]),
)


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any], odds: int = 6) -> st.SearchStrategy[Any]:
    """`good` `odds` times out of `odds + 1`: mostly well-formed, so that the deeper paths are reached too (the
    first bad key or value of an object stops the validation there)."""
    return st.integers(0, odds).flatmap(lambda i: good if i < odds else bad)  # one_of would weigh them alike


def _object(keys: st.SearchStrategy[Any], values: dict[str, st.SearchStrategy[Any]],
            max_size: int) -> st.SearchStrategy[Any]:
    return st.dictionaries(keys, st.just(None), max_size=max_size).flatmap(
        lambda d: st.fixed_dictionaries({k: _mostly(values.get(k, anything), anything) for k in d}))


def member_for(rules: Rules) -> st.SearchStrategy[Any]:
    values = {"name": texts, "size": _mostly(st.sampled_from(SIZES), texts), "lombardy_site": st.booleans(),
              "financial_statements": integers, "signed_agreement": st.booleans()}
    keys = _mostly(st.sampled_from(rules.member_fields), st.sampled_from(["signed_agreement", "colour"]) | texts, 20)
    return _mostly(_object(keys, values, 5), anything)


def answers_for(rules: Rules) -> st.SearchStrategy[Any]:
    every_key = sorted({k for r in ALL_RULES for k in r.answer_keys})
    areas = _mostly(st.sampled_from([a.id for a in rules.areas]),
                    st.sampled_from([a.id for r in ALL_RULES for a in r.areas]) | texts, 3)
    expenses = _mostly(st.sampled_from([e.id for e in rules.entered_expenses]),
                       st.sampled_from([e.id for r in ALL_RULES for e in r.expenses]) | texts)
    questions = {q.id: (st.booleans() if q.type == "boolean" else integers) for r in ALL_RULES for q in r.questions}
    values: dict[str, st.SearchStrategy[Any]] = {
        "submitted_at": datetimes,
        "members": st.lists(member_for(rules), max_size=6),
        "areas": st.lists(areas, max_size=4),
        "expenses": st.dictionaries(expenses, _mostly(numbers, texts, 2), max_size=4),
        **questions,
    }
    keys = _mostly(st.sampled_from(rules.answer_keys), st.sampled_from(every_key) | texts, 20)
    return _mostly(_object(keys, values, 7), anything | deep, 8)


# --- the checks of an outcome -------------------------------------------------------------------

def _message_ok(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message, message
    assert len(message) <= MAX_MESSAGE, message[:200]
    message.encode("utf-8")  # no lone surrogate: the browser and any output can show it


def _result_ok(result: dict[str, Any]) -> None:
    assert result["verdict"] in ("eligible", "not_eligible", "incomplete")
    json.dumps(result, allow_nan=False, ensure_ascii=False).encode("utf-8")


def outcome(rules: Rules, answers: Any) -> str:
    """'result' or 'error' through the API (the synthetic call is not shipped: its rules directly)."""
    try:
        result = checker.evaluate(rules.id, answers) if rules.id in SHIPPED_IDS else evaluate_rules(rules, answers)
    except CheckerError as err:
        _message_ok(str(err))
        return "error"
    _result_ok(result)
    return "result"


def run_cli(call_id: str, text: str) -> tuple[int, str, str]:
    stdin = SimpleNamespace(buffer=io.BytesIO(text.encode("utf-8", "surrogatepass")))
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(sys, "stdin", stdin), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["evaluate", call_id])
    return code, out.getvalue(), err.getvalue()


FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(data=st.data())
def test_any_json_gives_a_result_or_a_named_error(data: st.DataObject) -> None:
    rules = BY_ID[data.draw(st.sampled_from(sorted(BY_ID)))]
    answers = data.draw(answers_for(rules))
    outcome(rules, answers)  # Python objects, as a caller of the API gives them
    text = json_text(answers)  # the same answers as JSON text, read as the command line reads them
    try:
        outcome(rules, loads_json(text))
    except CheckerError as err:
        _message_ok(str(err))
    if rules.id in SHIPPED_IDS:  # and as the browser's worker does
        raw = evaluate_json(rules.id, text)
        raw.encode("utf-8")  # what Pyodide hands to JavaScript
        reply = json.loads(raw)
        assert set(reply) in ({"result"}, {"error"}), reply
        if "error" in reply:
            error = reply["error"]
            assert set(error) == {"path", "message"}
            _message_ok(error["message"])
            assert not error["path"] or not error["message"].startswith(error["path"] + ":"), error  # the path once
        else:
            _result_ok(reply["result"])


@settings(max_examples=CLI_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_command_line_prints_a_result_or_one_error_line(data: st.DataObject) -> None:
    rules = BY_ID[data.draw(st.sampled_from(sorted(SHIPPED_IDS)))]
    text = json_text(data.draw(answers_for(rules)))
    if data.draw(st.booleans()):
        text = "\ufeff" + text  # a byte-order mark, as some editors write
    code, out, err = run_cli(rules.id, text)
    if code == 0:
        assert err == ""
        _result_ok(json.loads(out))
    else:
        assert code == 2 and out == "", (code, out)
        assert err.startswith("errore: ") and err.endswith("\n") and err.count("\n") == 1, err
        _message_ok(err[len("errore: "):-1])
