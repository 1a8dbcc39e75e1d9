"""Figures for the frequent questions page of a call (`bandi/<call-id>/domande/`), computed by the checker.

Nothing is typed by hand: an answer that shows a limit at work takes the first worked example of the
rules (`[[examples]]`, the ones the page «Il contributo» shows) in which the limit bites, and the
figures come from the checker's own `grant.admitted_expenses`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from checker import grant
from checker.answers import parse_answers
from checker.model import Rules

ZERO = Decimal(0)


@dataclass(frozen=True)
class ShareLimit:
    """An expense type held to a share of the others, at work in one worked example."""

    number: int  # the example's number on the page «Il contributo» (from 1)
    title: str
    others: Decimal  # the sum of the other types as admitted, which the limit is a share of
    limit: Decimal
    entered: Decimal
    excess: Decimal


def share_limit_example(rules: Rules, expense_id: str) -> ShareLimit | None:
    """The first worked example of `rules` in which `expense_id` goes beyond its share of the others."""
    for number, example in enumerate(rules.examples, 1):
        expenses = parse_answers(rules, example.answers).expenses
        if expenses is None:
            continue
        lines = grant.admitted_expenses(rules, expenses)
        others = sum((ln.admitted for ln in lines if ln.expense.entered and ln.expense.max_share_of_others is None),
                     ZERO)
        for line in lines:
            if line.expense.id == expense_id and line.entered > line.admitted:
                return ShareLimit(number, example.title, others, line.admitted, line.entered,
                                  line.entered - line.admitted)
    return None
