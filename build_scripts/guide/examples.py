"""Worked examples of the grant, computed by the checker from the rules' `[[examples]]` answers.

Nothing here is typed by hand: the answers come from the rules file, every figure
from the checker's own functions, so the guide shows exactly what the checker says.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from build_scripts.deep_links import fragment as deep_link_fragment
from checker import engine, grant
from checker.answers import parse_answers
from checker.members import BY_KEY, SIZE_LABELS, Attribute
from checker.model import Example, Rules


@dataclass(frozen=True)
class MemberRow:
    label: str
    size: str
    attributes: tuple[tuple[Attribute, Any], ...]  # the member's answer for each attribute the call asks
    counts: bool | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ExpenseRow:
    label: str
    entered: Decimal


@dataclass(frozen=True)
class Step:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class WorkedExample:
    title: str
    members: tuple[MemberRow, ...]
    counted: int | None
    expenses: tuple[ExpenseRow, ...]
    steps: tuple[Step, ...]
    amount: Decimal
    cap: Decimal
    eligible_costs: Decimal
    capped: bool
    note: str
    deep_link: str


def in_time(rules: Rules) -> str:
    """The closing instant of the window, local time (`2025-04-03T16:00`): a submission in time."""
    return rules.window.closes.isoformat(timespec="minutes")


def work(rules: Rules, example: Example) -> WorkedExample:
    """Run the checker on one example of the rules."""
    answers = parse_answers(rules, example.answers)
    if answers.expenses is None:
        raise ValueError(f"{rules.source_file}: l’esempio «{example.title}» non indica spese")
    counts = engine.class_counts(engine.member_statuses(rules, answers))
    result = grant.compute(rules, answers.expenses, counts)
    members: list[MemberRow] = []
    attributes = [BY_KEY[key] for key in rules.member_fields if BY_KEY[key].requirement is not None]
    cls_name = getattr(rules.grant.parameters, "cap_increase_class", None) or next(iter(rules.classes))
    cls = rules.classes[cls_name]
    for i, m in enumerate(answers.members or ()):
        counts_here, reasons = engine.member_status(cls, m)
        asked = tuple((a, m.values.get(a.key)) for a in attributes)
        members.append(MemberRow(m.name or f"Membro {i + 1}", SIZE_LABELS.get(m.size or "", "non indicata"),
                                 asked, counts_here, tuple(reasons)))
    expenses = tuple(ExpenseRow(e.display, answers.expenses[e.id])
                     for e in rules.entered_expenses if e.id in answers.expenses)
    return WorkedExample(
        title=example.title,
        members=tuple(members),
        counted=counts.get(cls_name),
        expenses=expenses,
        steps=tuple(Step(s["label"], s["amount"]) for s in result["steps"]),
        amount=result["amount"],
        cap=result["cap"],
        eligible_costs=result["eligible_costs"],
        capped=result["capped"],
        note=result["note"],
        # Opened in the checker as submitted in time (the last minute of the window, as the checker's
        # «simulate» action does): a closed call still shows the requirements and the amount it meant.
        deep_link=deep_link_fragment({"submitted_at": in_time(rules)} | example.answers),
    )


def worked_examples(rules: Rules) -> tuple[WorkedExample, ...]:
    return tuple(work(rules, example) for example in rules.examples)
