"""«Quale iniziativa fa per voi?»: the answers asked once, screened against every call in the browser by
the same Python as `python -m checker screen`, side by side with each call's status; the link into a
call's checker carries what that call reads of the answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from checkerlib import LOAD_TIMEOUT_MS, active, answers_in_url, stored_answers, tab_to, wait_result
from sitekit import axe_violations, describe

from checker import get
from checker.screen import project, screen

pytestmark = pytest.mark.browser
CALLS = ("produzione-sostenibile-2024", "filiere-2022")


def _results(page: Any) -> dict[str, str]:
    return page.evaluate("() => Object.fromEntries([...document.querySelectorAll('tr[data-call]')]"
                         ".map((r) => [r.dataset.call, r.dataset.verdict]))")


def test_one_profile_every_call_side_by_side(page: Any, server: Any) -> None:
    page.goto(server.url("/scegli/"))
    page.wait_for_selector('#screen-result[data-state="ready"]', timeout=LOAD_TIMEOUT_MS)
    # From the keyboard: five members, every attribute.
    for i in range(5):
        tab_to(page, "#screen-member-add")
        page.keyboard.press("Enter")
        assert active(page)["field"] == "name"
        page.keyboard.type(f"Impresa {i + 1}")
        row = page.locator("#screen-members > li").nth(i)
        row.locator("[data-field=size]").select_option("small")
        row.locator("[data-field=lombardy_site]").select_option("true")
        row.locator("[data-field=financial_statements]").fill("2")
        row.locator("[data-field=signed_agreement]").select_option("true")
    page.check("#s-area-green-standards")
    page.check("#s-area-credit")
    page.select_option("#s-intervention_in_lombardy", "true")
    page.select_option("#s-technical_report", "true")
    page.fill("#s-duration_months", "12")
    page.fill("#s-exp-equipment", "100.000")
    page.press("#s-exp-equipment", "Tab")
    page.wait_for_function("() => document.querySelector('tr[data-call=\"produzione-sostenibile-2024\"]')"
                           ".dataset.verdict === 'eligible'", timeout=LOAD_TIMEOUT_MS)
    # The same Python, in CPython, on the profile the page holds, each call in time as the page's box says.
    profile = page.evaluate("() => JSON.parse(sessionStorage.getItem('bandi-lombardia:answers:_screening'))")
    for call_id in CALLS:
        in_time = get(call_id).window.closes.isoformat(timespec="minutes")
        expected = next(r for r in screen({"submitted_at": in_time, **profile})["results"] if r["call"] == call_id)
        assert _results(page)[call_id] == expected["verdict"], call_id
    assert page.locator("tr[data-call] .call-status__label").all_inner_texts() == ["Chiuso", "Chiuso"]
    assert not (violations := axe_violations(page)), describe(violations)
    # Into the call's checker with what that call reads.
    link = page.get_attribute('tr[data-call="filiere-2022"] [data-role="continue"]', "href")
    carried = answers_in_url(link)
    in_time = get("filiere-2022").window.closes.isoformat(timespec="minutes")
    assert carried == json.loads(json.dumps(project(get("filiere-2022"), {"submitted_at": in_time, **profile})))
    assert "technical_report" not in carried and all("signed_agreement" not in m for m in carried["members"])
    other = page.context.new_page()
    other.goto(link)
    wait_result(other)
    assert stored_answers(other) == carried
    other.close()


def test_a_key_of_no_call_cannot_be_typed_but_a_bad_value_is_named(page: Any, server: Any) -> None:
    page.goto(server.url("/scegli/"))
    page.wait_for_selector('#screen-result[data-state="ready"]', timeout=LOAD_TIMEOUT_MS)
    page.click("#screen-member-add")
    page.locator("#screen-members [data-field=financial_statements]").fill("5000")
    page.locator("#screen-members [data-field=financial_statements]").press("Tab")
    page.locator("#screen-error").wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    assert "members[0].financial_statements" in page.inner_text("#screen-error")
