"""«Cosa fare ora», after the result, by the call's status at viewing time (the page's clock injected):

- closed (a clock in 2026): for every verdict it says that the call is closed and who manages it, and it
  links only to the addresses the call's text gives (the URLs its rules hold);
- open (a clock inside each call's window): where, by whom, by when and what to prepare, and a button that
  saves the deadline to the calendar: an iCalendar file (RFC 5545) made in the browser and downloaded as a
  Blob, whose event starts at the closing instant (in UTC: summer time for one call, winter time for the
  other) and carries the rules' words.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from caselib import load_cases
from checkerlib import CALLS, LOAD_TIMEOUT_MS, deep_link, wait_result
from sitekit import axe_violations, describe

from checker import get

pytestmark = pytest.mark.browser
CLOSED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # both calls closed
OPEN = {  # a moment inside each call's window
    "produzione-sostenibile-2024": datetime(2025, 1, 15, 10, 0, tzinfo=UTC),
    "filiere-2022": datetime(2022, 12, 1, 9, 0, tzinfo=UTC),
}


def official_urls(call_id: str) -> set[str]:
    """The addresses the call's text gives, as its rules hold them."""
    rules = get(call_id)
    urls = {rules.application.platform_url, rules.application.forms_url, rules.grant.measure_url}
    return {u for u in urls if u}


def eligible_in_time(call_id: str) -> dict[str, Any]:
    """The answers of an eligible case (with its submission date, inside the window)."""
    case = next(c for c in load_cases(call_id) if c.expect["verdict"] == "eligible" and "submitted_at" in c.answers)
    answers: dict[str, Any] = json.loads(case.answers_json)
    return answers


def visible_links(page: Any, selector: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        f"{selector} a", "links => links.filter(a => a.checkVisibility()).map(a => a.getAttribute('href'))")
    return hrefs


@pytest.mark.parametrize("call_id", CALLS)
def test_a_closed_call_says_so_and_links_only_its_official_pages(page: Any, server: Any, call_id: str) -> None:
    rules = get(call_id)
    page.clock.set_fixed_time(CLOSED)
    # Every verdict: nothing answered (the window fails: not eligible), and eligible answers simulated in time.
    for url, verdict in ((server.url(f"/verifica/{call_id}/"), "not_eligible"),
                         (deep_link(server, call_id, eligible_in_time(call_id)), "eligible")):
        page.goto(url)
        assert wait_result(page, verdict)["verdict"] == verdict
        todo = page.locator("#checker-todo")
        assert todo.is_visible()
        assert todo.locator("h3").inner_text() == "Cosa fare ora"
        closed = todo.locator('[data-todo="closed"]')
        assert closed.is_visible() and todo.locator('[data-todo="open"]').is_hidden()
        text = closed.inner_text()
        assert re.search(r"\bè chius[oa]\b", text), text
        assert "scaduto" in text and rules.figure("window.closes") in text
        assert rules.managing_body in text
        links = visible_links(page, "#checker-todo")
        assert links and set(links) == official_urls(call_id), links
        assert page.locator("#checker-calendar").is_hidden()
        assert not (violations := axe_violations(page)), describe(violations)


def _unfold(text: str) -> list[str]:
    """The content lines of an iCalendar text (RFC 5545 3.1: CRLF, a continuation starts with a space)."""
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "le righe devono finire con CRLF"
    physical = text.split("\r\n")
    assert physical[-1] == ""
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _properties(lines: list[str], component: str) -> dict[str, str]:
    """The properties of the first `component` (its own, not those of the components inside it)."""
    start = lines.index(f"BEGIN:{component}")
    props: dict[str, str] = {}
    depth = 0
    for line in lines[start + 1:]:
        if line == f"END:{component}" and depth == 0:
            return props
        if line.startswith("BEGIN:"):
            depth += 1
        elif line.startswith("END:"):
            depth -= 1
        elif depth == 0:
            name, _, value = line.partition(":")
            props[name] = value
    raise AssertionError(f"END:{component} mancante")


@pytest.mark.parametrize("call_id", CALLS)
def test_an_open_call_saves_its_deadline_to_the_calendar(page: Any, server: Any, call_id: str,
                                                          tmp_path: Path) -> None:
    rules = get(call_id)
    page.clock.set_fixed_time(OPEN[call_id])
    page.goto(server.url(f"/verifica/{call_id}/"))
    assert wait_result(page, "incomplete")["verdict"] == "incomplete"  # nothing answered yet, in time
    todo = page.locator("#checker-todo")
    opened = todo.locator('[data-todo="open"]')
    assert opened.is_visible() and todo.locator('[data-todo="closed"]').is_hidden()
    text = opened.inner_text()
    assert "Le domande si possono presentare fino al" in text
    assert todo.locator('[data-todo-verdict="incomplete"]').is_visible()
    assert rules.application.submitter in text and rules.figure("window.closes") in text
    for item in rules.application.prepare:
        assert rules.render(item) in text
    button = page.locator("#checker-calendar")
    assert button.is_visible() and button.inner_text() == "Salva la scadenza nel calendario"
    assert not (violations := axe_violations(page)), describe(violations)

    # The button is in the result, which moves with the page as it scrolls (sticky-result.js): a pointer
    # click aimed before the page's scroll handler has placed the result can land beside the button on a
    # busy machine (no download in 120 s, CI under load). Activated as a keyboard user does: focused (so
    # scrolled into view), then Enter, which reaches the button wherever it ends up.
    with page.expect_download(timeout=LOAD_TIMEOUT_MS) as info:
        button.focus()
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == f"scadenza-{call_id}.ics"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    lines = _unfold(saved.read_bytes().decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar = _properties(lines, "VCALENDAR")
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    event = _properties(lines, "VEVENT")
    closes = rules.window.closes_at().astimezone(UTC)
    assert event["DTSTART"] == closes.strftime("%Y%m%dT%H%M%SZ")  # the deadline instant, in UTC
    assert "DTEND" not in event and "DURATION" not in event  # RFC 5545: it ends as it starts
    assert event["DTSTAMP"] == OPEN[call_id].strftime("%Y%m%dT%H%M%SZ")  # the page's clock
    assert event["UID"]
    summary = _unescape(event["SUMMARY"])
    assert summary == f"Scadenza {rules.words.of_kind} «{rules.short_title}»"
    description = _unescape(event["DESCRIPTION"])
    assert rules.title in description and rules.passage(rules.window.passage).text in description
    assert rules.application.platform_url in description and rules.application.submitter in description
    assert event["URL"] == rules.application.platform_url
    assert _unescape(event["LOCATION"]) == rules.application.platform
    alarm = _properties(lines, "VALARM")
    assert alarm["TRIGGER"] == "-P1D" and alarm["ACTION"] == "DISPLAY"
    assert download.suggested_filename in page.inner_text("#checker-calendar-feedback")


def test_an_eligible_answer_in_an_open_call_leads_with_no_caveat(page: Any, server: Any) -> None:
    call_id = "produzione-sostenibile-2024"
    page.clock.set_fixed_time(OPEN[call_id])
    answers = eligible_in_time(call_id)
    del answers["submitted_at"]  # judged at the page's moment, inside the window
    page.goto(deep_link(server, call_id, answers))
    assert wait_result(page, "eligible")["verdict"] == "eligible"
    assert page.locator('#checker-todo [data-todo="open"]').is_visible()
    assert page.locator("#checker-todo [data-todo-verdict]:visible").count() == 0
    assert page.locator("#checker-calendar").is_visible()
