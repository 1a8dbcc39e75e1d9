"""The SME class helper (checker/sme.py, Recommendation 2003/361/EC): the data-driven cases of
tests/cases/_sme/ on both sides of every ceiling, through the bridge the browser calls and the
command line; invalid figures are errors naming the figure. The same cases run in Pyodide
(tests/pyodide/test_parity.py)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest
from caselib import compare_sme, load_sme_cases, load_sme_invalid

from checker.__main__ import main
from checker.bridge import classify_json

CASES = load_sme_cases()
INVALID = load_sme_invalid()


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case(case) -> None:  # type: ignore[no-untyped-def]
    reply = json.loads(classify_json(case.figures_json))
    assert "result" in reply, reply
    assert compare_sme(case, reply["result"]) == []


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.name)
def test_invalid_figures_name_the_figure(case) -> None:  # type: ignore[no-untyped-def]
    reply = json.loads(classify_json(case.figures_json))
    assert reply["error"]["path"] == case.error
    assert case.message in reply["error"]["message"]
    assert "Traceback" not in reply["error"]["message"]


def test_every_ceiling_is_tried_on_both_sides() -> None:
    """The Catala lesson: each class is seen passing and failing, and each size is a result."""
    sizes = {c.expect["size"] for c in CASES}
    assert {"micro", "small", "medium", "large", "none"} <= sizes
    statuses: dict[str, set[str]] = {}
    for case in CASES:
        for size, status in case.expect.get("statuses", {}).items():
            statuses.setdefault(size, set()).add(status)
    for size in ("micro", "small", "medium"):
        assert {"pass", "fail"} <= statuses.get(size, set()), size


def test_the_command_line_gives_the_same_result() -> None:
    code, out, err = run(["pmi", "--ula", "49.99", "--fatturato", "10000000", "--bilancio", "12000000"])
    assert code == 0, err
    result = json.loads(out)
    assert result == json.loads(classify_json('{"headcount": 49.99, "turnover": 10000000, '
                                              '"balance_sheet": 12000000}'))["result"]
    assert result["size"] == "small"


def test_the_command_line_names_the_bad_option() -> None:
    code, out, err = run(["pmi", "--ula", "-3"])
    assert code == 2 and out == ""
    assert err.startswith("errore: --ula:") and "Traceback" not in err
