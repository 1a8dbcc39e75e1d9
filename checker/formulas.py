"""The grant formulas: how a call turns the admitted expenses into the estimate, one small class a formula.

A rules file names its formula (`grant.formula`) and gives its parameters (`grant.parameters`), which
the loader converts into the formula's own typed record. A formula is given the admitted lines of
the expenses (`grant.admitted_expenses`: the expense types' own rules, such as a share limit or a
flat rate, already applied) and the members counted in each class, and returns its typed steps: the
rate of each line, the amount before the cap, the cap and the estimate. The words of the steps are
`checker/grant_words.py`'s, or the rules file's where they are the call's own (a cap's label).
A new formula is one more class here, registered in `FORMULAS`.
"""

# No `from __future__ import annotations`: the converter reads the parameters' annotations at run time.
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple

from .convert import Invalid
from .figures import PLACEHOLDER, Money, Rate
from .model import Rules
from .money import cents, eur, percent
from .records import Record

ZERO = Decimal(0)


class Step(NamedTuple):
    """One line of the estimate's explanation: the wording's key (grant_words.WORDS, or "rules" for a
    label the rules word, given whole as `label`), the amount and the figures of the wording."""

    words: str
    amount: Decimal
    values: dict[str, str]


class Applied(NamedTuple):
    rates: list[Decimal]  # of each admitted line, in order
    before_cap: Decimal
    cap: Decimal
    cap_base: Decimal
    cap_increase: dict[str, Any] | None  # how the cap grew: per member, members, amount
    amount: Decimal
    steps: list[Step]


def rate_ok(value: Decimal | None, where: str) -> None:
    if value is not None and not Decimal(0) < value <= 1:
        raise Invalid(where, f"una percentuale deve essere tra 0 e 1 (100%), non {value}")


def amount_ok(value: Decimal | None, where: str) -> None:
    if value is not None and value < 0:
        raise Invalid(where, "un importo non può essere negativo")


def rate_steps(lines: list[Any], rates: list[Decimal]) -> tuple[Decimal, list[Step]]:
    """The amount before the cap (each line at its rate, rounded once to the cent) and its step."""
    before_cap = cents(sum((rate * line.admitted for line, rate in zip(lines, rates, strict=True)), ZERO))
    if len(set(rates)) == 1:
        return before_cap, [Step("one_rate", before_cap, {"rate": percent(rates[0])})]
    parts = " + ".join(f"{percent(rate)} di {eur(line.admitted)}" for line, rate in zip(lines, rates, strict=True))
    return before_cap, [Step("rates", before_cap, {"parts": parts})]


def capped(before_cap: Decimal, cap: Decimal) -> tuple[Decimal, Step]:
    amount = min(before_cap, cap)
    return amount, Step("capped" if before_cap > cap else "estimate", amount, {})


class Formula:
    name: ClassVar[str]
    parameters: ClassVar[type]

    def validate(self, rules: Rules, p: Any) -> None:
        """Raise `Invalid` (a key path under `grant`) for parameters or words the formula cannot use."""

    def apply(self, rules: Rules, p: Any, lines: list[Any], counts: dict[str, int | None]) -> Applied:
        raise NotImplementedError


class CappedRateParameters(Record):
    cap: Money
    rate: Rate | None = None  # of every expense type that gives none of its own
    cap_increase: Money | None = None
    cap_increase_class: str | None = None


class CappedRate(Formula):
    """Each expense type at its rate (its own, or the grant's), up to a cap; the cap grows by
    `cap_increase` for each member counted in `cap_increase_class` beyond that class's minimum. The
    cap step is worded by the rules: `grant.cap_label` for a fixed cap, `grant.cap_increase_labels`
    for one that grows."""

    name = "capped_rate"
    parameters = CappedRateParameters

    def validate(self, rules: Rules, p: CappedRateParameters) -> None:
        g = rules.grant
        rate_ok(p.rate, "grant.parameters.rate")
        for i, e in enumerate(rules.expenses):
            if e.rate is None and p.rate is None:
                raise Invalid(f"expenses[{i}].rate", "manca l’aliquota: indicala qui o in grant.parameters.rate")
        amount_ok(p.cap, "grant.parameters.cap")
        amount_ok(p.cap_increase, "grant.parameters.cap_increase")
        if (p.cap_increase is None) != (p.cap_increase_class is None):
            raise Invalid("grant.parameters.cap_increase_class",
                          "cap_increase e cap_increase_class vanno indicati insieme")
        if p.cap_increase_class is not None and p.cap_increase_class not in rules.classes:
            raise Invalid("grant.parameters.cap_increase_class",
                          f"classe «{p.cap_increase_class}» non definita in classes")
        if p.cap_increase is None:
            if g.cap_increase_labels is not None:
                raise Invalid("grant.cap_increase_labels", "senza cap_increase il massimale è fisso: usa cap_label")
            if g.cap_label is None:
                raise Invalid("grant.cap_label", "serve il testo del passaggio del massimale (es. \"Massimale del "
                                                 "contributo\")")
        else:
            if g.cap_label is not None:
                raise Invalid("grant.cap_label", "con cap_increase il massimale cresce: usa cap_increase_labels")
            if g.cap_increase_labels is None:
                raise Invalid("grant.cap_increase_labels", "con cap_increase servono i testi unknown, none e some "
                                                           "del passaggio del massimale")
            if PLACEHOLDER.findall(g.cap_increase_labels.some).count("members") != 1:
                raise Invalid("grant.cap_increase_labels.some", "deve contenere una volta il segnaposto «{members}» "
                                                                "(i membri che aumentano il massimale)")

    def apply(self, rules: Rules, p: CappedRateParameters, lines: list[Any],
              counts: dict[str, int | None]) -> Applied:
        g = rules.grant
        rates = [line.expense.rate or p.rate or ZERO for line in lines]
        before_cap, steps = rate_steps(lines, rates)
        cap, increase = p.cap, None
        if p.cap_increase is not None and p.cap_increase_class is not None:
            cls = rules.classes[p.cap_increase_class]
            count = counts.get(p.cap_increase_class)
            extra = max(0, count - cls.min) if count is not None else 0
            cap = p.cap + p.cap_increase * extra
            increase = {"per_member": p.cap_increase, "members": extra, "amount": p.cap_increase * extra}
            words = g.cap_increase_labels
            assert words is not None  # `validate` requires them with cap_increase
            template = words.unknown if count is None else words.some if extra else words.none
            label = rules.render(template, base=eur(p.cap), increase=eur(p.cap_increase),
                                 members=cls.counted(extra))
        else:
            label = rules.render(g.cap_label or "")
        steps.append(Step("rules", cap, {"label": label}))
        amount, last = capped(before_cap, cap)
        return Applied(rates, before_cap, cap, p.cap, increase, amount, [*steps, last])


class PerMemberCapParameters(Record):
    rate: Rate
    cap_per_member: Money
    cap_class: str


class PerMemberCap(Formula):
    """Every expense type at the grant's `rate`, up to a ceiling for each beneficiary: the cap is
    `cap_per_member` for each member counted in `cap_class` (none while the members are not given)."""

    name = "per_member_cap"
    parameters = PerMemberCapParameters

    def validate(self, rules: Rules, p: PerMemberCapParameters) -> None:
        rate_ok(p.rate, "grant.parameters.rate")
        amount_ok(p.cap_per_member, "grant.parameters.cap_per_member")
        if p.cap_class not in rules.classes:
            raise Invalid("grant.parameters.cap_class", f"classe «{p.cap_class}» non definita in classes")
        for i, e in enumerate(rules.expenses):
            if e.rate is not None:
                raise Invalid(f"expenses[{i}].rate", "con la formula per_member_cap l’aliquota è una sola: "
                                                     "grant.parameters.rate")
        for words in ("cap_label", "cap_increase_labels"):
            if getattr(rules.grant, words) is not None:
                raise Invalid(f"grant.{words}", "la formula per_member_cap ha parole sue (checker/grant_words.py)")

    def apply(self, rules: Rules, p: PerMemberCapParameters, lines: list[Any],
              counts: dict[str, int | None]) -> Applied:
        rates = [p.rate] * len(lines)
        before_cap, steps = rate_steps(lines, rates)
        count = counts.get(p.cap_class)
        cls = rules.classes[p.cap_class]
        cap = p.cap_per_member * (count or 0)
        values = {"per_member": eur(p.cap_per_member), "label": cls.label,
                  "members": cls.counted(count)}
        steps.append(Step("per_member_cap_unknown" if count is None else "per_member_cap", cap, values))
        amount, last = capped(before_cap, cap)
        increase = {"per_member": p.cap_per_member, "members": count or 0, "amount": cap}
        return Applied(rates, before_cap, cap, ZERO, increase, amount, [*steps, last])


FORMULAS: dict[str, Formula] = {formula.name: formula for formula in (CappedRate(), PerMemberCap())}
