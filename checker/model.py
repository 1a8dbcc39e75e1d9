"""The rules of a call as typed records: these classes *are* the schema of a rules file.

`checker.loader` reads a TOML file into them (strictly: see `checker.convert` and
`checker.consistency`); `checker.catalogue` gives the shipped calls.

Prose fields (`Text`) may cite any figure of the file as `{path}` (for example
`{grant.parameters.cap}` or `{classes.beneficiary.min}`), so a number is written once; the
placeholders are resolved and checked at load time (`checker.figures` renders them).
"""

# No `from __future__ import annotations` here: the converter reads these annotations at run time,
# and as strings they would be compiled again at every start of the checker in the browser.
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import field
from datetime import datetime
from functools import cached_property
from typing import Any, Literal

from . import timezone
from .figures import Money, Rate, Ref, Text, field_kinds, format_value, join, resolve, template
from .members import ATTRIBUTES, Size
from .records import Record

GUIDE_PAGES = ("panoramica", "beneficiari", "ambiti", "spese", "contributo", "scadenze", "come-presentare",
               "domande", "lettura")
BUILTIN_ANSWERS = ("submitted_at", "members", "areas", "expenses")
class Passage(Record):
    """A passage of the call, verbatim, and the heading of the call's text it stands under.

    The rules write each passage once, in `passages`, under an id that the records cite (`Ref`). A
    `section` is a heading of the call's own text; a call whose text has no headings gives none, and its
    passages are cited by the call alone (see `cite`)."""

    text: str
    section: str | None = None


class Words(Record):
    """The words of the guide and the checker pages that differ by call, each with its article."""

    of_kind: str  # the call after «di»: «del bando», «della manifestazione di interesse»
    application: str  # what is submitted: «la domanda», «la manifestazione di interesse»
    closed: str  # «Il bando è chiuso», «La manifestazione di interesse è chiusa»
    managed_by: str  # before the managing body: «Il bando è gestito da», «L’iniziativa è promossa da»
    managing: str  # the heading of the managing body, as the text calls its role: «Chi lo gestisce», «Chi la promuove»
    subject: str  # who applies: «l’aggregazione», «il partenariato»
    of_subject: str  # «dell’aggregazione», «del partenariato»
    areas_legend: str  # the form's areas: «Ambiti di intervento», «Ambiti della proposta»


class Objective(Record):
    text: Text
    passage: Ref


class Window(Record):
    closes: datetime
    timezone: str
    passage: Ref
    opens: datetime | None = None
    deadline_passage: Ref | None = None
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
    passage: Ref
    prepare: tuple[Text, ...]
    forms_url: str | None = None
    forms_label: str | None = None


class Project(Record):
    min_eligible_costs: Money | None = None
    min_eligible_costs_passage: Ref | None = None
    duration_months: int | None = None
    extension_months: int | None = field(default=None, metadata={"informational": True})
    duration_passage: Ref | None = None


class Beneficiaries(Record):
    passage: Ref
    summary: Text
    non_beneficiaries: Text
    non_beneficiaries_passage: Ref
    lead_partner: Text | None = None
    lead_partner_passage: Ref | None = None


class MemberCondition(Record):
    """What every member of the given sizes must be (the `each` of an `every_member` check): each
    attribute `requires` names (checker/members.py) must hold. A member of another size is not bound by it."""

    sizes: tuple[Size, ...]
    requires: dict[str, Any]


class MemberClass(Record):
    """Members that count for a rule: of one of `sizes`, and meeting every attribute `requires` names
    (checker/members.py: a count at least the figure, a yes/no attribute true)."""

    label: str
    label_plural: str
    min: int
    sizes: tuple[Size, ...]
    requires: dict[str, Any] = field(default_factory=dict)

    def counted(self, n: int | None) -> str:
        """`n` members of the class, with its label: «1 MPMI beneficiaria», «2 MPMI beneficiarie»."""
        return f"{n} {self.label if n == 1 else self.label_plural}"


class Area(Record):
    id: str
    label: str
    passage: Ref


class Phase(Record):
    title: str
    text: Text
    passage: Ref


class Question(Record):
    id: str
    type: Literal["boolean", "integer"]
    label: str
    hint: str
    min: int | None = None


class Expense(Record):
    id: str
    label: str
    passage: Ref
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
    """The grant: its formula and the formula's parameters (checker/formulas.py, which converts them into
    its own typed record when the rules are loaded), and the words of the estimate that differ by call.
    `headline` is the amount as the result states it (`{amount}`, the estimate); the cap step is
    `cap_label` for a fixed cap, or `cap_increase_labels` for a cap that grows with a class."""

    formula: str
    parameters: Any
    passage: Ref
    form: str
    headline: Text = field(metadata={"vars": ("amount",)})
    cap_label: Text | None = None
    cap_increase_labels: CapIncreaseLabels | None = None
    cap_scope: str | None = None  # what a measure's cap is a cap of, as the text says it: «per filiera»
    measure: str | None = None
    measure_url: str | None = None
    phase_note: Text | None = None


class Check(Record):
    """A rule of the call. Its `kind` (checker/checks.py) says which of the fields after `not_yet_open`
    it reads; the loader refuses the others."""

    id: str
    kind: str
    title: Text
    guide: str
    passage: Ref | None = None
    on_pass: Text | None = field(default=None, metadata={"key": "pass"})
    on_fail: Text | None = field(default=None, metadata={"key": "fail"})
    on_missing: Text | None = field(default=None, metadata={"key": "missing"})
    not_yet_open: Text | None = None
    member_class: str | None = field(default=None, metadata={"key": "class"})
    each: MemberCondition | None = None
    question: str | None = None
    value: str | None = None
    operator: str | None = None
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
    words: Words
    objective: Objective
    window: Window
    application: Application
    beneficiaries: Beneficiaries
    classes: dict[str, MemberClass]
    areas_passage: Ref  # the words that open the list of areas
    areas: tuple[Area, ...]
    questions: tuple[Question, ...]
    expenses_passage: Ref  # the words that open the list of expense types
    expenses: tuple[Expense, ...]
    grant: Grant
    checks: tuple[Check, ...]
    readings: tuple[Reading, ...]
    passages: dict[str, Passage]  # every passage of the call the rules cite, by id, each written once
    # Sample answers shown on the site (validated at load time); no rule evaluates them.
    examples: tuple[Example, ...] = field(default=(), metadata={"informational": True})
    phases: tuple[Phase, ...] = ()
    project: Project = Project()
    budget: Money | None = field(default=None, metadata={"informational": True})
    budget_passage: Ref | None = None
    managing_body_passage: Ref | None = None
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
        """The member keys this call asks: the name, the size and every attribute a rule requires, in the
        order of `members.ATTRIBUTES`."""
        required = {key for cls in self.classes.values() for key in cls.requires}
        required |= {key for c in self.checks if c.each is not None for key in c.each.requires}
        return tuple(a.key for a in ATTRIBUTES if a.requirement is None or a.key in required)

    def passage(self, ref: str) -> Passage:
        """The passage of the call a record cites (`Ref`)."""
        return self.passages[ref]

    def check_passage(self, check: Check) -> Passage:
        """The passage of the call a check encodes (the submission window's, for the window check)."""
        return self.passages[check.passage or self.window.passage]

    def cite(self, section: str | None) -> str:
        """Where a passage stands: the call, with the heading of its text when the text has headings."""
        return f"{self.title}, «{section}»" if section else self.title

    @cached_property
    def check_sources(self) -> dict[str, str]:
        """Each check's `source` in the result: the call (and heading, see `cite`) and the verbatim passage."""
        quoted = {c.id: self.check_passage(c) for c in self.checks}
        return {cid: f"{self.cite(p.section)}: «{p.text}»" for cid, p in quoted.items()}

    @cached_property
    def answer_keys(self) -> tuple[str, ...]:
        return BUILTIN_ANSWERS + tuple(q.id for q in self.questions)

    def resolve(self, path: str) -> Any:
        """The value at a dotted path (`grant.parameters.cap`, `expenses.consultancy.rate`)."""
        return self._resolved(path)[0]

    def render(self, text: str, **local: str) -> str:
        """Fill `{path}` placeholders with formatted figures of the rules, or `local` strings."""
        parts = template(text)
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
        """`figures.resolve` once a path: the value and the kind of figure it is."""
        values = self._values
        if path not in values:
            values[path] = resolve(self, path)
        return values[path]

    # Caches of `_resolved` and `figure`, filled on use: the rules never change once loaded.
    @cached_property
    def _values(self) -> dict[str, tuple[Any, str | None]]:
        return {}

    @cached_property
    def _figures(self) -> dict[str, str]:
        return {}



def refs(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every passage cited in `node` (the rules or any record in them): each field marked `Ref`, as
    (its key path, the id it cites)."""
    if isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from refs(item, join(path, i))
    elif isinstance(node, Mapping):
        for key, item in node.items():
            yield from refs(item, join(path, key))
    elif dataclasses.is_dataclass(node):
        cls: type = type(node)
        kinds = field_kinds(cls)
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            where = join(path, f.metadata.get("key", f.name))
            if kinds[f.name] == "passage":
                if value is not None:
                    yield where, value
            elif dataclasses.is_dataclass(value) or isinstance(value, (tuple, Mapping)):
                yield from refs(value, where)
