"""The consistency of a call's rules, checked once they are converted: what a type cannot say.

Unique ids, figures within their range, references that name something that exists, the fields
each kind of check needs, placeholders that name a figure, sample answers that are valid.
Each problem raises `convert.Invalid` with its key path.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from . import timezone
from .answers import parse_answers
from .convert import Invalid
from .errors import AnswersError
from .figures import PLACEHOLDER, field_kinds, join
from .model import BUILTIN_ANSWERS, CHECK_VARS, GUIDE_PAGES, Check, MemberClass, MemberCondition, Rules, quoted


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
        if cond.min_financial_statements is not None and cond.min_financial_statements < 0:
            raise Invalid(f"{base}.min_financial_statements", "non può essere negativo")

    for name, cls in rules.classes.items():
        base = f"classes.{name}"
        if cls.min < 1:
            raise Invalid(f"{base}.min", "deve essere almeno 1")
        condition_ok(cls, base)

    def rate_ok(value: Decimal | None, where: str) -> None:
        if value is not None and not Decimal(0) < value <= 1:
            raise Invalid(where, f"una percentuale deve essere tra 0 e 1 (100%), non {value}")

    flat = [e for e in rules.expenses if not e.entered]
    for i, e in enumerate(rules.expenses):
        for attr in ("rate", "max_share_of_others", "flat_rate"):
            rate_ok(getattr(e, attr), f"expenses[{i}].{attr}")
        if e.rate is None and rules.grant.rate is None:
            raise Invalid(f"expenses[{i}].rate", "manca l’aliquota: indicala qui o in grant.rate")
        if e.flat_rate is not None and e.max_share_of_others is not None:
            raise Invalid(f"expenses[{i}].max_share_of_others", "una spesa forfettaria non ha altri limiti")
    if not rules.entered_expenses:
        raise Invalid("expenses", "serve almeno una voce di spesa da indicare")
    if len(flat) > 1:
        raise Invalid("expenses", "al massimo una voce forfettaria (flat_rate)")

    g = rules.grant
    rate_ok(g.rate, "grant.rate")
    for attr in ("cap", "cap_increase"):
        value = getattr(g, attr)
        if value is not None and value < 0:
            raise Invalid(f"grant.{attr}", "un importo non può essere negativo")
    if (g.cap_increase is None) != (g.cap_increase_class is None):
        raise Invalid("grant.cap_increase_class", "cap_increase e cap_increase_class vanno indicati insieme")
    if g.cap_increase_class is not None and g.cap_increase_class not in rules.classes:
        raise Invalid("grant.cap_increase_class", f"classe «{g.cap_increase_class}» non definita in classes")
    # The cap step's words: one label for a fixed cap, three for a cap that grows (see Grant).
    if g.cap_increase is None:
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
    if PLACEHOLDER.findall(g.headline).count("amount") != 1:
        raise Invalid("grant.headline", "deve contenere una volta il segnaposto «{amount}» (l’importo stimato)")
    p = rules.project
    if p.min_eligible_costs is not None and p.min_eligible_costs < 0:
        raise Invalid("project.min_eligible_costs", "un importo non può essere negativo")

    question_ids = {q.id for q in rules.questions}
    for i, c in enumerate(rules.checks):
        base = f"checks[{i}]"
        if c.guide not in GUIDE_PAGES:
            raise Invalid(f"{base}.guide", f"pagina «{c.guide}» sconosciuta; pagine: {', '.join(GUIDE_PAGES)}")
        needed = {"on_pass": "pass", "on_fail": "fail"}
        if c.kind != "window":
            needed |= {"on_missing": "missing", "passage": "passage"}
        elif rules.window.opens is not None:
            needed |= {"not_yet_open": "not_yet_open"}
        for attr, key in needed.items():
            if getattr(c, attr) is None:
                raise Invalid(f"{base}.{key}", f"campo obbligatorio per le verifiche di tipo {c.kind}")
        if c.kind == "members" and c.member_class not in rules.classes:
            raise Invalid(f"{base}.class", f"classe «{c.member_class}» non definita in classes")
        if (c.kind == "every_member") != (c.each is not None):
            raise Invalid(f"{base}.each", "«each» (i membri vincolati e le condizioni) va indicato solo e sempre "
                                           "nelle verifiche di tipo every_member")
        if c.each is not None:
            condition_ok(c.each, f"{base}.each")
            if (c.each.lombardy_site, c.each.min_financial_statements, c.each.signed_agreement) == (None,) * 3:
                raise Invalid(f"{base}.each", "serve almeno una condizione oltre a sizes")
        if c.kind in ("true", "at_most"):
            if c.question not in question_ids:
                raise Invalid(f"{base}.question", f"domanda «{c.question}» non definita in questions")
            wanted = "boolean" if c.kind == "true" else "integer"
            if rules.question(c.question).type != wanted:
                raise Invalid(f"{base}.question", f"la verifica {c.kind} richiede una domanda di tipo {wanted}")
        if c.kind in ("at_most", "min_eligible_costs"):
            try:
                limit = rules.resolve(c.limit or "")
            except KeyError:
                raise Invalid(f"{base}.limit", f"«{c.limit}» non indica un valore delle regole") from None
            if isinstance(limit, bool) or not isinstance(limit, (int, Decimal)):
                raise Invalid(f"{base}.limit", f"«{c.limit}» non è un numero")
        if c.kind == "areas" and (c.min is None or not 1 <= c.min <= len(rules.areas)):
            raise Invalid(f"{base}.min", f"indica quanti ambiti servono (da 1 a {len(rules.areas)})")

    targets = {c.id for c in rules.checks} | {e.id for e in rules.expenses} | {"grant"}
    for i, r in enumerate(rules.readings):
        for j, target in enumerate(r.applies_to):
            if target not in targets:
                raise Invalid(f"readings[{i}].applies_to[{j}]", f"«{target}» non è una verifica, una spesa o grant")

    # A call's text has headings or has none: a heading given for some passages only is a slip.
    headings = [(where, section) for _, _, where, section in quoted(rules) if where]
    if any(section for _, section in headings):
        for where, section in headings:
            if section is None:
                raise Invalid(where, "gli altri passi indicano il titolo del testo sotto cui stanno: indicalo "
                                      "anche qui (per un testo senza titoli, non indicarlo in nessun passo)")

    _check_placeholders(rules, rules, "")


def _check_placeholders(rules: Rules, node: Any, path: str, local: frozenset[str] = frozenset()) -> None:
    if isinstance(node, Check):
        local = frozenset(CHECK_VARS[node.kind] | ({"min"} if node.kind in ("members", "areas") else set())
                          | ({"limit"} if node.limit else set()))
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

