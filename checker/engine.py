"""Evaluation: each check of the rules against the answers, the verdict, the window, the grant.

A check is `pass`, `fail` or `missing` (not answered yet). Member conditions use
three values too: a member whose missing answer could still make it count keeps
the check `missing` rather than `fail`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from . import grant as grant_mod
from .answers import Answers, Member, parse_answers, parse_now
from .catalogue import call_asking
from .figures import format_value
from .model import SIZE_LABELS, Check, MemberClass, MemberCondition, Rules
from .money import eur
from .timezone import localize, on_day, zone

Status = str  # "pass" | "fail" | "missing"
# A member's size as a reason after «è», with its article: «è una grande impresa».
SIZE_REASONS = {size: ("un " if size == "other" else "una ") + label for size, label in SIZE_LABELS.items()}


def member_status(cls: MemberClass, member: Member) -> tuple[bool | None, list[str]]:
    """Whether `member` counts in `cls` (None: not known yet) and why it does not."""
    size_ok = None if member.size is None else member.size in cls.sizes
    reasons = [] if size_ok is not False else [f"è {SIZE_REASONS.get(member.size or '', '')}"]
    ok, more = attributes_status(cls, member)
    reasons += more
    return (False if reasons else None if size_ok is None or ok is None else True), reasons


def attributes_status(cls: MemberClass | MemberCondition, member: Member) -> tuple[bool | None, list[str]]:
    """Whether `member` meets every condition of `cls` but its size (None: not known yet), and why not."""
    reasons: list[str] = []
    unknown = False

    def need(ok: bool | None, reason: str) -> None:
        nonlocal unknown
        if ok is None:
            unknown = True
        elif not ok:
            reasons.append(reason)

    if cls.lombardy_site is not None:
        need(None if member.lombardy_site is None else member.lombardy_site == cls.lombardy_site,
             "non ha una sede operativa attiva in Lombardia")
    if cls.min_financial_statements is not None:
        n = member.financial_statements
        need(None if n is None else n >= cls.min_financial_statements,
             f"ha {n} {'bilancio depositato' if n == 1 else 'bilanci depositati'} "
             f"su {cls.min_financial_statements} {'richiesto' if cls.min_financial_statements == 1 else 'richiesti'}")
    if cls.signed_agreement is not None:
        need(None if member.signed_agreement is None else member.signed_agreement == cls.signed_agreement,
             "non ha sottoscritto l’accordo di progetto")
    return (False if reasons else None if unknown else True), reasons


Statuses = dict[str, list[tuple[bool | None, list[str]]] | None]


def member_statuses(rules: Rules, answers: Answers) -> Statuses:
    """For each member class, `member_status` of every member (None when members are not answered)."""
    members = answers.members
    return {name: None if members is None else [member_status(cls, m) for m in members]
            for name, cls in rules.classes.items()}


def class_counts(statuses: Statuses) -> dict[str, int | None]:
    """Members that surely count in each class (None when members are not answered)."""
    return {name: None if s is None else sum(ok is True for ok, _ in s) for name, s in statuses.items()}


def window_status(rules: Rules, moment: datetime) -> str:
    opens, closes = rules.window.opens_at(), rules.window.closes_at()
    if opens is not None and moment < opens:
        return "not_yet_open"
    return "open" if moment <= closes else "closed"


def _check_members(rules: Rules, check: Check, answers: Answers,
                   statuses: Statuses) -> tuple[Status, dict[str, str]]:
    cls = rules.classes[check.member_class or ""]
    local = {"min": str(cls.min)}
    found = statuses[check.member_class or ""]
    if answers.members is None or found is None:
        return "missing", local | {"count": "0"}
    sure = sum(s is True for s, _ in found)
    maybe = sure + sum(s is None for s, _ in found)
    local["count"] = str(sure)
    if sure >= cls.min:
        return "pass", local
    if maybe >= cls.min:
        return "missing", local
    pairs = enumerate(zip(answers.members, found, strict=True))
    excluded = [f"{m.label(i)} {', '.join(r)}" for i, (m, (s, r)) in pairs if s is False]
    if excluded:
        local["details"] = ("Non conta: " if len(excluded) == 1 else "Non contano: ") + "; ".join(excluded) + "."
    return "fail", local


def _check_every_member(check: Check, answers: Answers) -> tuple[Status, dict[str, str]]:
    """Every member of the sizes of `check.each` meets its conditions. A member of unknown size is
    bound unless it meets them anyway (it may be of another size)."""
    cond = check.each
    assert cond is not None
    if answers.members is None:
        return "missing", {"count": "0"}
    bound, failing, unknown = 0, [], False
    for i, member in enumerate(answers.members):
        in_scope = None if member.size is None else member.size in cond.sizes
        if in_scope is False:
            continue
        ok, reasons = attributes_status(cond, member)
        bound += in_scope is True
        if ok is False and in_scope:
            failing.append(f"{member.label(i)} {', '.join(reasons)}")
        elif ok is not True:
            unknown = True
    local = {"count": str(bound)}
    if failing:
        return "fail", local | {"details": _sentence("; ".join(failing))}
    return ("missing" if unknown else "pass"), local


def _when(answers: Answers, moment: datetime) -> str:
    """«presentata» only for a date the person chose; the moment of viewing is «ora»."""
    return f"Se presentata {on_day(moment)}" if answers.submitted_at else "Se presentata ora"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _limit(rules: Rules, check: Check) -> Any:
    return rules.resolve(check.limit or "")


def evaluate_checks(rules: Rules, answers: Answers, moment: datetime, eligible_costs: Decimal | None,
                    statuses: Statuses) -> list[dict[str, str]]:
    window = rules.window
    results = []
    for check in rules.checks:
        local: dict[str, str] = {}
        status: Status
        if check.kind == "window":
            opens = window.opens_at()
            local = {"evaluated": format_value(moment, None), "when": _when(answers, moment),
                     "closes": format_value(window.closes_at(), None),
                     "opens": format_value(opens, None) if opens else ""}
            state = window_status(rules, moment)
            status = "pass" if state == "open" else "fail"
            template = check.not_yet_open if state == "not_yet_open" else None
        elif check.kind == "members":
            status, local = _check_members(rules, check, answers, statuses)
            template = None
        elif check.kind == "every_member":
            status, local = _check_every_member(check, answers)
            template = None
        elif check.kind == "true":
            answer = answers.questions.get(check.question or "")
            status = "missing" if answer is None else "pass" if answer is True else "fail"
            template = None
        elif check.kind == "areas":
            assert check.min is not None
            local = {"min": str(check.min), "count": str(len(answers.areas or ()))}
            status = "missing" if answers.areas is None else "pass" if len(answers.areas) >= check.min else "fail"
            template = None
        elif check.kind == "at_most":
            limit = _limit(rules, check)
            value = answers.questions.get(check.question or "")
            local = {"limit": str(limit), "value": str(value)}
            status = "missing" if value is None else "pass" if value <= limit else "fail"
            template = None
        else:  # min_eligible_costs
            limit = _limit(rules, check)
            local = {"limit": eur(limit), "value": eur(eligible_costs or Decimal(0))}
            status = "missing" if eligible_costs is None else "pass" if eligible_costs >= limit else "fail"
            template = None
        chosen = template or {"pass": check.on_pass, "fail": check.on_fail, "missing": check.on_missing}[status]
        message = rules.render(chosen or "", **local)
        if "details" in local:
            message += " " + local["details"]
        results.append({"id": check.id, "status": status, "message": message, "source": rules.check_sources[check.id]})
    return results


@lru_cache(maxsize=64)  # the window's instants, and the moments of the last evaluations
def _iso(moment: datetime | None, zone_name: str) -> str | None:
    if moment is None:
        return None
    local = moment.astimezone(zone(zone_name))
    return local.isoformat(timespec="microseconds" if local.microsecond else "seconds")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def verdict(checks: list[dict[str, str]]) -> str:
    statuses = {c["status"] for c in checks}
    return "not_eligible" if "fail" in statuses else "incomplete" if "missing" in statuses else "eligible"


def evaluate_parsed(rules: Rules, answers: Answers, now: datetime | None = None) -> dict[str, Any]:
    """The result object (format v1) for already validated answers, its amounts still `Decimal`
    (`result_json` writes them as JSON numbers, `evaluate_rules` as floats)."""
    if now is not None:
        now = parse_now(now)
    moment = answers.submitted_at or (localize(now, rules.window.timezone) if now else datetime.now(UTC))
    moment = moment.astimezone(zone(rules.window.timezone))
    statuses = member_statuses(rules, answers)
    grant = None
    if answers.expenses:  # an empty object gives no expenses: no estimate yet
        grant = grant_mod.compute(rules, answers.expenses, class_counts(statuses))
    checks = evaluate_checks(rules, answers, moment, grant["eligible_costs"] if grant else None, statuses)
    return {
        "call": rules.id,
        "verdict": verdict(checks),
        "checks": checks,
        "window": {
            "status": window_status(rules, moment),
            "opens_at": _iso(rules.window.opens_at(), rules.window.timezone),
            "closes_at": _iso(rules.window.closes_at(), rules.window.timezone),
            "evaluated_at": _iso(moment, rules.window.timezone),
        },
        "grant": grant,
        "rules_version": rules.version,
    }


def evaluate_rules(rules: Rules, answers: Any, now: datetime | None = None) -> dict[str, Any]:
    """The result object (format v1) as JSON types: amounts are floats rounded to the cent."""
    result = evaluate_parsed(rules, parse_answers(rules, answers, call_asking), now)
    result["grant"] = _jsonable(result["grant"])
    return result


def result_json(result: dict[str, Any], **options: Any) -> str:
    """A result of `evaluate_parsed` as JSON text, the same as `json.dumps(evaluate_rules(...))`: the
    C encoder turns each Decimal into the same float (no walk in Python, which runs on every change)."""
    return json.dumps(result, ensure_ascii=False, default=float, **options)

