"""Every data-driven case of `tests/cases/`, run in CPython through `checker.evaluate`.

The expected figures were computed by hand from the calls' texts; a case that
disagrees with the engine is a bug in one of the two, never something to paste over.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from caselib import Case, InvalidCase, compare, load_cases, load_invalid

import checker
from checker.bridge import evaluate_json
from checker.errors import AnswersError
from checker.report import text_report

CASES = load_cases()
INVALID = load_invalid()


def _now(case: Case) -> datetime | None:
    return datetime.fromisoformat(case.now) if case.now else None


def run(case: Case) -> dict[str, Any]:
    return checker.evaluate(case.call_id, json.loads(case.answers_json), _now(case))


def test_every_call_has_cases() -> None:
    assert {c.call_id for c in CASES} == set(checker.call_ids())
    assert {c.call_id for c in INVALID} == set(checker.call_ids())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(case: Case) -> None:
    # A case is reproducible: it gives the instant, either in its answers or as `now`.
    assert case.now or "submitted_at" in case.answers, "a case needs submitted_at or now"
    result = run(case)
    assert compare(case, result) == []
    # The result is JSON as the spec says, and the same answers give the same result.
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == result
    assert json.dumps(run(case), ensure_ascii=False) == text
    assert result["call"] == case.call_id
    assert [c["id"] for c in result["checks"]] == [c.id for c in checker.get(case.call_id).checks]
    # The browser's JSON bridge writes exactly this result's JSON (from Decimal amounts, in C); the text
    # report reads it without failing.
    assert evaluate_json(case.call_id, case.answers_json, case.now) == json.dumps({"result": result},
                                                                                  ensure_ascii=False)
    assert text_report(checker.get(case.call_id), result).startswith(checker.get(case.call_id).title + "\nEsito: ")


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.id)
def test_invalid_answers(case: InvalidCase) -> None:
    with pytest.raises(AnswersError) as err:
        checker.evaluate(case.call_id, json.loads(case.answers_json), datetime(2024, 1, 1))
    assert err.value.path == case.error


def test_expected_checks_exist() -> None:
    """A typo in a case's check id would make its expectation vacuous."""
    for case in CASES:
        ids = {c.id for c in checker.get(case.call_id).checks}
        assert set(case.expect.get("checks", {})) <= ids, case.id


@pytest.mark.parametrize("call_id", checker.call_ids())
def test_every_check_is_seen_failing_passing_and_missing(call_id: str) -> None:
    """The Catala lesson: no rule is tested only on its happy side."""
    seen: dict[str, set[str]] = {}
    for case in CASES:
        if case.call_id == call_id:
            for check_id, status in case.expect.get("checks", {}).items():
                seen.setdefault(check_id, set()).add(status)
    for check in checker.get(call_id).checks:
        wanted = {"pass", "fail"} if check.kind == "window" else {"pass", "fail", "missing"}
        assert wanted <= seen.get(check.id, set()), (check.id, seen.get(check.id))


@pytest.mark.parametrize("call_id", checker.call_ids())
def test_every_window_status_and_verdict_is_expected_somewhere(call_id: str) -> None:
    cases = [c for c in CASES if c.call_id == call_id]
    assert {c.expect["verdict"] for c in cases} == {"eligible", "not_eligible", "incomplete"}
    windows = {c.expect.get("window") for c in cases} - {None}
    rules = checker.get(call_id)
    assert windows == ({"open", "closed", "not_yet_open"} if rules.window.opens else {"open", "closed"})
    assert any(c.expect.get("grant") == "none" for c in cases)
    assert any(isinstance(c.expect.get("grant"), dict) and c.expect["grant"].get("capped") is True for c in cases)
