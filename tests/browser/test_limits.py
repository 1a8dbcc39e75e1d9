"""Bounded input, linear work: the page opens up to MAX_MEMBERS members at once (one pass), and refuses
more, or a file or link above MAX_ANSWERS_BYTES, with one Italian message, before any work is done."""

from __future__ import annotations

import json
from typing import Any

import pytest
from checkerlib import LOAD_TIMEOUT_MS, deep_link, wait_result

from checker.limits import MAX_ANSWERS_BYTES, MAX_MEMBERS

pytestmark = pytest.mark.browser
CALL = "produzione-sostenibile-2024"


def members(count: int) -> list[dict[str, Any]]:
    return [{"name": f"Impresa {i + 1}", "size": "small", "lombardy_site": True, "financial_statements": 2,
             "signed_agreement": True} for i in range(count)]


def test_the_largest_aggregation_opens_at_once(page: Any, server: Any) -> None:
    # The 1,000 rows are built before the page's load event: wait for them, not for a navigation timeout.
    page.goto(deep_link(server, CALL, {"members": members(MAX_MEMBERS)}), wait_until="commit")
    wait_result(page)
    assert page.locator("#members-list > li").count() == MAX_MEMBERS
    # Laid out as blocks (checker.css), they are still a list's items to assistive technologies.
    assert page.locator("#members-list > li").last.aria_snapshot().startswith("- listitem:")
    assert page.locator("#members-list > li").last.locator("legend").inner_text() == f"Membro {MAX_MEMBERS}"
    assert page.locator("#checker-errors").is_hidden()
    page.click("#member-add")  # one more is refused, and said
    assert page.locator("#members-list > li").count() == MAX_MEMBERS
    assert "il massimo" in page.inner_text("#members-announce")


def test_one_member_too_many_is_refused_without_building_rows(page: Any, server: Any) -> None:
    page.goto(deep_link(server, CALL, {"members": members(MAX_MEMBERS + 1)}))
    page.locator("#checker-errors").wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    assert f"al massimo {MAX_MEMBERS} membri" in page.inner_text("#checker-errors")
    assert page.locator("#members-list > li").count() == 0


def test_a_link_too_large_is_refused_before_decoding(page: Any, server: Any) -> None:
    answers = {"members": [{"name": "x" * (MAX_ANSWERS_BYTES + 10)}]}
    page.goto(deep_link(server, CALL, answers))
    page.locator("#checker-errors").wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    text = page.inner_text("#checker-errors")
    assert "Il link non è valido" in text and "troppo grandi" in text and "al massimo 1,0 MB" in text
    assert "#" not in page.url


def test_a_file_too_large_is_refused_before_reading(page: Any, server: Any) -> None:
    page.goto(server.url(f"/verifica/{CALL}/"))
    wait_result(page)
    big = json.dumps({"members": members(1)}).encode() + b" " * MAX_ANSWERS_BYTES
    page.set_input_files("#tool-upload", files=[{"name": "grande.json", "mimeType": "application/json",
                                                 "buffer": big}])
    page.locator("#checker-errors").wait_for(state="visible")
    text = page.inner_text("#checker-errors")
    assert "grande.json" in text and "troppo grande" in text
    assert page.locator("#members-list > li").count() == 0
