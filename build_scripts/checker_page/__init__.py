"""The browser checker pages (verifica/<call-id>/), rendered from the rules with Jinja2.

`render_page(rules, base)` gives the HTML of a page's content: the form (the same
questions the command line accepts, labels and hints from the rules), the result
panel with every check's guide link and verbatim passage, and the tools (copy
link, print, download, upload). The front end (docs/assets/checker/) reads the
form's `data-*` attributes; the content has no inline script.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from build_scripts.checker_page import next_steps
from build_scripts.guide import examples, render
from build_scripts.site_paths import CHECKER_DIR
from checker import checks, limits, members, model, sme
from checker.model import Check, Rules
from checker.money import eur
from checker.timezone import italian

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "verifica"
CHECKLIST_PAGE = "come-presentare"

VERDICTS = {
    "eligible": "Sì: con queste risposte {subject} ha i requisiti verificabili {of_kind}.",
    "not_eligible": "No: con queste risposte {subject} non ha i requisiti {of_kind}.",
    "incomplete": "Mancano alcune risposte: completa le domande per sapere se {subject} ha i requisiti.",
}
STATUS_LABELS = {"pass": "Soddisfatto", "fail": "Non soddisfatto", "missing": "Da completare"}


class PageError(RuntimeError):
    """A checker page cannot be rendered (a template error, a guide page the rules do not know)."""


def guide_url(base: str, call_id: str, page: str) -> str:
    """The guide page `page` of a call, relative to the site root `base` (`../../`)."""
    if page not in model.GUIDE_PAGES:
        raise PageError(f"pagina della guida «{page}» sconosciuta")
    return f"{base}bandi/{call_id}/" + ("" if page == "panoramica" else f"{page}/")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _check_view(rules: Rules, check: Check, base: str) -> dict[str, Any]:
    passage = rules.check_passage(check)
    readings = [{"title": r.title, "text": rules.render(r.text)} for r in rules.readings if check.id in r.applies_to]
    return {
        "id": check.id,
        "kind": check.kind,
        "title": checks.title(rules, check),
        "guide": guide_url(base, rules.id, check.guide),
        "section": passage.section,
        "passage": passage.text,
        "readings": readings,
    }


def context(rules: Rules, base: str) -> dict[str, Any]:
    """Everything the template shows, already in Italian and formatted."""
    subject = rules.words.subject
    of_kind = rules.words.of_kind
    opens = rules.window.opens_at()
    cap = getattr(rules.grant.parameters, "cap", None)  # named before any expense; a formula may have none
    fields = {name: members.BY_KEY[name] for name in rules.member_fields}
    member_classes = [
        {"label_plural": c.label_plural, "min": c.min} for c in rules.classes.values()
    ]
    return {
        "rules": rules,
        "call_id": rules.id,
        "subject": subject,
        "verdicts": {k: v.format(subject=subject, of_kind=of_kind) for k, v in VERDICTS.items()},
        "of_kind": of_kind,
        "status_labels": STATUS_LABELS,
        "opens": italian(opens) if opens else None,
        "closes": italian(rules.window.closes_at()),
        # The call's status (set again at viewing time by call-status.js), and the submission the
        # «simulate» action makes: the window's last minute, as the guide's worked examples do.
        "call_status": render.status_html(render.status(rules, datetime.now(UTC))),
        "in_time": examples.in_time(rules),
        # The call's own deadline, as the date field reads and shows dates (money.js): the field's example.
        "date_example": rules.window.closes.strftime("%d/%m/%Y %H:%M"),
        "timezone": rules.window.timezone,
        "member_fields": fields,
        "member_classes": member_classes,
        "sizes": [(size, members.SIZE_LABELS[size]) for size in members.SIZES],
        # The SME class helper beside each member's size (checker/sme.py runs in the worker).
        "sme": sme.definition(),
        "sme_figures": [(key, getattr(sme.definition().figures, key)) for key in sme.FIGURES],
        "questions": rules.questions,
        "areas": rules.areas,
        "expenses": rules.expenses,
        "checks": [_check_view(rules, c, base) for c in rules.checks],
        "prepare": [rules.render(p) for p in rules.application.prepare],
        "application": rules.application,
        "next": next_steps.context(rules, guide_url(base, rules.id, "domande")),  # «Cosa fare ora»
        "grant_readings": [{"title": r.title, "text": rules.render(r.text)} for r in rules.readings
                           if "grant" in r.applies_to],
        "grant_cap": eur(cap, always_cents=False) if cap is not None else None,
        # The amount as the result states it, in the call's words (result.js fills in `{amount}`).
        "grant_headline": rules.render(rules.grant.headline, amount="{amount}"),
        "phase_note": rules.render(rules.grant.phase_note) if rules.grant.phase_note else None,
        "checklist_url": guide_url(base, rules.id, CHECKLIST_PAGE),
        "guide_home": guide_url(base, rules.id, "panoramica"),
        "expenses_url": guide_url(base, rules.id, "spese"),
        "render": rules.render,
        # The bounds of the answers (checker/limits.py), for the page's own parsing (data- attributes).
        "limits": {"max_amount": format(limits.MAX_AMOUNT, "f"), "max_integer": limits.MAX_INTEGER,
                   "min_year": limits.MIN_YEAR, "max_year": limits.MAX_YEAR,
                   "max_members": limits.MAX_MEMBERS, "max_answers_bytes": limits.MAX_ANSWERS_BYTES},
    }


def render_page(rules: Rules, base: str, title_id: str = "checker-title", full_page: str | None = None) -> str:
    """The HTML content of the checker page of `rules` (`base`: the relative path to the site root;
    `title_id`: the id of the <h1>, the target of the theme's skip link; `full_page`: for an embeddable
    checker, the URL of the site's own page, which it links)."""
    extra = {"title_id": title_id, "full_page": full_page}
    try:
        return _environment().get_template("page.html").render(context(rules, base) | extra)
    except jinja2.TemplateError as err:
        raise PageError(f"verifica/{rules.id}: {err}") from err


SCREEN_TITLE = "Quale iniziativa fa per voi?"


def render_screen(calls: list[Rules], title_id: str = "screen-title") -> str:
    """The HTML content of the screening page: one profile against every call (checker/screen.py)."""
    asked = {name for call in calls for name in call.member_fields}
    asking = {key: [r.short_title for r in calls if key in r.member_fields] for key in asked}
    now = datetime.now(UTC)
    views = [{
        "id": r.id, "short_title": r.short_title, "in_time": examples.in_time(r), "areas": r.areas,
        "areas_legend": "Ambiti a cui si riferisce il progetto", "questions": r.questions,
        "expenses": r.entered_expenses, "status": render.status_html(render.status(r, now)),
        "verdicts": {k: v.format(subject=r.words.subject, of_kind=r.words.of_kind) for k, v in VERDICTS.items()},
    } for r in calls]
    context = {"calls": views, "title_id": title_id,
               "member_fields": {a.key: a for a in members.ATTRIBUTES if a.key in asked},
               # a member attribute that not every call asks says which calls do
               "asked_only_by": {key: titles for key, titles in asking.items() if len(titles) < len(calls)},
               "sizes": [(size, members.SIZE_LABELS[size]) for size in members.SIZES],
               "checker_dir": CHECKER_DIR, "max_members": limits.MAX_MEMBERS,
               "max_integer": limits.MAX_INTEGER}
    try:
        return _environment().get_template("screen.html").render(context)
    except jinja2.TemplateError as err:
        raise PageError(f"scegli: {err}") from err


def screen_markdown() -> str:
    """The Markdown source of the screening page (the hook fills the content)."""
    return (f"---\ntitle: {SCREEN_TITLE}\ndescription: Una sola serie di risposte confrontata con tutti i bandi "
            "della guida, con lo stato e la stima di ciascuno.\nhide:\n  - toc\n---\n\n# " + SCREEN_TITLE + "\n")


def page_markdown(rules: Rules, embedded: bool = False) -> str:
    """The Markdown source of the generated page: front matter and title (the hook fills the content).
    An embeddable checker has the theme's chrome-less template and stays out of the search index."""
    return (
        "---\n"
        + ("template: embed.html\nsearch:\n  exclude: true\n" if embedded else "")
        + f"title: Verifica online – {rules.short_title}\n"
        f"description: Verifica nel browser se {rules.words.subject} ha i requisiti {rules.words.of_kind} "
        f"«{rules.short_title}» e stima il contributo. Le risposte restano sul tuo dispositivo.\n"
        "hide:\n  - navigation\n  - toc\n"
        "---\n\n"
        f"# Verifica online – {rules.short_title}\n"
    )
