"""The guide works with the keyboard alone: skip link first, every verbatim passage opens with Enter."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

MAX_TABS = 400


def _tab_to(page: Any, selector: str) -> None:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement && document.activeElement.matches(sel)", selector):
            return
    pytest.fail(f"{selector} non raggiungibile con il tasto Tab")


def test_skip_link_comes_first_and_moves_to_the_content(page: Any, server: Any) -> None:
    page.goto(server.url("/bandi/produzione-sostenibile-2024/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") != ""


def test_a_verbatim_passage_opens_with_the_keyboard(page: Any, server: Any) -> None:
    page.goto(server.url("/bandi/produzione-sostenibile-2024/spese/"))
    _tab_to(page, "details.quote > summary")
    details = page.locator("details.quote").first
    assert details.get_attribute("open") is None
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    assert details.locator("p").first.is_visible()


def test_the_checker_and_the_guide_are_reached_from_home_by_keyboard(page: Any, server: Any) -> None:
    page.goto(server.url("/"))
    _tab_to(page, "a.md-button--primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bandi/**")
    page.goto(server.url("/"))
    _tab_to(page, "a.md-button:not(.md-button--primary)")
    page.keyboard.press("Enter")
    page.wait_for_url("**/verifica/**")


def test_the_italian_search_works_from_the_keyboard(page: Any, server: Any) -> None:
    page.goto(server.url("/"))
    page.keyboard.press("/")  # Material's shortcut to the search field
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("massimale")
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    hrefs = results.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("/contributo/" in href for href in hrefs), hrefs
