"""Screening: one *profile* against every call (`python -m checker screen`, `bridge.screen_json`).

A profile is an answers object (format v1) in which the keys of every call are allowed: the
top-level keys, the member keys and the expense keys of any call, and `areas` may hold the area
ids of any call. Each call reads the keys and the area ids it defines and ignores the other
calls' (`project`); what each call defines is read from its rules, never listed here.

- A key or an area id that belongs to no call is an error naming its path, and so is a key
  repeated in one object or an area id repeated in `areas`.
- Every call's projection is then validated by that call's own validation (`parse_answers`):
  a value wrong for a call that defines its key is an error of the profile, with the same path
  and message as `evaluate` gives for that call (the first call, in the order of `call_ids`,
  that refuses it). The projection keeps every member in its place, so the paths are the
  profile's own (`members[2].size`, `expenses.sme`).
- An `areas` list answers the areas question of every call: a call none of whose ids it holds
  reads `[]` (the project addresses none of its areas). An `expenses` object that holds none of
  a call's expense ids is `{}` for it: no estimate, as in `evaluate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from . import catalogue
from .answers import Answers, _is_object, _no_duplicate, parse_answers, parse_now
from .engine import evaluate_parsed
from .errors import AnswersError, quote, shorten
from .limits import MAX_MEMBERS
from .model import Rules


def shipped_calls() -> tuple[Rules, ...]:
    """The rules of every shipped call, in the order of `python -m checker calls` (a rules file that does
    not load raises its `RulesError`: a screening without one of the calls would read as «none of it»)."""
    return tuple(catalogue.get(call_id) for call_id in catalogue.call_ids())


def project(rules: Rules, profile: Mapping[str, Any]) -> dict[str, Any]:
    """The answers object of the call `rules` in `profile`: the top-level keys, member keys, expense ids and
    area ids this call defines, in the profile's order. A value that is not what it should be (members
    that are not a list, a member that is not an object, ...) is passed on as it is, for the call's
    validation to name."""
    answers = {key: value for key, value in profile.items() if key in rules.answer_keys}
    members = answers.get("members")
    if isinstance(members, list):
        fields = rules.member_fields
        answers["members"] = [{k: v for k, v in m.items() if k in fields} if _is_object(m) else m for m in members]
    expenses = answers.get("expenses")
    if isinstance(expenses, Mapping):  # a dict, as `loads_json` gives
        expense_ids = tuple(e.id for e in rules.entered_expenses)
        answers["expenses"] = {k: v for k, v in expenses.items() if k in expense_ids}
    areas = answers.get("areas")
    if isinstance(areas, list):
        area_ids = tuple(a.id for a in rules.areas)
        answers["areas"] = [a for a in areas if isinstance(a, str) and a in area_ids]
    return answers


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for group in groups for key in group))


def _unknown(path: str, key: Any, allowed: tuple[str, ...]) -> AnswersError:
    where = f"{path}.{shorten(key)}" if path else shorten(key)
    return AnswersError(where, f"chiave sconosciuta {quote(key)}, di nessun bando; "
                               f"chiavi ammesse: {', '.join(allowed)}")


def _check_keys(calls: Sequence[Rules], profile: Any) -> None:
    """Every key and area id of `profile` belongs to one of `calls`, none is repeated (the values are the
    calls' to check)."""
    if not _is_object(profile):
        raise AnswersError("", "le risposte devono essere un oggetto JSON, ad esempio {}")
    _no_duplicate(profile, "")
    allowed = _union(r.answer_keys for r in calls)
    for key, value in profile.items():
        if key not in allowed:
            raise _unknown("", key, allowed)
        if key == "members" and isinstance(value, list) and len(value) <= MAX_MEMBERS:
            _check_members(calls, value)
        elif key == "expenses" and _is_object(value):
            _no_duplicate(value, key)
            expense_ids = _union((e.id for e in r.entered_expenses) for r in calls)
            for expense in value:
                if expense not in expense_ids:
                    raise _unknown(key, expense, expense_ids)
        elif key == "areas" and isinstance(value, list):
            _check_areas(calls, value)


def _check_members(calls: Sequence[Rules], members: list[Any]) -> None:
    fields = _union(r.member_fields for r in calls)
    for i, member in enumerate(members):
        if _is_object(member):
            _no_duplicate(member, f"members[{i}]")
            for field in member:
                if field not in fields:
                    raise _unknown(f"members[{i}]", field, fields)


def _check_areas(calls: Sequence[Rules], areas: list[Any]) -> None:
    area_ids = _union((a.id for a in r.areas) for r in calls)
    for i, area in enumerate(areas):
        if not isinstance(area, str) or area not in area_ids:
            raise AnswersError(f"areas[{i}]", f"ambito {quote(area)} sconosciuto, di nessun bando; "
                                              f"ambiti: {', '.join(area_ids)}")
        if area in areas[:i]:
            raise AnswersError(f"areas[{i}]", f"ambito {quote(area)} ripetuto")


def parse_profile(profile: Any, calls: Sequence[Rules] | None = None) -> list[tuple[Rules, Answers]]:
    """Each call (by default the shipped ones, `shipped_calls`) with its validated answers from `profile`;
    raise `AnswersError` naming the path."""
    calls = shipped_calls() if calls is None else tuple(calls)
    _check_keys(calls, profile)
    return [(rules, parse_answers(rules, project(rules, profile))) for rules in calls]


def screen(profile: Any, now: datetime | None = None, calls: Sequence[Rules] | None = None) -> dict[str, Any]:
    """`{"results": [<result object>, ...]}`: `profile` evaluated for every call (by default the shipped ones,
    in the order of `call_ids`), each result exactly what `evaluate_parsed` gives for that call's projection
    (amounts still `Decimal`; `result_json` writes them). Every call is evaluated at the same instant:
    `now`, by default the current time, when the profile has no `submitted_at`."""
    parsed = parse_profile(profile, calls)
    moment = datetime.now(UTC) if now is None else parse_now(now)
    return {"results": [evaluate_parsed(rules, answers, moment) for rules, answers in parsed]}
