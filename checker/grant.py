"""The grant estimate: admitted expenses, eligible costs, cap, amount, explained step by step.

Every admitted amount is rounded to the cent (half up) where it is computed, so
each figure shown is the figure used and the lines add up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from .model import Expense, Rules
from .money import cents, cents_down, eur, percent

ZERO = Decimal(0)


class Line(NamedTuple):  # a tuple, not a dataclass: ten are made on every answer change
    expense: Expense
    entered: Decimal
    admitted: Decimal
    rate: Decimal
    note: str


def admitted_expenses(rules: Rules, expenses: dict[str, Decimal]) -> list[Line]:
    """Each expense type as entered and as admitted, in the order of the call."""
    entered = {e.id: expenses.get(e.id, ZERO) for e in rules.entered_expenses}
    plain = sum((entered[e.id] for e in rules.entered_expenses if e.max_share_of_others is None), ZERO)
    lines: list[Line] = []
    for e in rules.entered_expenses:
        amount, note = entered[e.id], ""
        if e.max_share_of_others is not None:
            # A ceiling («non superiore al 25%»): rounded down, so the admitted cent is never above it.
            limit = cents_down(e.max_share_of_others * plain)
            if amount > limit:
                note = (f"ridotto al limite del {percent(e.max_share_of_others)} delle altre voci "
                        f"({eur(plain)}): {eur(limit)}; {eur(amount - limit)} non ammessi")
            amount = min(amount, limit)
        lines.append(Line(e, entered[e.id], amount, e.rate or rules.grant.rate or ZERO, note))
    direct = sum((line.admitted for line in lines), ZERO)
    for e in rules.expenses:
        if e.flat_rate is not None:
            amount = cents(e.flat_rate * direct)
            note = f"{percent(e.flat_rate)} delle voci precedenti come ammesse ({eur(direct)})"
            lines.append(Line(e, ZERO, amount, e.rate or rules.grant.rate or ZERO, note))
    return lines


def compute(rules: Rules, expenses: dict[str, Decimal], class_counts: dict[str, int | None]) -> dict[str, Any]:
    """The grant object of the result (money still as Decimal)."""
    g = rules.grant
    lines = admitted_expenses(rules, expenses)
    eligible = sum((line.admitted for line in lines), ZERO)
    before_cap = cents(sum((line.rate * line.admitted for line in lines), ZERO))

    steps: list[dict[str, Any]] = []
    for line in lines:
        if not line.admitted and not line.entered:
            continue
        what = "importo ammesso" if line.expense.entered else "importo forfettario"
        steps.append({"label": f"{line.expense.display}: {what}" + (f" – {line.note}" if line.note else ""),
                      "amount": line.admitted})
    steps.append({"label": "Spese ammissibili complessive", "amount": eligible})
    rates = {line.rate for line in lines}
    if len(rates) == 1:
        steps.append({"label": f"Contributo al {percent(rates.pop())} delle spese ammissibili", "amount": before_cap})
    else:
        parts = " + ".join(f"{percent(line.rate)} di {eur(line.admitted)}" for line in lines)
        steps.append({"label": f"Contributo: {parts}", "amount": before_cap})

    cap, increase = g.cap, None
    if g.cap_increase is not None and g.cap_increase_class is not None:
        cls = rules.classes[g.cap_increase_class]
        count = class_counts.get(g.cap_increase_class)
        extra = max(0, count - cls.min) if count is not None else 0
        cap = g.cap + g.cap_increase * extra
        increase = {"per_member": g.cap_increase, "members": extra, "amount": g.cap_increase * extra}
        # The words are the call's (rules: grant.cap_increase_labels), the figures these.
        words = g.cap_increase_labels
        assert words is not None  # the loader requires them with cap_increase
        template = words.unknown if count is None else words.some if extra else words.none
        text = rules.render(template, base=eur(g.cap), increase=eur(g.cap_increase),
                            members=f"{extra} {cls.label if extra == 1 else cls.label_plural}")
        steps.append({"label": text, "amount": cap})
    else:
        steps.append({"label": rules.render(g.cap_label or ""), "amount": cap})

    amount = min(before_cap, cap)
    capped = before_cap > cap
    steps.append({"label": "Contributo stimato" + (" (ridotto al massimale)" if capped else ""), "amount": amount})

    note = "Stima informativa: l’importo effettivamente concesso può essere diverso."
    if g.phase_note:
        note = rules.render(g.phase_note) + " " + note
    return {
        "estimate": True,
        "amount": amount,
        "cap": cap,
        "eligible_costs": eligible,
        "before_cap": before_cap,
        "capped": capped,
        "cap_base": g.cap,
        "cap_increase": increase,
        "measure": g.measure,
        "expenses": [
            {"id": line.expense.id, "label": line.expense.display, "entered": line.entered if line.expense.entered
             else None, "admitted": line.admitted, "rate": line.rate, "note": line.note}
            for line in lines
        ],
        "steps": steps,
        "note": note,
    }
