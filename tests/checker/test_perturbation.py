"""Perturbation test: no figure or date of a rules file is left untested.

For each rules file (the two shipped calls and the two synthetic fixture calls), every
number and date leaf of the parsed TOML (read with ``parse_float=Decimal``) is
changed by one unit, one at a time: an integer by ±1, a decimal by ± one unit of
its last decimal place (0.60 -> 0.59 / 0.61, 300000.00 -> 299999.99 / 300000.01),
a date-time by ± 1 minute. The changed data is rebuilt with
``checker.loader.from_data`` and every case of that call (``tests/cases/<call-id>/``,
``[[case]]`` and ``[[invalid]]`` entries) is evaluated with
``checker.engine.evaluate_rules``: at least one case must then miss its expectation
(a different verdict, status or figure, or an answers error where none was
expected, or none where one was). A perturbation that survives means a threshold
no case pins down: add the missing case, never weaken this test.

Skipped leaves: ``format`` (the file format version) and the figures listed by
``checker.convert.informational_paths()`` (shown to people, evaluated by no rule:
the budget, the extension months, the example answers). A perturbation the loader
rejects (for example a minimum of areas perturbed to 0) proves nothing about the
cases; it is counted apart and reported.

The totals are pinned in ``EXPECTED`` (perturbations made, rejected by the loader)
and printed as one summary line with ``pytest -s``; a change of a rules file that
adds or removes a figure updates them.
"""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from caselib import CASES, Case, InvalidCase, compare, load_cases, load_invalid

from checker import catalogue, convert, loader, model
from checker.engine import evaluate_rules
from checker.errors import AnswersError, RulesError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SOURCES = [(ROOT / "checker" / "calls" / f"{call_id}.toml", CASES) for call_id in catalogue.call_ids()]
SOURCES += [(FIXTURES / "rules" / f"{call_id}.toml", FIXTURES / "cases")
            for call_id in ("sintetico-2030", "sintetico-2031")]
# call id -> (perturbations made, of which rejected by the loader)
EXPECTED = {
    "filiere-2022": (12, 1),
    "produzione-sostenibile-2024": (26, 1),
    "sintetico-2030": (34, 1),
    "sintetico-2031": (18, 2),
}
SKIP = {"format"} | convert.informational_paths()
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Perturbation:
    call_id: str
    file: Path
    cases_root: Path
    path: Path_
    old: Any
    new: Any

    @property
    def id(self) -> str:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path).lstrip(".")
        return f"{self.call_id}:{where}={self.new}"


def _leaves(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path, node


def _variants(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value - 1, value + 1]
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        unit = Decimal((0, (1,), exponent))
        return [value - unit, value + unit]
    if isinstance(value, datetime):
        return [value - timedelta(minutes=1), value + timedelta(minutes=1)]
    return []


@cache
def _parsed(file: Path) -> dict[str, Any]:
    return tomllib.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)


def _load(file: Path) -> dict[str, Any]:
    """A fresh copy of the parsed file (parsed once)."""
    return copy.deepcopy(_parsed(file))


@cache
def _cases(call_id: str, root: Path) -> tuple[Case | InvalidCase, ...]:
    return (*load_cases(call_id, root), *load_invalid(call_id, root))


def perturbations() -> list[Perturbation]:
    out = []
    for file, cases_root in SOURCES:
        data = _load(file)
        for path, value in _leaves(data):
            if any(part in SKIP for part in path if isinstance(part, str)):
                continue
            out.extend(Perturbation(data["id"], file, cases_root, path, value, new) for new in _variants(value))
    return out


PERTURBATIONS = perturbations()


def _set(data: dict[str, Any], path: Path_, value: Any) -> None:
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _misses(rules: model.Rules, case: Case | InvalidCase) -> bool:
    """Whether `case` misses its expectation under `rules`."""
    answers = json.loads(case.answers_json)
    if isinstance(case, InvalidCase):
        try:
            evaluate_rules(rules, answers, datetime(2024, 1, 1))
        except AnswersError as err:
            return err.path != case.error
        return True
    try:
        result = evaluate_rules(rules, answers, datetime.fromisoformat(case.now) if case.now else None)
    except AnswersError:
        return True
    return bool(compare(case, result))


@cache
def _rebuild(p: Perturbation) -> model.Rules | None:
    data = _load(p.file)
    _set(data, p.path, p.new)
    try:
        return loader.from_data(data, str(p.file))
    except RulesError:
        return None


def test_unperturbed_rules_pass_every_case() -> None:
    """The baseline: every rules file, rebuilt from its data the same way, meets all its cases."""
    for file, cases_root in SOURCES:
        rules = loader.from_data(_load(file), str(file))
        cases = _cases(rules.id, cases_root)
        assert cases, rules.id
        assert [c.id for c in cases if _misses(rules, c)] == []


@pytest.mark.parametrize("p", PERTURBATIONS, ids=lambda p: p.id)
def test_perturbation_is_caught(p: Perturbation) -> None:
    rules = _rebuild(p)
    if rules is None:
        pytest.skip(f"rejected by the loader: {p.id}")
    cases = _cases(p.call_id, p.cases_root)
    assert any(_misses(rules, c) for c in cases), f"no case notices {p.id} (was {p.old}): add the missing case"


def test_perturbation_totals(capsys: pytest.CaptureFixture[str]) -> None:
    made: dict[str, int] = {}
    rejected: dict[str, int] = {}
    for p in PERTURBATIONS:
        made[p.call_id] = made.get(p.call_id, 0) + 1
        rejected[p.call_id] = rejected.get(p.call_id, 0) + (_rebuild(p) is None)
    totals = {call_id: (made[call_id], rejected[call_id]) for call_id in made}
    with capsys.disabled():
        print(f"\nperturbations: {sum(made.values())} made, {sum(rejected.values())} rejected by the loader, "
              f"{sum(made.values()) - sum(rejected.values())} evaluated, each caught by a case; per call: {totals}")
    assert totals == EXPECTED
