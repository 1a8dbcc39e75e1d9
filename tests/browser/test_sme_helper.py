"""The SME class helper beside a member's size, with the keyboard alone: figures in (Italian format),
the class out (computed by checker/sme.py in the worker, as in CPython), and «Usa …» sets the size."""

from __future__ import annotations

import json
from typing import Any

import pytest
from checkerlib import active, tab_to, wait_result
from sitekit import axe_violations, describe

from checker.bridge import classify_json

pytestmark = pytest.mark.browser


def test_the_helper_classifies_and_sets_the_size_from_the_keyboard(page: Any, server: Any) -> None:
    page.goto(server.url("/verifica/produzione-sostenibile-2024/"))
    wait_result(page)
    tab_to(page, "#member-add")
    page.keyboard.press("Enter")
    tab_to(page, "#members-list .checker-sme > summary")
    page.keyboard.press("Enter")
    for key, text in (("headcount", "49,5"), ("turnover", "12.000.000"), ("balance_sheet", "9.500.000,00")):
        tab_to(page, f"#members-list [data-sme={key}]")
        page.keyboard.type(text)
    tab_to(page, '#members-list [data-role="sme-classify"]')
    page.keyboard.press("Enter")
    result = page.locator('#members-list [data-role="sme-result"]')
    result.filter(has_text="piccola impresa").wait_for()
    expected = json.loads(classify_json('{"headcount": "49.5", "turnover": "12000000", '
                                        '"balance_sheet": "9500000.00"}'))["result"]
    assert expected["size"] == "small"  # 49.5 < 50, and the balance sheet is within 10M
    assert expected["summary"] in result.inner_text()
    tab_to(page, '#members-list [data-role="sme-use"]')
    page.keyboard.press("Enter")
    assert active(page)["field"] == "size" and active(page)["value"] == "small"
    assert not (violations := axe_violations(page)), describe(violations)


def test_bad_figures_are_named(page: Any, server: Any) -> None:
    page.goto(server.url("/verifica/produzione-sostenibile-2024/"))
    wait_result(page)
    page.click("#member-add")
    page.locator("#members-list .checker-sme > summary").click()
    page.fill("#members-list [data-sme=headcount]", "-3")
    page.click('#members-list [data-role="sme-classify"]')
    result = page.locator('#members-list [data-role="sme-result"]')
    result.filter(has_text="Effettivi").wait_for()
    assert "negativ" in result.inner_text()
    assert page.locator('#members-list [data-role="sme-use"]').is_hidden()
