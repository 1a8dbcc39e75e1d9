"""The answers stay private: never in the page's address (so never in the browser's history or its
session files), kept by the tab only (a reload finds them, closing the tab forgets them), gone at once
with «Cancella le risposte». A deep link still opens filled, then leaves the address clean."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from checkerlib import CALLS, deep_link, stored_answers, tab_to, wait_result, wait_stored
from sitekit import CHROMIUM, CHROMIUM_ARGS, CONTEXT_ARGS

from checker import get

pytestmark = pytest.mark.browser
SECRET = "Officina Riservatissima"
AMOUNT = "4.321.987,65"


def _edit(page: Any) -> None:
    """A session of edits as a person makes them: a member, an amount, an area."""
    page.click("#member-add")
    page.locator("#members-list input[data-field=name]").last.fill(SECRET)
    page.fill("#f-exp-sme", AMOUNT)
    page.press("#f-exp-sme", "Tab")
    page.check("#f-area-credit")
    wait_stored(page, f"a.members && a.members.some(m => m.name === '{SECRET}') && a.expenses && a.areas")


def test_the_answers_never_enter_the_history_or_the_session_files(browser_type: Any, server: Any,
                                                                 tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    context = browser_type.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                     **CONTEXT_ARGS)
    try:
        page = context.new_page()
        page.goto(server.url("/verifica/filiere-2022/"))
        wait_result(page)
        _edit(page)
        assert "#" not in page.url
        page.reload()
        assert page.locator("#members-list input[data-field=name]").input_value() == SECRET  # the tab keeps them
        page.fill("#f-exp-large", "1.000")
        page.press("#f-exp-large", "Tab")
        wait_stored(page, "a.expenses && a.expenses.large === '1000'")
        page.goto(server.url("/"))  # and on to another page of the site
        page.go_back()
        wait_result(page)
    finally:
        context.close()
    history = sqlite3.connect(profile / "Default" / "History")
    try:
        urls = [row[0] for row in history.execute("SELECT url FROM urls")]
        titles = [row[0] for row in history.execute("SELECT title FROM urls")]
    finally:
        history.close()
    assert any("/verifica/filiere-2022/" in url for url in urls), urls  # the visits are recorded ...
    assert not [url for url in urls if "#" in url or "answers" in url], urls  # ... without the answers
    assert not [t for t in titles if SECRET in (t or "")]
    needles = (SECRET.encode(), SECRET.encode("utf-16-le"), b"answers=", b"4321987.65")
    sessions = [p for p in (profile / "Default").rglob("*") if p.is_file() and "Session" in str(p.relative_to(profile))
                and "Session Storage" not in str(p)]
    leaked = [(p.name, n) for p in sessions for n in needles if n in p.read_bytes()]
    assert not leaked, f"the session-restore files keep answers: {leaked}"


@pytest.mark.parametrize("call_id", CALLS)
def test_a_deep_link_opens_filled_then_leaves_the_address_clean(page: Any, server: Any, call_id: str) -> None:
    answers = get(call_id).examples[0].answers
    page.goto(deep_link(server, call_id, answers))
    first = wait_result(page)
    assert "#" not in page.url
    assert stored_answers(page) == answers
    page.reload()
    again = wait_result(page)
    assert (again["verdict"], again.get("grantAmount")) == (first["verdict"], first.get("grantAmount"))
    assert page.locator("#members-list > li").count() == len(answers.get("members", []))


def test_clearing_the_answers_empties_the_form_and_the_tab(page: Any, server: Any) -> None:
    page.goto(server.url("/verifica/filiere-2022/"))
    wait_result(page)
    _edit(page)
    tab_to(page, "#tool-clear")
    page.keyboard.press("Enter")
    page.locator("#tool-feedback").filter(has_text="Risposte cancellate").wait_for()
    assert stored_answers(page) == {}
    assert page.locator("#members-list > li").count() == 0
    assert page.input_value("#f-exp-sme") == "" and not page.is_checked("#f-area-credit")
    page.reload()
    wait_result(page)
    assert page.locator("#members-list > li").count() == 0
