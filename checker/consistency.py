"""The consistency of a call's rules, checked once they are converted: what a type cannot say.

Unique ids, figures within their range, references that name something that exists, the fields
each kind of check needs, placeholders that name a figure, sample answers that are valid.
Each problem raises `convert.Invalid` with its key path.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from . import timezone
from .answers import parse_answers
from .checks import KIND_FIELDS, KINDS
from .convert import Invalid
from .errors import AnswersError
from .figures import PLACEHOLDER, field_kinds, join
from .formulas import FORMULAS, amount_ok, rate_ok
from .members import requirement_problem
from .model import BUILTIN_ANSWERS, GUIDE_PAGES, Check, MemberClass, MemberCondition, Rules, refs


def check(rules: Rules) -> None:
    """Raise `Invalid` for the first inconsistency of `rules`."""
    _consistency(rules)
    _check_examples(rules)


def _consistency(rules: Rules) -> None:  # noqa: C901, PLR0912, PLR0915 -- one flat list of independent checks
    def unique(items: tuple[Any, ...], what: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                raise Invalid(f"{what}[{i}].id", f"identificativo «{item.id}» ripetuto")
            seen.add(item.id)

    for name, items in (("areas", rules.areas), ("questions", rules.questions), ("expenses", rules.expenses),
                        ("checks", rules.checks), ("readings", rules.readings)):
        unique(items, name)

    w = rules.window
    if not timezone.available(w.timezone):
        raise Invalid("window.timezone", f"fuso orario «{w.timezone}» non disponibile nel pacchetto")
    if w.opens is not None and w.opens >= w.closes:
        raise Invalid("window.closes", "la chiusura deve essere successiva all’apertura (window.opens)")
    if w.opens is None and w.no_opening is None:
        raise Invalid("window.no_opening", "senza data di apertura serve un testo che lo spieghi")

    for i, q in enumerate(rules.questions):
        if q.id in BUILTIN_ANSWERS:
            raise Invalid(f"questions[{i}].id", f"«{q.id}» è una risposta comune a tutti i bandi")
        if q.min is not None and q.type != "integer":
            raise Invalid(f"questions[{i}].min", "un minimo vale solo per domande di tipo integer")

    def condition_ok(cond: MemberClass | MemberCondition, base: str) -> None:
        if not cond.sizes:
            raise Invalid(f"{base}.sizes", "serve almeno una dimensione")
        problem = requirement_problem(cond.requires)
        if problem is not None:
            raise Invalid(f"{base}.requires.{problem[0]}", problem[1])

    for name, cls in rules.classes.items():
        base = f"classes.{name}"
        if cls.min < 1:
            raise Invalid(f"{base}.min", "deve essere almeno 1")
        condition_ok(cls, base)

    flat = [e for e in rules.expenses if not e.entered]
    for i, e in enumerate(rules.expenses):
        for attr in ("rate", "max_share_of_others", "flat_rate"):
            rate_ok(getattr(e, attr), f"expenses[{i}].{attr}")
        if e.flat_rate is not None and e.max_share_of_others is not None:
            raise Invalid(f"expenses[{i}].max_share_of_others", "una spesa forfettaria non ha altri limiti")
    if not rules.entered_expenses:
        raise Invalid("expenses", "serve almeno una voce di spesa da indicare")
    if len(flat) > 1:
        raise Invalid("expenses", "al massimo una voce forfettaria (flat_rate)")

    g = rules.grant
    FORMULAS[g.formula].validate(rules, g.parameters)
    if PLACEHOLDER.findall(g.headline).count("amount") != 1:
        raise Invalid("grant.headline", "deve contenere una volta il segnaposto «{amount}» (l’importo stimato)")
    amount_ok(rules.project.min_eligible_costs, "project.min_eligible_costs")

    for i, c in enumerate(rules.checks):
        base = f"checks[{i}]"
        kind = KINDS.get(c.kind)
        if kind is None:
            raise Invalid(f"{base}.kind", f"valore «{c.kind}» non ammesso; valori ammessi: {', '.join(KINDS)}")
        if c.guide not in GUIDE_PAGES:
            raise Invalid(f"{base}.guide", f"pagina «{c.guide}» sconosciuta; pagine: {', '.join(GUIDE_PAGES)}")
        needed = {"on_pass": "pass", "on_fail": "fail"}
        if kind.answered:
            needed |= {"on_missing": "missing", "passage": "passage"}
        for attr, key in needed.items():
            if getattr(c, attr) is None:
                raise Invalid(f"{base}.{key}", f"campo obbligatorio per le verifiche di tipo {c.kind}")
        for f in dataclasses.fields(c):
            if f.name in KIND_FIELDS and f.name not in kind.fields and getattr(c, f.name) is not None:
                key = f.metadata.get("key", f.name)
                raise Invalid(f"{base}.{key}", f"«{key}» non si usa nelle verifiche di tipo {c.kind}")
        if c.each is not None:
            condition_ok(c.each, f"{base}.each")
        kind.validate(rules, c, base)

    targets = {c.id for c in rules.checks} | {e.id for e in rules.expenses} | {"grant"}
    for i, r in enumerate(rules.readings):
        for j, target in enumerate(r.applies_to):
            if target not in targets:
                raise Invalid(f"readings[{i}].applies_to[{j}]", f"«{target}» non è una verifica, una spesa o grant")

    # Each passage is cited, and each citation names a passage.
    cited = set()
    for where, ref in refs(rules):
        if ref not in rules.passages:
            raise Invalid(where, f"passo «{ref}» non definito in passages")
        cited.add(ref)
    for ref in rules.passages:
        if ref not in cited:
            raise Invalid(f"passages.{ref}", "passo che nessuna regola cita: citalo o toglilo")
    # A call's text has headings or has none: a heading given for some passages only is a slip.
    if any(passage.section for passage in rules.passages.values()):
        for ref, passage in rules.passages.items():
            if passage.section is None:
                raise Invalid(f"passages.{ref}.section", "gli altri passi indicano il titolo del testo sotto cui "
                                                         "stanno: indicalo anche qui (per un testo senza titoli, "
                                                         "non indicarlo in nessun passo)")

    _check_placeholders(rules, rules, "")


def _check_placeholders(rules: Rules, node: Any, path: str, local: frozenset[str] = frozenset()) -> None:
    if isinstance(node, Check):
        local = KINDS[node.kind].local
    if dataclasses.is_dataclass(node):
        cls: type = type(node)
        kinds = field_kinds(cls)
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            key = f.metadata.get("key", f.name)
            if kinds[f.name] == "text":
                own = local | frozenset(f.metadata.get("vars", ()))  # what the field's own step fills in
                for j, text in enumerate(value if isinstance(value, tuple) else (value,)):
                    where = join(join(path, key), j) if isinstance(value, tuple) else join(path, key)
                    for name in PLACEHOLDER.findall(text or ""):
                        if name in own:
                            continue
                        try:
                            rules.resolve(name)
                        except KeyError:
                            raise Invalid(where, f"segnaposto «{{{name}}}» che non indica un valore delle regole") \
                                from None
            elif dataclasses.is_dataclass(value) or isinstance(value, tuple):
                _check_placeholders(rules, value, join(path, key), local)
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            _check_placeholders(rules, item, join(path, i), local)



def _check_examples(rules: Rules) -> None:
    for i, example in enumerate(rules.examples):
        try:
            parse_answers(rules, example.answers)
        except AnswersError as err:
            raise Invalid(join(f"examples[{i}].answers", err.path) if err.path else f"examples[{i}].answers",
                           err.message) from None

