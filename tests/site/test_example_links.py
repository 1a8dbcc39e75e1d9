"""A worked example of the guide opens in the browser checker, prefilled, with the same grant amount."""

from __future__ import annotations

from typing import Any

import pytest

from build_scripts.guide.examples import worked_examples
from checker import catalogue, money

pytestmark = pytest.mark.browser

CALL = "produzione-sostenibile-2024"


def test_the_first_worked_example_gives_the_same_amount_in_the_checker(page: Any, server: Any) -> None:
    amount = worked_examples(catalogue.get(CALL))[0].amount
    expected = money.plain(amount)
    page.goto(server.url(f"/bandi/{CALL}/contributo/"))
    link = page.get_by_role("link", name="Apri questo esempio nella verifica").first
    assert "#answers=" in (link.get_attribute("href") or "")
    assert money.eur(amount) in page.locator("article").inner_text()
    link.click()
    page.wait_for_url(f"**/verifica/{CALL}/#answers=*")
    result = page.locator("#checker-result")
    page.wait_for_function("() => document.querySelector('#checker-result')?.dataset.grantAmount", timeout=90_000)
    assert result.get_attribute("data-state") == "ready"
    assert result.get_attribute("data-grant-amount") == expected
