"""The rules of a call: one TOML file a call, loaded strictly into typed objects.

The dataclasses below *are* the schema of a rules file. A generic converter walks
them: a key the class does not declare, a value of the wrong type, a missing
field or an inconsistent figure raises `RulesError` with the file, the key path
and, where it can be found, the line.

Prose fields (`Text`) may cite any figure of the file as `{path}` (for example
`{grant.cap}` or `{classes.beneficiary.min}`), so a number is written once; the
placeholders are resolved and checked at load time.
"""

# No `from __future__ import annotations` here: the converter reads these annotations at run time,
# and as strings they would be compiled again at every start of the checker in the browser.
import dataclasses
import pickle
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from datetime import datetime
from decimal import Decimal
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from . import money, timezone
from .errors import AnswersError, RulesError, UnknownCallError
from .records import Record

# Markers for the converter and the formatter (see `_format_value`).
Money = Annotated[Decimal, "money"]
Rate = Annotated[Decimal, "rate"]
Text = Annotated[str, "text"]
Info = "informational"  # metadata: a figure shown to people that no rule evaluates

SIZES = ("micro", "small", "medium", "large", "other")
SIZE_LABELS = {
    "micro": "micro impresa",
    "small": "piccola impresa",
    "medium": "media impresa",
    "large": "grande impresa",
    "other": "altro soggetto (non impresa)",
}
CHECK_KINDS = ("window", "members", "every_member", "true", "areas", "at_most", "min_eligible_costs")
GUIDE_PAGES = ("panoramica", "beneficiari", "ambiti", "spese", "contributo", "scadenze", "come-presentare",
               "domande", "lettura")
BUILTIN_ANSWERS = ("submitted_at", "members", "areas", "expenses")
# Check-local placeholders each kind fills in at evaluation time.
CHECK_VARS = {
    "window": {"evaluated", "when", "opens", "closes"},
    "members": {"count", "min"},
    "every_member": {"count"},
    "true": set(),
    "areas": {"count", "min"},
    "at_most": {"value", "limit"},
    "min_eligible_costs": {"value", "limit"},
}


class Quote(Record):
    """A passage of the call, verbatim, and the heading of the call's text it stands under.

    A `section` (here and in every record with a passage) is a heading of the call's own text; a call
    whose text has no headings gives none, and its passages are cited by the call alone (see `cite`)."""

    passage: str
    section: str | None = None


class Objective(Record):
    text: Text
    passage: str
    section: str | None = None


class Window(Record):
    closes: datetime
    timezone: str
    passage: str
    section: str | None = None
    opens: datetime | None = None
    deadline_section: str | None = None
    deadline_passage: str | None = None
    no_opening: Text | None = None

    def opens_at(self) -> datetime | None:
        return self._instants[0]

    def closes_at(self) -> datetime:
        return self._instants[1]

    @cached_property
    def _instants(self) -> tuple[datetime | None, datetime]:
        opens = None if self.opens is None else timezone.localize(self.opens, self.timezone)
        return opens, timezone.localize(self.closes, self.timezone)


class Application(Record):
    channel: str
    platform: str
    platform_url: str
    submitter: str
    passage: str
    prepare: tuple[Text, ...]
    section: str | None = None
    forms_url: str | None = None
    forms_label: str | None = None


class Project(Record):
    min_eligible_costs: Money | None = None
    min_eligible_costs_section: str | None = None
    min_eligible_costs_passage: str | None = None
    duration_months: int | None = None
    extension_months: int | None = field(default=None, metadata={"informational": True})
    duration_section: str | None = None
    duration_passage: str | None = None


class Beneficiaries(Record):
    passage: str
    summary: Text
    non_beneficiaries: Text
    non_beneficiaries_passage: str
    section: str | None = None
    non_beneficiaries_section: str | None = None
    lead_partner: Text | None = None
    lead_partner_passage: str | None = None
    lead_partner_section: str | None = None


Size = Literal["micro", "small", "medium", "large", "other"]


class MemberCondition(Record):
    """What every member of the given sizes must be (the `each` of an `every_member` check): each
    condition given must hold. A member of another size is not bound by it."""

    sizes: tuple[Size, ...]
    lombardy_site: bool | None = None
    min_financial_statements: int | None = None
    signed_agreement: bool | None = None


class MemberClass(Record):
    """Members that count for a rule: every condition given must hold."""

    label: str
    label_plural: str
    min: int
    sizes: tuple[Size, ...]
    lombardy_site: bool | None = None
    min_financial_statements: int | None = None
    signed_agreement: bool | None = None


class Area(Record):
    id: str
    label: str
    passage: str


class Phase(Record):
    title: str
    text: Text
    passage: str
    section: str | None = None


class Question(Record):
    id: str
    type: Literal["boolean", "integer"]
    label: str
    hint: str
    min: int | None = None


class Expense(Record):
    id: str
    label: str
    passage: str
    roman: str | None = None
    rate: Rate | None = None
    max_share_of_others: Rate | None = None
    flat_rate: Rate | None = None

    @property
    def entered(self) -> bool:
        """Typed in by the applicant (a flat-rate type is computed instead)."""
        return self.flat_rate is None

    @cached_property
    def display(self) -> str:
        return f"{self.roman}. {self.label}" if self.roman else self.label


class CapIncreaseLabels(Record):
    """The cap step of a grant with a cap increase, worded for the call (the class's label agrees with
    its own words: «nessuna MPMI beneficiaria oltre le 5»). `{base}` and `{increase}` are the cap and the
    increase a member, `{members}` the members that raise it with the class's label («2 MPMI beneficiarie»)."""

    unknown: Text = field(metadata={"vars": ("base", "increase")})  # members not answered yet
    none: Text = field(metadata={"vars": ("base", "increase")})  # no member beyond the class's minimum
    some: Text = field(metadata={"vars": ("base", "increase", "members")})  # `{members}` beyond it


class Grant(Record):
    """The grant: its figures and the words of the estimate that differ by call. `headline` is the amount
    as the result states it (`{amount}`, the estimate); the cap step is `cap_label` for a fixed cap, or
    `cap_increase_labels` for a cap that grows with a class (one or the other, as the cap is)."""

    cap: Money
    passage: str
    form: str
    headline: Text = field(metadata={"vars": ("amount",)})
    section: str | None = None
    rate: Rate | None = None
    cap_increase: Money | None = None
    cap_increase_class: str | None = None
    cap_label: Text | None = None
    cap_increase_labels: CapIncreaseLabels | None = None
    measure: str | None = None
    measure_url: str | None = None
    phase_note: Text | None = None


class Check(Record):
    id: str
    kind: Literal["window", "members", "every_member", "true", "areas", "at_most", "min_eligible_costs"]
    title: Text
    guide: str
    section: str | None = None
    passage: str | None = None
    on_pass: Text | None = field(default=None, metadata={"key": "pass"})
    on_fail: Text | None = field(default=None, metadata={"key": "fail"})
    on_missing: Text | None = field(default=None, metadata={"key": "missing"})
    not_yet_open: Text | None = None
    member_class: str | None = field(default=None, metadata={"key": "class"})
    each: MemberCondition | None = None
    question: str | None = None
    limit: str | None = None
    min: int | None = None


class Reading(Record):
    id: str
    title: str
    text: Text
    applies_to: tuple[str, ...]


class Example(Record):
    title: str
    answers: dict[str, Any]


class Rules(Record):
    format: Literal[1]
    id: str
    title: str
    short_title: str
    kind: str
    managing_body: str
    summary: Text
    objective: Objective
    window: Window
    application: Application
    beneficiaries: Beneficiaries
    classes: dict[str, MemberClass]
    areas_source: Quote
    areas: tuple[Area, ...]
    questions: tuple[Question, ...]
    expenses_source: Quote
    expenses: tuple[Expense, ...]
    grant: Grant
    checks: tuple[Check, ...]
    readings: tuple[Reading, ...]
    # Sample answers shown on the site (validated at load time); no rule evaluates them.
    examples: tuple[Example, ...] = field(default=(), metadata={"informational": True})
    phases: tuple[Phase, ...] = ()
    project: Project = Project()
    budget: Money | None = field(default=None, metadata={"informational": True})
    budget_source: Quote | None = None
    managing_body_source: Quote | None = None
    # Not in the file: set by the loader.
    source_file: str = field(default="", metadata={"internal": True})
    version: str = field(default="", metadata={"internal": True})

    # --- lookups -----------------------------------------------------------
    def expense(self, expense_id: str) -> Expense:
        return next(e for e in self.expenses if e.id == expense_id)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    @cached_property
    def entered_expenses(self) -> tuple[Expense, ...]:
        return tuple(e for e in self.expenses if e.entered)

    @cached_property
    def member_fields(self) -> tuple[str, ...]:
        """The member keys this call asks, in a fixed order."""
        used = {"name", "size"}
        conditions: list[MemberClass | MemberCondition] = [*self.classes.values()]
        conditions += [c.each for c in self.checks if c.each is not None]
        for cls in conditions:
            used |= {"lombardy_site"} if cls.lombardy_site is not None else set()
            used |= {"financial_statements"} if cls.min_financial_statements is not None else set()
            used |= {"signed_agreement"} if cls.signed_agreement is not None else set()
        order = ("name", "size", "lombardy_site", "financial_statements", "signed_agreement")
        return tuple(k for k in order if k in used)

    def check_quote(self, check: Check) -> Quote:
        """The passage of the call a check encodes (the submission window's, for the window check)."""
        if check.passage is None:
            return Quote(self.window.passage, self.window.section)
        return Quote(check.passage, check.section)

    def cite(self, section: str | None) -> str:
        """Where a passage stands: the call, with the heading of its text when the text has headings."""
        return f"{self.title}, «{section}»" if section else self.title

    @cached_property
    def check_sources(self) -> dict[str, str]:
        """Each check's `source` in the result: the call (and heading, see `cite`) and the verbatim passage."""
        quotes = {c.id: self.check_quote(c) for c in self.checks}
        return {cid: f"{self.cite(q.section)}: «{q.passage}»" for cid, q in quotes.items()}

    @cached_property
    def passages(self) -> frozenset[str]:
        """Every passage of the call these rules record: all the call's text the guide may quote."""
        return frozenset(passage for _, passage, _, _ in _quoted(self))

    @cached_property
    def of_kind(self) -> str:
        """The call's kind after «di», with its article: «del bando», «della manifestazione di interesse»."""
        return f"della {self.kind}" if self.kind.startswith("manifestazione") else f"del {self.kind}"

    @cached_property
    def answer_keys(self) -> tuple[str, ...]:
        return BUILTIN_ANSWERS + tuple(q.id for q in self.questions)

    def check_title(self, check: Check) -> str:
        """The title of a check with its own figures filled in."""
        local = {}
        if check.kind == "members":
            local["min"] = str(self.classes[check.member_class or ""].min)
        elif check.min is not None:
            local["min"] = str(check.min)
        if check.limit:
            value, kind = self._resolved(check.limit)
            local["limit"] = format_value(value, kind)
        return self.render(check.title, **local)

    def resolve(self, path: str) -> Any:
        """The value at a dotted path (`grant.cap`, `expenses.consultancy.rate`)."""
        return self._resolved(path)[0]

    def render(self, text: str, **local: str) -> str:
        """Fill `{path}` placeholders with formatted figures of the rules, or `local` strings."""
        parts = _template(text)
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            name = parts[i]
            out += (local[name] if name in local else self.figure(name)), parts[i + 1]
        return "".join(out)

    def figure(self, path: str) -> str:
        """The figure at `path` as it reads in prose (`€ 300.000`, `60%`), formatted once a path."""
        figures = self._figures
        if path not in figures:
            figures[path] = format_value(*self._resolved(path))
        return figures[path]

    def _resolved(self, path: str) -> tuple[Any, str | None]:
        """`_resolve` once a path: the value and the kind of figure it is."""
        values = self._values
        if path not in values:
            values[path] = _resolve(self, path)
        return values[path]

    # Caches of `_resolved` and `figure`, filled on use: the rules never change once loaded.
    @cached_property
    def _values(self) -> dict[str, tuple[Any, str | None]]:
        return {}

    @cached_property
    def _figures(self) -> dict[str, str]:
        return {}


PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.\-]*)\}")
PASSAGE_FIELD = re.compile(r"(?:[a-z_]+_)?passage")


def _quoted(node: Any, path: str = "") -> Iterator[tuple[str, str, str | None, str | None]]:
    """Every passage given in `node` (the rules or any record in them), found by name: each field
    `passage` or `<name>_passage`, as (its key path, the passage, the key path and value of its
    heading). The heading is the sibling field `section` / `<name>_section`; a record without one
    (an area, an expense) cites the heading of its `*_source`: key path and value are None."""
    if isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from _quoted(item, _join(path, i))
    elif isinstance(node, Mapping):
        for key, item in node.items():
            yield from _quoted(item, _join(path, key))
    elif dataclasses.is_dataclass(node):
        names = {f.name for f in dataclasses.fields(node)}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if not PASSAGE_FIELD.fullmatch(f.name):
                yield from _quoted(value, _join(path, f.metadata.get("key", f.name)))
            elif value is not None:
                heading = f.name.removesuffix("passage") + "section"
                where = _join(path, heading) if heading in names else None
                yield _join(path, f.name), value, where, getattr(node, heading) if where else None


@cache
def _template(text: str) -> list[str]:
    """A text split at its placeholders: literal, name, literal, ..., literal (split once a text)."""
    return PLACEHOLDER.split(text)


def format_value(value: Any, kind: str | None) -> str:
    """How a figure of the rules reads in Italian prose."""
    if kind == "money":
        return money.eur(value, always_cents=False)
    if kind == "rate":
        return money.percent(value)
    if isinstance(value, datetime):
        return timezone.italian(value)
    return str(value)


def _resolve(root: Any, path: str) -> tuple[Any, str | None]:
    node: Any = root
    kind: str | None = None
    for part in path.split("."):
        if isinstance(node, Mapping):
            if part not in node:
                raise KeyError(path)
            node, kind = node[part], None
        elif isinstance(node, tuple):
            node = next((item for item in node if getattr(item, "id", None) == part), None)
            if node is None:
                raise KeyError(path)
            kind = None
        elif dataclasses.is_dataclass(node):
            cls: type = type(node)
            kinds = _field_kinds(cls)
            if part not in kinds:
                raise KeyError(path)
            kind = kinds[part]
            node = getattr(node, part)
        else:
            raise KeyError(path)
    if node is None or dataclasses.is_dataclass(node) or isinstance(node, (tuple, Mapping)):
        raise KeyError(path)
    return node, kind


@cache
def _hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a rules dataclass, once a class: `get_type_hints` compiles every
    annotation string anew, far too slow to repeat for each table of a file or each evaluation."""
    return typing.get_type_hints(cls, include_extras=True)


@cache
def _field_kinds(cls: type) -> dict[str, str | None]:
    """Each field of a rules dataclass and the kind of figure its annotation marks (`money`, `rate`)."""
    hints = _hints(cls)
    return {f.name: _marker(hints[f.name]) for f in dataclasses.fields(cls)}


def _marker(hint: Any) -> str | None:
    for arg in (hint, *typing.get_args(hint)):
        if typing.get_origin(arg) is Annotated:
            return str(arg.__metadata__[0])
    return None


# --- the generic converter ----------------------------------------------------

class _Invalid(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


_TYPE_NAMES = {str: "un testo", int: "un numero intero", bool: "true o false", Decimal: "un numero decimale",
               datetime: "una data e ora locale (es. 2025-04-03T16:00:00)"}


def _convert(hint: Any, value: Any, path: str) -> Any:  # noqa: C901, PLR0911, PLR0912 -- one branch a type
    origin = typing.get_origin(hint)
    if origin is Annotated:
        return _convert(typing.get_args(hint)[0], value, path)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(inner[0], value, path)
    if origin is Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            raise _Invalid(path, f"valore «{value}» non ammesso; valori ammessi: {', '.join(map(str, allowed))}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise _Invalid(path, "deve essere un elenco")
        item = typing.get_args(hint)[0]
        return tuple(_convert(item, v, _join(path, i)) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise _Invalid(path, "deve essere una tabella")
        item = typing.get_args(hint)[1]
        if item is Any:
            return value
        return {k: _convert(item, v, _join(path, k)) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, path)
    if hint is Decimal:
        if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
            raise _Invalid(path, f"deve essere {_TYPE_NAMES[Decimal]}")
        return Decimal(value)
    if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise _Invalid(path, f"deve essere {_TYPE_NAMES[int]}")
    if hint is datetime:
        if not isinstance(value, datetime) or value.tzinfo is not None:
            raise _Invalid(path, f"deve essere {_TYPE_NAMES[datetime]}, senza fuso orario (lo indica `timezone`)")
        return value
    if hint in (str, bool) and not isinstance(value, hint):
        raise _Invalid(path, f"deve essere {_TYPE_NAMES[hint]}")
    return value


def _build(cls: Any, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise _Invalid(path, "deve essere una tabella")
    hints = _hints(cls)
    fields = [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]
    by_key = {f.metadata.get("key", f.name): f for f in fields}
    unknown = [k for k in data if k not in by_key]
    if unknown:
        raise _Invalid(_join(path, unknown[0]),
                       f"chiave sconosciuta «{unknown[0]}»; chiavi ammesse: {', '.join(by_key)}")
    kwargs = {}
    for key, f in by_key.items():
        if key in data:
            kwargs[f.name] = _convert(hints[f.name], data[key], _join(path, key))
        elif f.default is dataclasses.MISSING:
            raise _Invalid(_join(path, key), "campo obbligatorio mancante")
    return cls(**kwargs)


def informational_paths() -> set[str]:
    """Field names of figures that no rule evaluates (shown to people only), sample answers included."""
    out = set()
    for cls in (Rules, Project):
        out |= {f.name for f in dataclasses.fields(cls) if f.metadata.get("informational")}
    return out


# --- consistency ----------------------------------------------------------------

def _consistency(rules: Rules) -> None:  # noqa: C901, PLR0912, PLR0915 -- one flat list of independent checks
    def unique(items: tuple[Any, ...], what: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                raise _Invalid(f"{what}[{i}].id", f"identificativo «{item.id}» ripetuto")
            seen.add(item.id)

    for name, items in (("areas", rules.areas), ("questions", rules.questions), ("expenses", rules.expenses),
                        ("checks", rules.checks), ("readings", rules.readings)):
        unique(items, name)

    w = rules.window
    if not timezone.available(w.timezone):
        raise _Invalid("window.timezone", f"fuso orario «{w.timezone}» non disponibile nel pacchetto")
    if w.opens is not None and w.opens >= w.closes:
        raise _Invalid("window.closes", "la chiusura deve essere successiva all’apertura (window.opens)")
    if w.opens is None and w.no_opening is None:
        raise _Invalid("window.no_opening", "senza data di apertura serve un testo che lo spieghi")

    for i, q in enumerate(rules.questions):
        if q.id in BUILTIN_ANSWERS:
            raise _Invalid(f"questions[{i}].id", f"«{q.id}» è una risposta comune a tutti i bandi")
        if q.min is not None and q.type != "integer":
            raise _Invalid(f"questions[{i}].min", "un minimo vale solo per domande di tipo integer")

    def condition_ok(cond: MemberClass | MemberCondition, base: str) -> None:
        if not cond.sizes:
            raise _Invalid(f"{base}.sizes", "serve almeno una dimensione")
        if cond.min_financial_statements is not None and cond.min_financial_statements < 0:
            raise _Invalid(f"{base}.min_financial_statements", "non può essere negativo")

    for name, cls in rules.classes.items():
        base = f"classes.{name}"
        if cls.min < 1:
            raise _Invalid(f"{base}.min", "deve essere almeno 1")
        condition_ok(cls, base)

    def rate_ok(value: Decimal | None, where: str) -> None:
        if value is not None and not Decimal(0) < value <= 1:
            raise _Invalid(where, f"una percentuale deve essere tra 0 e 1 (100%), non {value}")

    flat = [e for e in rules.expenses if not e.entered]
    for i, e in enumerate(rules.expenses):
        for attr in ("rate", "max_share_of_others", "flat_rate"):
            rate_ok(getattr(e, attr), f"expenses[{i}].{attr}")
        if e.rate is None and rules.grant.rate is None:
            raise _Invalid(f"expenses[{i}].rate", "manca l’aliquota: indicala qui o in grant.rate")
        if e.flat_rate is not None and e.max_share_of_others is not None:
            raise _Invalid(f"expenses[{i}].max_share_of_others", "una spesa forfettaria non ha altri limiti")
    if not rules.entered_expenses:
        raise _Invalid("expenses", "serve almeno una voce di spesa da indicare")
    if len(flat) > 1:
        raise _Invalid("expenses", "al massimo una voce forfettaria (flat_rate)")

    g = rules.grant
    rate_ok(g.rate, "grant.rate")
    for attr in ("cap", "cap_increase"):
        value = getattr(g, attr)
        if value is not None and value < 0:
            raise _Invalid(f"grant.{attr}", "un importo non può essere negativo")
    if (g.cap_increase is None) != (g.cap_increase_class is None):
        raise _Invalid("grant.cap_increase_class", "cap_increase e cap_increase_class vanno indicati insieme")
    if g.cap_increase_class is not None and g.cap_increase_class not in rules.classes:
        raise _Invalid("grant.cap_increase_class", f"classe «{g.cap_increase_class}» non definita in classes")
    # The cap step's words: one label for a fixed cap, three for a cap that grows (see Grant).
    if g.cap_increase is None:
        if g.cap_increase_labels is not None:
            raise _Invalid("grant.cap_increase_labels", "senza cap_increase il massimale è fisso: usa cap_label")
        if g.cap_label is None:
            raise _Invalid("grant.cap_label", "serve il testo del passaggio del massimale (es. \"Massimale del "
                                              "contributo\")")
    else:
        if g.cap_label is not None:
            raise _Invalid("grant.cap_label", "con cap_increase il massimale cresce: usa cap_increase_labels")
        if g.cap_increase_labels is None:
            raise _Invalid("grant.cap_increase_labels", "con cap_increase servono i testi unknown, none e some "
                                                        "del passaggio del massimale")
        if PLACEHOLDER.findall(g.cap_increase_labels.some).count("members") != 1:
            raise _Invalid("grant.cap_increase_labels.some", "deve contenere una volta il segnaposto «{members}» "
                                                             "(i membri che aumentano il massimale)")
    if PLACEHOLDER.findall(g.headline).count("amount") != 1:
        raise _Invalid("grant.headline", "deve contenere una volta il segnaposto «{amount}» (l’importo stimato)")
    p = rules.project
    if p.min_eligible_costs is not None and p.min_eligible_costs < 0:
        raise _Invalid("project.min_eligible_costs", "un importo non può essere negativo")

    question_ids = {q.id for q in rules.questions}
    for i, c in enumerate(rules.checks):
        base = f"checks[{i}]"
        if c.guide not in GUIDE_PAGES:
            raise _Invalid(f"{base}.guide", f"pagina «{c.guide}» sconosciuta; pagine: {', '.join(GUIDE_PAGES)}")
        needed = {"on_pass": "pass", "on_fail": "fail"}
        if c.kind != "window":
            needed |= {"on_missing": "missing", "passage": "passage"}
        elif rules.window.opens is not None:
            needed |= {"not_yet_open": "not_yet_open"}
        for attr, key in needed.items():
            if getattr(c, attr) is None:
                raise _Invalid(f"{base}.{key}", f"campo obbligatorio per le verifiche di tipo {c.kind}")
        if c.kind == "members" and c.member_class not in rules.classes:
            raise _Invalid(f"{base}.class", f"classe «{c.member_class}» non definita in classes")
        if (c.kind == "every_member") != (c.each is not None):
            raise _Invalid(f"{base}.each", "«each» (i membri vincolati e le condizioni) va indicato solo e sempre "
                                           "nelle verifiche di tipo every_member")
        if c.each is not None:
            condition_ok(c.each, f"{base}.each")
            if (c.each.lombardy_site, c.each.min_financial_statements, c.each.signed_agreement) == (None,) * 3:
                raise _Invalid(f"{base}.each", "serve almeno una condizione oltre a sizes")
        if c.kind in ("true", "at_most"):
            if c.question not in question_ids:
                raise _Invalid(f"{base}.question", f"domanda «{c.question}» non definita in questions")
            wanted = "boolean" if c.kind == "true" else "integer"
            if rules.question(c.question).type != wanted:
                raise _Invalid(f"{base}.question", f"la verifica {c.kind} richiede una domanda di tipo {wanted}")
        if c.kind in ("at_most", "min_eligible_costs"):
            try:
                limit = rules.resolve(c.limit or "")
            except KeyError:
                raise _Invalid(f"{base}.limit", f"«{c.limit}» non indica un valore delle regole") from None
            if isinstance(limit, bool) or not isinstance(limit, (int, Decimal)):
                raise _Invalid(f"{base}.limit", f"«{c.limit}» non è un numero")
        if c.kind == "areas" and (c.min is None or not 1 <= c.min <= len(rules.areas)):
            raise _Invalid(f"{base}.min", f"indica quanti ambiti servono (da 1 a {len(rules.areas)})")

    targets = {c.id for c in rules.checks} | {e.id for e in rules.expenses} | {"grant"}
    for i, r in enumerate(rules.readings):
        for j, target in enumerate(r.applies_to):
            if target not in targets:
                raise _Invalid(f"readings[{i}].applies_to[{j}]", f"«{target}» non è una verifica, una spesa o grant")

    # A call's text has headings or has none: a heading given for some passages only is a slip.
    headings = [(where, section) for _, _, where, section in _quoted(rules) if where]
    if any(section for _, section in headings):
        for where, section in headings:
            if section is None:
                raise _Invalid(where, "gli altri passi indicano il titolo del testo sotto cui stanno: indicalo "
                                      "anche qui (per un testo senza titoli, non indicarlo in nessun passo)")

    _check_placeholders(rules, rules, "")


def _check_placeholders(rules: Rules, node: Any, path: str, local: frozenset[str] = frozenset()) -> None:
    if isinstance(node, Check):
        local = frozenset(CHECK_VARS[node.kind] | ({"min"} if node.kind in ("members", "areas") else set())
                          | ({"limit"} if node.limit else set()))
    if dataclasses.is_dataclass(node):
        cls: type = type(node)
        kinds = _field_kinds(cls)
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            key = f.metadata.get("key", f.name)
            if kinds[f.name] == "text":
                own = local | frozenset(f.metadata.get("vars", ()))  # what the field's own step fills in
                for j, text in enumerate(value if isinstance(value, tuple) else (value,)):
                    where = _join(_join(path, key), j) if isinstance(value, tuple) else _join(path, key)
                    for name in PLACEHOLDER.findall(text or ""):
                        if name in own:
                            continue
                        try:
                            rules.resolve(name)
                        except KeyError:
                            raise _Invalid(where, f"segnaposto «{{{name}}}» che non indica un valore delle regole") \
                                from None
            elif dataclasses.is_dataclass(value) or isinstance(value, tuple):
                _check_placeholders(rules, value, _join(path, key), local)
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            _check_placeholders(rules, item, _join(path, i), local)


# --- locating a key path in the file, for the error message -----------------

def _line_of(text: str, path: str) -> int | None:
    """Best-effort line of `path` (`checks[2].min`, `grant.cap`) in a TOML text."""
    lines = text.splitlines()
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    start, table, found = 0, "", None
    for part in parts:
        if part.startswith("["):
            index, seen = int(part[1:-1]), -1
            for n in range(start, len(lines)):
                if lines[n].strip() == f"[[{table}]]":
                    seen += 1
                    if seen == index:
                        start, found = n, n
                        break
            else:
                return found + 1 if found is not None else None
            continue
        parent, table = table, f"{table}.{part}" if table else part
        # `[table]`, `[[table]]` or a dotted header below it (`[classes.beneficiary]` for `classes`) ...
        header_re = re.compile(rf"^\s*\[\[?{re.escape(table)}[\].]")
        header = next((n for n in range(start, len(lines)) if header_re.match(lines[n])), None)
        # ... or `part = ...` inside the current table, a dotted key too (`labels.some = ...` for `labels`
        # and for `some`): that search stops at a header outside it.
        key_re = re.compile(rf"^\s*(?:[A-Za-z0-9_-]+\s*\.\s*)*{re.escape(part)}\s*[=.]")
        inside_re = re.compile(rf"^\s*\[\[?{re.escape(parent)}\." if parent else r"^(?!)")
        key = None
        for n in range(start, len(lines)):
            if key_re.match(lines[n]):
                key = n
                break
            if n > start and lines[n].lstrip().startswith("[") and not inside_re.match(lines[n]):
                break
        candidates = [n for n in (key, header) if n is not None]
        if not candidates:
            break
        start = found = min(candidates)
    return found + 1 if found is not None else None


# --- loading -----------------------------------------------------------------

def from_data(data: dict[str, Any], file: str, text: str = "") -> Rules:
    """Validate parsed TOML data into `Rules` (`text`, when given, locates errors)."""
    try:
        rules: Rules = _build(Rules, data, "")
        import hashlib  # noqa: PLC0415 -- on use: the browser loads compiled rules (see `get`) and never needs it

        rules = dataclasses.replace(rules, source_file=file,
                                    version=hashlib.sha256(text.encode()).hexdigest()[:12] if text else "")
        _consistency(rules)
        _check_examples(rules)
    except _Invalid as err:
        raise RulesError(file, err.path, err.message, _line_of(text, err.path) if text else None) from None
    return rules


def _check_examples(rules: Rules) -> None:
    from .answers import parse_answers  # noqa: PLC0415 -- answers imports this module: a cycle at top level

    for i, example in enumerate(rules.examples):
        try:
            parse_answers(rules, example.answers)
        except AnswersError as err:
            raise _Invalid(_join(f"examples[{i}].answers", err.path) if err.path else f"examples[{i}].answers",
                           err.message) from None


def load(path: str | Path, name: str | None = None) -> Rules:
    """Load a rules file from disk (`name` is how errors name it)."""
    file = Path(path)
    return loads(file.read_text(encoding="utf-8"), name or str(file))


# The messages of Python's `tomllib` in Italian (its details, such as a key or a character, kept).
TOML_MESSAGES = tuple((re.compile(english), italian) for english, italian in (
    (r"Invalid statement", "istruzione non valida"),
    (r"Expected newline or end of document after a statement", "dopo un’istruzione si va a capo"),
    (r"Cannot overwrite a value", "un valore già definito non si può ridefinire"),
    (r"Unescaped '\\' in a string", "«\\» non seguito da una sequenza valida in un testo"),
    (r"Illegal character (.+)", "carattere non ammesso {0}"),
    (r"Found invalid character (.+)", "carattere non valido {0}"),
    (r"Duplicate inline table key (.+)", "chiave {0} ripetuta nella tabella in linea"),
    (r"Cannot redefine namespace (.+)", "la tabella {0} non si può ridefinire"),
    (r"Cannot declare (.+) twice", "la tabella {0} è dichiarata due volte"),
    (r"Cannot mutate immutable namespace (.+)", "la tabella {0} non si può più modificare"),
    (r"Expected ']]' at the end of an array declaration", "manca «]]» alla fine dell’intestazione"),
    (r"Expected ']' at the end of a table declaration", "manca «]» alla fine dell’intestazione"),
    (r"Expected '=' after a key in a key/value pair", "manca «=» dopo la chiave"),
    (r"Expected (.+)", "manca {0}"),
    (r"Unterminated string", "testo tra virgolette non chiuso"),
    (r"Unclosed inline table", "tabella in linea non chiusa"),
    (r"Unclosed array", "elenco non chiuso"),
    (r"Invalid value", "valore non valido"),
    (r"Invalid initial character for a key part", "carattere iniziale non valido per una chiave"),
    (r"Invalid hex value", "valore esadecimale non valido"),
    (r"Invalid date or datetime", "data o data e ora non valida"),
    (r"Escaped character is not a Unicode scalar value", "il carattere indicato non è un carattere Unicode valido"),
))
_TOML_WHERE = re.compile(r"(?s)(.*) \(at (?:line (\d+), column (\d+)|(end of document))\)")


def toml_error(text: str) -> tuple[str, int | None]:
    """The Italian message of a `tomllib.TOMLDecodeError` (its `str`) and its line, the column kept."""
    where = _TOML_WHERE.fullmatch(text)
    english, line, column, end = where.groups() if where else (text, None, None, None)
    italian = next((it.format(*map(_toml_detail, m.groups())) for pattern, it in TOML_MESSAGES
                    if (m := pattern.fullmatch(english))), "sintassi non valida")
    at = f" alla colonna {column}" if column else " alla fine del file" if end else ""
    return f"TOML non valido{at}: {italian}", int(line) if line else None


def _toml_detail(detail: str) -> str:
    """A key or a character as `tomllib` shows it (`('checks', 'id')`, `'b'`, `'\\x01'`): «checks.id», «b»."""
    parts = re.findall(r"'((?:[^'\\]|\\.)*)'", detail)
    return f"«{'.'.join(parts)}»" if parts and detail[:1] in "('" else detail


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """A TOML text with exact decimals; a syntax error is a `RulesError` in Italian naming `name` and the line."""
    import tomllib  # noqa: PLC0415 -- on use: the browser loads compiled rules (see `get`) and never needs it

    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        message, line = toml_error(str(err))
        raise RulesError(name, "", message, line) from None


def loads(text: str, name: str) -> Rules:
    rules = from_data(parse_toml(text, name), name, text)
    expected = Path(name).stem
    if name.endswith(".toml") and rules.id != expected:
        raise RulesError(name, "id", f"l’id «{rules.id}» deve coincidere con il nome del file «{expected}»",
                         _line_of(text, "id"))
    return rules


R = TypeVar("R", bound=Record)


def load_record(cls: type[R], text: str, name: str, check: Callable[[R], tuple[str, str] | None]) -> R:
    """Another data file of the package (`definitions/*.toml`) as strictly as a call's rules: parsed with
    exact decimals, converted into the record `cls` by the same converter (an unknown key, a wrong type, a
    missing field refused), then `check`ed (it returns the key path and the message of the first problem,
    or None). Any error is a `RulesError` naming `name`, the key path and the line."""
    data = parse_toml(text, name)
    try:
        record: R = _build(cls, data, "")
        problem = check(record)
    except _Invalid as err:
        problem = err.path, err.message
    if problem is not None:
        path, message = problem
        raise RulesError(name, path, message, _line_of(text, path))
    return record


def _bundled() -> resources.abc.Traversable:
    return resources.files(__package__).joinpath("rules")


@cache
def call_ids() -> tuple[str, ...]:
    """The ids of the calls shipped with the package, sorted."""
    return tuple(sorted(p.name.removesuffix(".toml") for p in _bundled().iterdir() if p.name.endswith(".toml")))


# The browser's wheel (build_scripts/bundle.py) ships each call's rules also compiled: loaded and
# validated from the TOML file when the wheel is built, and pickled next to it, as modules ship
# byte-compiled. Unpickling them takes ~2 ms in Pyodide, where parsing and validating the TOML took
# 70-110 ms of the first verdict. Only the package's own files are ever unpickled.
COMPILED = ".pickle"


def compiled(rules: Rules) -> bytes:
    """`rules` as `get` reads them back from `rules/<id>.pickle` (see COMPILED)."""
    return pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)


@cache
def get(call_id: str) -> Rules:
    """The rules of a shipped call."""
    if call_id not in call_ids():
        raise UnknownCallError(call_id, list(call_ids()))
    shipped = _bundled().joinpath(call_id + COMPILED)
    if shipped.is_file():
        rules: Rules = pickle.loads(shipped.read_bytes())  # the package's own file (see COMPILED)
        return rules
    resource = _bundled().joinpath(f"{call_id}.toml")
    return loads(resource.read_text(encoding="utf-8"), f"rules/{call_id}.toml")
