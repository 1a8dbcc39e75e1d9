"""Render the guide's pages from the rules with the Jinja2 templates of build_scripts/templates/guide/.

Every figure a page shows is read from a `Rules` object and formatted by the
checker's own helpers (`Rules.render`, `money.eur`/`percent`, `timezone.italian`):
the templates hold words, never numbers. An undefined name, a template error or a
`{placeholder}` left unresolved in the output stops the build.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from build_scripts.site_paths import CHECKER_DIR, EMBED_DIR
from checker import checks, limits, members, money, timezone
from checker.figures import PLACEHOLDER
from checker.members import SIZE_LABELS, SIZES
from checker.model import GUIDE_PAGES, Check, Reading, Rules
from checker.schema import answers_schema

from .examples import in_time, worked_examples
from .faq import share_limit_example

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "guide"
SCHEMA_DIR = "schema/v1"

# Titles of the guide's pages of a call (the uri stem is `model.GUIDE_PAGES`).
PAGE_TITLES = {
    "panoramica": "Panoramica",
    "beneficiari": "Chi può partecipare",
    "ambiti": "Ambiti",
    "spese": "Spese ammissibili",
    "contributo": "Il contributo",
    "scadenze": "Scadenze e tempi",
    "come-presentare": "Come presentare la domanda",
    "domande": "Domande frequenti",
    "lettura": "Come leggiamo il bando",
}
SITE_PAGES = {
    "index.md": "index.md.j2",
    "confronto.md": "confronto.md.j2",
    "partner.md": "partner.md.j2",
    "informazioni.md": "informazioni.md.j2",
}
STATUS_LABELS = {"open": "Aperto", "closed": "Chiuso", "not_yet_open": "Non ancora aperto"}
LEFTOVER = re.compile(r"\{[a-z_][a-z0-9_.\-]*\}|\{\{|\}\}|\{%|%\}")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]>|])")


class GuideError(Exception):
    """A page of the guide cannot be generated."""


def page_uri(call_id: str, page: str) -> str:
    """The source uri of a guide page (`bandi/<id>/index.md` for the overview)."""
    if page not in GUIDE_PAGES:
        raise GuideError(f"pagina della guida «{page}» sconosciuta; pagine: {', '.join(GUIDE_PAGES)}")
    return f"bandi/{call_id}/index.md" if page == "panoramica" else f"bandi/{call_id}/{page}.md"


def schema_uri(call_id: str) -> str:
    return f"{SCHEMA_DIR}/{call_id}.schema.json"


def md(text: object) -> str:
    """Text as literal Markdown: no emphasis, links or HTML from a passage of a call."""
    return _MD_SPECIAL.sub(r"\\\1", str(text).replace("&", "&amp;").replace("<", "&lt;"))


def eur(value: Decimal) -> str:
    return money.eur(value)


def amount(value: Decimal) -> str:
    """An amount for a table cell: never broken across lines."""
    return f'<span class="amount">{money.eur(value)}</span>'


def eur_short(value: Decimal) -> str:
    return money.eur(value, always_cents=False)


def when(moment: datetime, time: bool = True) -> str:
    return timezone.italian(moment, time=time)


@jinja2.pass_context
def quote(context: Any, ref: str) -> str:
    """A collapsible block holding the passage `ref` of the call, verbatim, under the heading of the call's
    text it stands in (none for a text without headings). Only a passage the rules record can be quoted:
    a template never presents words of its own as the call's."""
    rules: Rules = context["rules"]
    if ref not in rules.passages:
        raise GuideError(f"{context.get('uri')}: «{ref[:80]}» non è un passo registrato nelle regole")
    passage = rules.passage(ref)
    header = (f"Testo {rules.words.of_kind}" + (f": «{passage.section}»" if passage.section else "")).replace('"', "”")
    return f'\n??? quote "{header}"\n\n    {md(passage.text)}\n'


def ucfirst(text: str) -> str:
    """The first letter in upper case, the rest untouched (unlike Jinja's `capitalize`)."""
    return text[:1].upper() + text[1:]


def lcfirst(text: str) -> str:
    """The first letter in lower case, the rest untouched (acronyms such as PMI stay as they are)."""
    return text[:1].lower() + text[1:]


def yes_no(value: bool | None) -> str:
    return "non indicato" if value is None else "sì" if value else "no"


@dataclass(frozen=True)
class Status:
    """The state of a call's window at build time, with the texts the browser script swaps in."""

    state: str
    opens_iso: str | None
    closes_iso: str
    labels: dict[str, str]
    details: dict[str, str]
    built: str


def status(rules: Rules, now: datetime) -> Status:
    opens, closes = rules.window.opens_at(), rules.window.closes_at()
    details = {
        "open": f"Le domande si possono presentare fino al {when(closes)}.",
        "closed": f"Il termine per presentare le domande è scaduto il {when(closes)}.",
        "not_yet_open": f"Le domande si potranno presentare dal {when(opens)}." if opens else "",
    }
    return Status(
        state=checks.window_status(rules, now),
        opens_iso=opens.isoformat() if opens else None,
        closes_iso=closes.isoformat(),
        labels=STATUS_LABELS,
        details=details,
        built=when(now.astimezone(timezone.zone(rules.window.timezone)), time=False),
    )


def status_html(status: Status, name: str | None = None) -> str:
    """The call's status as the pages show it: the state at build time, with the texts of every state
    for docs/assets/javascripts/call-status.js, which sets the state at viewing time."""
    attributes = f' data-opens="{status.opens_iso}"' if status.opens_iso else ""
    attributes += f' data-closes="{status.closes_iso}"'
    for state, label in status.labels.items():
        key = state.replace("_", "-")
        attributes += (f' data-label-{key}="{html.escape(label)}"'
                       f' data-detail-{key}="{html.escape(status.details[state])}"')
    named = f'<span class="call-status__name">{html.escape(name)}</span> ' if name else ""
    return (f'<p class="call-status" data-call-status data-state="{status.state}"{attributes}>{named}'
            f'<strong class="call-status__label">{status.labels[status.state]}</strong> '
            f'<span class="call-status__detail">{status.details[status.state]} <span class="call-status__when">'
            f'(stato alla data di pubblicazione di questa guida, {status.built})</span></span></p>')


def checks_for(rules: Rules, page: str) -> list[Check]:
    return [c for c in rules.checks if c.guide == page]


def guide_page_of(rules: Rules, target: str) -> str:
    """The guide page explaining a check, an expense or the grant (a reading's `applies_to`)."""
    for check in rules.checks:
        if check.id == target:
            return check.guide
    return "spese" if any(e.id == target for e in rules.expenses) else "contributo"


def target_label(rules: Rules, target: str) -> str:
    for check in rules.checks:
        if check.id == target:
            return checks.title(rules, check)
    for expense in rules.expenses:
        if expense.id == target:
            return f"Voce di spesa {expense.display}"
    return "Il contributo"


@dataclass(frozen=True)
class CapRow:
    members: int
    cap: Decimal


CAP_ROWS = 4  # how many rows the table of the growing cap shows


def cap_rows(rules: Rules) -> list[CapRow]:
    """The grant cap for the minimum number of counted members and a few more."""
    p = rules.grant.parameters
    if getattr(p, "cap_increase", None) is None or p.cap_increase_class is None:
        return []
    minimum = rules.classes[p.cap_increase_class].min
    return [CapRow(minimum + extra, p.cap + p.cap_increase * extra) for extra in range(CAP_ROWS)]


def readings_on(rules: Rules, *targets: str) -> list[Reading]:
    """The readings that apply to any of `targets` (check, expense ids or `grant`)."""
    return [r for r in rules.readings if set(r.applies_to) & set(targets)]


def source_of(rules: Rules, target: str) -> str | None:
    """The passage (its id) of the call behind a check, an expense or the grant."""
    for check in rules.checks:
        if check.id == target:
            return check.passage or rules.window.passage
    for expense in rules.expenses:
        if expense.id == target:
            return expense.passage
    return rules.grant.passage if target == "grant" else None


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(ucfirst=ucfirst, lcfirst=lcfirst, md=md, eur=eur, amount=amount, eur_short=eur_short,
                       pct=money.percent, when=when, yes_no=yes_no)
    env.globals.update(quote=quote, status_html=status_html, page_titles=PAGE_TITLES, size_labels=SIZE_LABELS,
                       checks_for=checks_for, guide_page_of=guide_page_of, target_label=target_label,
                       readings_on=readings_on, source_of=source_of, share_limit_example=share_limit_example,
                       check_title=checks.title, requirements=members.requirements)
    return env


def _checked(uri: str, text: str) -> str:
    leftover = LEFTOVER.search(text)
    if leftover:
        raise GuideError(f"{uri}: segnaposto non risolto «{leftover.group(0)}» nel testo generato")
    return text


def relative_link(from_uri: str, to_uri: str) -> str:
    """A relative Markdown link between two source uris."""
    base = from_uri.split("/")[:-1]
    target = to_uri.split("/")
    common = 0
    while common < min(len(base), len(target) - 1) and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:])


def render_pages(all_rules: Iterable[Rules], now: datetime | None = None,
                 site_url: str = "/") -> dict[str, str]:
    """Every generated Markdown page, by source uri (`site_url`: the site's public address, for the
    absolute links a partner copies)."""
    env = environment()
    calls = list(all_rules)
    moment = now or datetime.now(UTC)
    statuses = {r.id: status(r, moment) for r in calls}
    pages: dict[str, str] = {}

    def render(uri: str, template: str, **context: Any) -> None:
        def link(to_uri: str) -> str:
            return relative_link(uri, to_uri)

        try:
            text = env.get_template(template).render(
                uri=uri, link=link, page_uri=page_uri, schema_uri=schema_uri, calls=calls, statuses=statuses,
                site_url=site_url, **context)
        except (jinja2.TemplateError, KeyError) as err:
            raise GuideError(f"{uri} (modello {template}): {type(err).__name__}: {err}") from err
        pages[uri] = _checked(uri, text)

    for rules in calls:
        context = {"rules": rules, "status": statuses[rules.id]}
        for page in GUIDE_PAGES:
            extra = {"examples": worked_examples(rules), "cap_rows": cap_rows(rules)} if page == "contributo" else {}
            render(page_uri(rules.id, page), f"{page}.md.j2", page=page, **context, **extra)
    # The partner page's examples: the shortest worked example of the rules, and a link for the last call.
    examples = [(r, i) for r in calls for i in range(len(r.examples))]
    shortest = min(examples, key=lambda e: len(json.dumps(e[0].examples[e[1]].answers, default=str)), default=None)
    last = calls[-1]
    flags = [q.id for q in last.questions if q.type == "boolean"][:1]
    link_answers: dict[str, Any] = {"areas": [last.areas[0].id]} | {q: True for q in flags}
    site = {
        "link_example": {"call": last.id, "json": json.dumps(link_answers, ensure_ascii=False),
                         "python": repr(link_answers)},
        "example_call": shortest[0].id if shortest else last.id,
        "example_json": json.dumps(shortest[0].examples[shortest[1]].answers if shortest else {},
                                   ensure_ascii=False, indent=2, default=str),
        "example_amount": money.plain(worked_examples(shortest[0])[shortest[1]].amount) if shortest else "0.00",
        # The link builder: each call's examples as links that open them in time (as the guide's do).
        "builder_calls": [{"rules": r, "in_time": in_time(r),
                           "examples": [(e.title, e.deep_link) for e in worked_examples(r)]} for r in calls],
        "builder_sizes": [(size, SIZE_LABELS[size]) for size in SIZES],
        "checker_dirs": {"checker": CHECKER_DIR, "embed": EMBED_DIR},
        "max_members": limits.MAX_MEMBERS,
        "limits": {"max_amount": money.eur(limits.MAX_AMOUNT), "max_amount_plain": format(limits.MAX_AMOUNT, "f"),
                   "max_integer": limits.MAX_INTEGER, "max_members": f"{limits.MAX_MEMBERS:,}".replace(",", "."),
                   "min_year": limits.MIN_YEAR, "max_year": limits.MAX_YEAR, "quote_chars": limits.QUOTE_CHARS,
                   "max_answers_mb": format(limits.MAX_ANSWERS_BYTES / 1_000_000, "g").replace(".", ",")},
    }
    for uri, template in SITE_PAGES.items():
        render(uri, template, **site)
    return pages


def render_schemas(all_rules: Iterable[Rules]) -> dict[str, str]:
    """The published JSON Schemas of the answers format v1, by uri."""
    return {schema_uri(r.id): json.dumps(answers_schema(r), ensure_ascii=False, indent=2) + "\n" for r in all_rules}


def unresolved(text: str) -> list[str]:
    """Rules placeholders still present in a text (used by tests)."""
    return PLACEHOLDER.findall(text)
