"""The grant estimate: admitted expenses, eligible costs, cap, amount, explained step by step.

Every admitted amount is rounded to the cent (half up) where it is computed, so
each figure shown is the figure used and the lines add up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from .formulas import FORMULAS, Step
from .grant_words import ESTIMATE_NOTE, FLAT_RATE_NOTE, NOTE_SEPARATOR, SHARE_LIMIT_NOTE, WORDS
from .model import Expense, Rules
from .money import cents, cents_down, eur, percent

ZERO = Decimal(0)


class Line(NamedTuple):  # a tuple, not a dataclass: ten are made on every answer change
    expense: Expense
    entered: Decimal
    admitted: Decimal
    note: str  # why the admitted amount differs from the entered one (grant_words), or ""


def admitted_expenses(rules: Rules, expenses: dict[str, Decimal]) -> list[Line]:
    """Each expense type as entered and as admitted by its own rules, in the order of the call."""
    entered = {e.id: expenses.get(e.id, ZERO) for e in rules.entered_expenses}
    plain = sum((entered[e.id] for e in rules.entered_expenses if e.max_share_of_others is None), ZERO)
    lines: list[Line] = []
    for e in rules.entered_expenses:
        amount, note = entered[e.id], ""
        if e.max_share_of_others is not None:
            # A ceiling («non superiore al 25%»): rounded down, so the admitted cent is never above it.
            limit = cents_down(e.max_share_of_others * plain)
            if amount > limit:
                note = SHARE_LIMIT_NOTE.format(share=percent(e.max_share_of_others), others=eur(plain),
                                               limit=eur(limit), excess=eur(amount - limit))
            amount = min(amount, limit)
        lines.append(Line(e, entered[e.id], amount, note))
    direct = sum((line.admitted for line in lines), ZERO)
    for e in rules.expenses:
        if e.flat_rate is not None:
            note = FLAT_RATE_NOTE.format(rate=percent(e.flat_rate), base=eur(direct))
            lines.append(Line(e, ZERO, cents(e.flat_rate * direct), note))
    return lines


def compute(rules: Rules, expenses: dict[str, Decimal], class_counts: dict[str, int | None]) -> dict[str, Any]:
    """The grant object of the result (money still as Decimal): the expenses admitted, then the call's
    formula (checker/formulas.py)."""
    g = rules.grant
    lines = admitted_expenses(rules, expenses)
    eligible = sum((line.admitted for line in lines), ZERO)
    steps: list[Step] = []
    for line in lines:
        if line.admitted or line.entered:
            words = "admitted" if line.expense.entered else "flat"
            note = NOTE_SEPARATOR + line.note if line.note else ""
            steps.append(Step(words, line.admitted, {"expense": line.expense.display, "note": note}))
    steps.append(Step("eligible", eligible, {}))
    applied = FORMULAS[g.formula].apply(rules, g.parameters, lines, class_counts)
    steps += applied.steps
    note = ESTIMATE_NOTE if not g.phase_note else rules.render(g.phase_note) + " " + ESTIMATE_NOTE
    return {
        "estimate": True,
        "amount": applied.amount,
        "cap": applied.cap,
        "eligible_costs": eligible,
        "before_cap": applied.before_cap,
        "capped": applied.before_cap > applied.cap,
        "cap_base": applied.cap_base,
        "cap_increase": applied.cap_increase,
        "measure": g.measure,
        "expenses": [
            {"id": line.expense.id, "label": line.expense.display, "entered": line.entered if line.expense.entered
             else None, "admitted": line.admitted, "rate": rate, "note": line.note}
            for line, rate in zip(lines, applied.rates, strict=True)
        ],
        "steps": [{"label": WORDS[s.words].format(**s.values), "amount": s.amount} for s in steps],
        "note": note,
    }
