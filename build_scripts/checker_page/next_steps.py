"""What the checker page's «Cosa fare ora» shows (docs/assets/checker/next-steps.js picks the part for the
call's status at viewing time), every word from the rules.

- open (or not yet open): where, by whom and by when (`application`, `window`), what to prepare
  (`application.prepare`) and the deadline as a calendar event: its text from the rules, the closing
  instant with its offset (the browser writes it in UTC);
- closed: that it is closed, the addresses the call's text gives (only the URLs the rules hold from the
  text: `application.platform_url`, `application.forms_url`, `grant.measure_url`) and who manages it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from build_scripts.guide import render
from checker.model import Rules


def calendar_event(rules: Rules) -> dict[str, str]:
    """The deadline as a calendar event (the `data-ics-*` of the page's button)."""
    a = rules.application
    closes = rules.window.closes_at()
    open_text = render.status(rules, datetime.now(UTC)).details["open"]
    description = [
        f"{rules.title}.",
        f"{open_text[:-1]} (ora italiana).",
        f"Dove: solo in modalità {a.channel} (via internet), su {a.platform} ({a.platform_url}).",
        f"Chi la presenta: {a.submitter}.",
        f"Testo {rules.words.of_kind}: «{rules.passage(rules.window.passage).text}»",
    ]
    return {
        "uid": f"scadenza-{rules.id}@bandi-lombardia",
        "summary": f"Scadenza {rules.words.of_kind} «{rules.short_title}»",
        "description": "\n".join(description),
        "location": a.platform,
        "url": a.platform_url,
        "closes": closes.isoformat(),
        "filename": f"scadenza-{rules.id}.ics",
        "done": f"Scadenza scaricata nel file scadenza-{rules.id}.ics: aprilo per aggiungerla al calendario.",
    }


def official_pages(rules: Rules) -> list[dict[str, str]]:
    """The addresses the call's text gives, as the rules hold them, each with what it is."""
    a, g = rules.application, rules.grant
    pages = [{"url": a.platform_url, "label": a.platform, "after": ", dove si presentavano le domande"}]
    if a.forms_url:
        pages.append({"url": a.forms_url, "label": a.forms_label or a.forms_url, "after": ""})
    if g.measure_url and g.measure:
        pages.append({"url": g.measure_url, "label": f"la pagina del {g.measure}",
                      "after": ", l’unica misura già attivata che il testo nomina"})
    return pages


def context(rules: Rules, faq_url: str) -> dict[str, Any]:
    return {
        "noun": rules.words.application,
        "calendar": calendar_event(rules),
        "official_pages": official_pages(rules),
        "faq_url": faq_url,
        "closed_title": rules.words.closed,
        "managed_by": f"{rules.words.managed_by} {rules.managing_body}.",
    }
