"""The kinds of check a rules file can use: one class a kind, registered in `KINDS`.

A kind says which placeholders its messages may use (`local`), what a check of its kind must give
(`validate`, at load time), the figures of its title (`title_values`) and how it is evaluated
(`evaluate`: `pass`, `fail` or `missing` — not answered yet — and the figures of its message).
A new kind is one more class here; the loader, the engine and the guide read the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple, TypeVar

from . import members
from .answers import Answers
from .convert import Invalid
from .figures import format_value
from .model import Check, Rules
from .money import eur
from .timezone import on_day

Status = str  # "pass" | "fail" | "missing"
# For each member class, whether each member counts and why not (None: members not answered).
Statuses = dict[str, list[tuple[bool | None, list[str]]] | None]
# The figures of the grant a comparison may read (`grant.<figure>`), all amounts of money.
GRANT_FIGURES = ("eligible_costs", "before_cap", "cap", "amount")


T = TypeVar("T")


def _given(value: T | None) -> T:
    """A field of a check that its kind's `validate` required at load time."""
    assert value is not None
    return value


class Context(NamedTuple):
    """What a check is evaluated against: the answers at a moment, the grant estimate (None without
    expenses) and the member statuses of every class."""

    rules: Rules
    answers: Answers
    moment: datetime
    grant: dict[str, Any] | None
    statuses: Statuses


class Outcome(NamedTuple):
    status: Status
    local: dict[str, str]  # the figures of the message; `details`, when given, is appended to it
    template: str | None = None  # a message of its own, instead of the status's


# The fields of a check (model.Check) that only some kinds read: each kind names its own in `fields`.
KIND_FIELDS = frozenset({"not_yet_open", "member_class", "each", "question", "value", "operator", "limit", "min"})


class Kind:
    name: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()  # of KIND_FIELDS, those this kind reads
    local: ClassVar[frozenset[str]] = frozenset()
    # Whether a check of this kind cites its own passage and can be not answered yet (the window's
    # passage is the window's own, and the moment is always known).
    answered: ClassVar[bool] = True

    def validate(self, rules: Rules, check: Check, where: str) -> None:
        """Raise `Invalid` (path under `where`, the check's key path) for what this kind needs and lacks."""

    def title_values(self, rules: Rules, check: Check) -> dict[str, str]:
        return {}

    def evaluate(self, ctx: Context, check: Check) -> Outcome:
        raise NotImplementedError


def _question(rules: Rules, check: Check, where: str, wanted: str, question_id: str | None) -> None:
    if question_id not in {q.id for q in rules.questions}:
        raise Invalid(where, f"domanda «{question_id}» non definita in questions")
    if rules.question(question_id).type != wanted:
        raise Invalid(where, f"la verifica {check.kind} richiede una domanda di tipo {wanted}")


class Window(Kind):
    """The moment of submission (the answers' `submitted_at`, or now) is within the call's window."""

    name = "window"
    fields = frozenset({"not_yet_open"})
    local = frozenset({"evaluated", "when", "opens", "closes"})
    answered = False

    def validate(self, rules: Rules, check: Check, where: str) -> None:
        if rules.window.opens is not None and check.not_yet_open is None:
            raise Invalid(f"{where}.not_yet_open", f"campo obbligatorio per le verifiche di tipo {self.name}")

    def evaluate(self, ctx: Context, check: Check) -> Outcome:
        window, moment = ctx.rules.window, ctx.moment
        opens = window.opens_at()
        # «presentata» only for a date the person chose; the moment of viewing is «ora».
        when = f"Se presentata {on_day(moment)}" if ctx.answers.submitted_at else "Se presentata ora"
        local = {"evaluated": format_value(moment, None), "when": when,
                 "closes": format_value(window.closes_at(), None), "opens": format_value(opens, None) if opens else ""}
        state = window_status(ctx.rules, moment)
        return Outcome("pass" if state == "open" else "fail", local,
                       check.not_yet_open if state == "not_yet_open" else None)


def window_status(rules: Rules, moment: datetime) -> str:
    opens, closes = rules.window.opens_at(), rules.window.closes_at()
    if opens is not None and moment < opens:
        return "not_yet_open"
    return "open" if moment <= closes else "closed"


class Members(Kind):
    """At least `min` members of a member class (`class`) count."""

    name = "members"
    fields = frozenset({"member_class"})
    local = frozenset({"count", "min"})

    def validate(self, rules: Rules, check: Check, where: str) -> None:
        if check.member_class not in rules.classes:
            raise Invalid(f"{where}.class", f"classe «{check.member_class}» non definita in classes")

    def title_values(self, rules: Rules, check: Check) -> dict[str, str]:
        return {"min": str(rules.classes[_given(check.member_class)].min)}

    def evaluate(self, ctx: Context, check: Check) -> Outcome:
        cls = ctx.rules.classes[_given(check.member_class)]
        local = {"min": str(cls.min)}
        found = ctx.statuses[_given(check.member_class)]
        if ctx.answers.members is None or found is None:
            return Outcome("missing", local | {"count": "0"})
        sure = sum(s is True for s, _ in found)
        maybe = sure + sum(s is None for s, _ in found)
        local["count"] = str(sure)
        if sure >= cls.min:
            return Outcome("pass", local)
        if maybe >= cls.min:
            return Outcome("missing", local)
        pairs = enumerate(zip(ctx.answers.members, found, strict=True))
        excluded = [f"{m.label(i)} {', '.join(r)}" for i, (m, (s, r)) in pairs if s is False]
        if excluded:
            local["details"] = ("Non conta: " if len(excluded) == 1 else "Non contano: ") + "; ".join(excluded) + "."
        return Outcome("fail", local)


class EveryMember(Kind):
    """Every member of the sizes of `each` meets its requirements. A member of unknown size is bound
    unless it meets them anyway (it may be of another size)."""

    name = "every_member"
    fields = frozenset({"each"})
    local = frozenset({"count"})

    def validate(self, rules: Rules, check: Check, where: str) -> None:
        if check.each is None:
            raise Invalid(f"{where}.each", "«each» (i membri vincolati e le condizioni) va indicato nelle verifiche "
                                           "di tipo every_member")
        if not check.each.requires:
            raise Invalid(f"{where}.each.requires", "serve almeno una condizione oltre a sizes")

    def evaluate(self, ctx: Context, check: Check) -> Outcome:
        cond = _given(check.each)
        if ctx.answers.members is None:
            return Outcome("missing", {"count": "0"})
        bound, failing, unknown = 0, [], False
        for i, member in enumerate(ctx.answers.members):
            in_scope = None if member.size is None else member.size in cond.sizes
            if in_scope is False:
                continue
            ok, reasons = members.meets(cond.requires, member)
            bound += in_scope is True
            if ok is False and in_scope:
                failing.append(f"{member.label(i)} {', '.join(reasons)}")
            elif ok is not True:
                unknown = True
        local = {"count": str(bound)}
        if failing:
            text = "; ".join(failing)
            return Outcome("fail", local | {"details": text[:1].upper() + text[1:] + "."})
        return Outcome("missing" if unknown else "pass", local)


class IsTrue(Kind):
    """A yes/no question (`question`) is answered yes."""

    name = "true"
    fields = frozenset({"question"})

    def validate(self, rules: Rules, check: Check, where: str) -> None:
        _question(rules, check, f"{where}.question", "boolean", check.question)

    def evaluate(self, ctx: Context, check: Check) -> Outcome:
        answer = ctx.answers.questions.get(_given(check.question))
        return Outcome("missing" if answer is None else "pass" if answer is True else "fail", {})


class Areas(Kind):
    """At least `min` of the call's areas are chosen."""

    name = "areas"
    fields = frozenset({"min"})
    local = frozenset({"count", "min"})

    def validate(self, rules: Rules, check: Check, where: str) -> None:
        if check.min is None or not 1 <= check.min <= len(rules.areas):
            raise Invalid(f"{where}.min", f"indica quanti ambiti servono (da 1 a {len(rules.areas)})")

    def title_values(self, rules: Rules, check: Check) -> dict[str, str]:
        return {"min": str(check.min)}

    def evaluate(self, ctx: Context, check: Check) -> Outcome:
        areas, least = ctx.answers.areas, _given(check.min)
        local = {"min": str(least), "count": str(len(areas or ()))}
        return Outcome("missing" if areas is None else "pass" if len(areas) >= least else "fail", local)


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {"<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


class Compare(Kind):
    """A value compared with a figure of the rules: `value` is `answers.<integer question>` or
    `grant.<figure>` (GRANT_FIGURES), `operator` one of OPERATORS, `limit` the key path of the figure.
    Value and limit read as the value does: a number of the answers as typed, money in euro with cents."""

    name = "compare"
    fields = frozenset({"value", "operator", "limit"})
    local = frozenset({"value", "limit"})

    def validate(self, rules: Rules, check: Check, where: str) -> None:
        source, _, key = (check.value or "").partition(".")
        if source == "answers":
            _question(rules, check, f"{where}.value", "integer", key)
        elif source != "grant" or key not in GRANT_FIGURES:
            raise Invalid(f"{where}.value", "indica «answers.<domanda>» (una domanda di tipo integer) o "
                                            f"«grant.<cifra>» ({', '.join(GRANT_FIGURES)})")
        if check.operator not in OPERATORS:
            raise Invalid(f"{where}.operator", f"operatore «{check.operator}» non ammesso; operatori: "
                                               f"{', '.join(OPERATORS)}")
        try:
            limit = rules.resolve(check.limit or "")
        except KeyError:
            raise Invalid(f"{where}.limit", f"«{check.limit}» non indica un valore delle regole") from None
        if isinstance(limit, bool) or not isinstance(limit, (int, Decimal)):
            raise Invalid(f"{where}.limit", f"«{check.limit}» non è un numero")

    @staticmethod
    def _shown(check: Check, value: Any) -> str:
        if _given(check.value).startswith("grant."):
            return eur(value if value is not None else Decimal(0))
        return str(value)

    def title_values(self, rules: Rules, check: Check) -> dict[str, str]:
        return {"limit": self._shown(check, rules.resolve(_given(check.limit)))}

    def evaluate(self, ctx: Context, check: Check) -> Outcome:
        limit = ctx.rules.resolve(_given(check.limit))
        source, _, key = _given(check.value).partition(".")
        if source == "answers":
            value = ctx.answers.questions.get(key)
        else:
            value = ctx.grant[key] if ctx.grant is not None else None
        local = {"limit": self._shown(check, limit), "value": self._shown(check, value)}
        if value is None:
            return Outcome("missing", local)
        return Outcome("pass" if OPERATORS[_given(check.operator)](value, limit) else "fail", local)


KINDS: dict[str, Kind] = {kind.name: kind for kind in (Window(), Members(), EveryMember(), IsTrue(), Areas(),
                                                        Compare())}


def title(rules: Rules, check: Check) -> str:
    """The title of a check with its own figures filled in."""
    return rules.render(check.title, **KINDS[check.kind].title_values(rules, check))
