"""Nothing but the checker crosses the link before the first verdict: on a checker page Material's search
worker and index are requested only once the visitor turns to the search (docs/assets/checker/lazy-search.js),
and the search then works as on every other page."""

from __future__ import annotations

from typing import Any

import pytest
from checkerlib import deep_link, wait_result
from sitekit import CONTEXT_ARGS

from checker import get

pytestmark = pytest.mark.browser
INDEX = "/search/search_index.json"
SEARCH_WORKER = "/assets/javascripts/workers/search."  # Material's search worker (its name carries a hash)
WORD = "contributo"  # in every call's guide


def _search(page: Any) -> None:
    """Focus the search field, type WORD, wait for results."""
    field = page.locator("[data-md-component=search-query]")
    field.focus()
    field.press_sequentially(WORD)
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    assert WORD in page.locator(".md-search-result__list").inner_text().lower()


def _requests(context: Any) -> list[str]:
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    return seen


@pytest.mark.parametrize("call_id", ["produzione-sostenibile-2024", "filiere-2022"])
def test_a_checker_page_asks_for_the_search_index_only_when_the_search_is_used(browser: Any, server: Any,
                                                                               call_id: str) -> None:
    # No service worker: its background «warm» step, once the verdict is in, would fetch the index for the
    # offline copy (after the verdict, as it should), and blur what this page asks for.
    context = browser.new_context(service_workers="block", **CONTEXT_ARGS)
    try:
        seen = _requests(context)
        page = context.new_page()
        page.goto(deep_link(server, call_id, get(call_id).examples[0].answers))
        wait_result(page)
        page.wait_for_load_state("networkidle")
        assert not [url for url in seen if url.endswith(INDEX)], "the search index came before the search"
        assert not [url for url in seen if SEARCH_WORKER in url], "the search worker came before the search"
        _search(page)
        assert len([url for url in seen if url.endswith(INDEX)]) == 1
        assert len([url for url in seen if SEARCH_WORKER in url]) == 1
    finally:
        context.close()


def test_a_tap_on_the_magnifier_of_a_phone_starts_the_search(browser: Any, server: Any) -> None:
    context = browser.new_context(service_workers="block", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, **CONTEXT_ARGS)
    try:
        seen = _requests(context)
        page = context.new_page()
        page.goto(server.url("/verifica/filiere-2022/"))
        wait_result(page)
        page.locator("label.md-header__button[for=__search]").tap()
        page.locator("[data-md-component=search-query]").press_sequentially(WORD)
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
        assert len([url for url in seen if url.endswith(INDEX)]) == 1
    finally:
        context.close()


def test_a_guide_page_loads_the_index_as_material_does(browser: Any, server: Any) -> None:
    context = browser.new_context(service_workers="block", **CONTEXT_ARGS)
    try:
        seen = _requests(context)
        page = context.new_page()
        page.goto(server.url("/glossario/"))
        page.wait_for_load_state("networkidle")
        assert [url for url in seen if url.endswith(INDEX)], "Material's own loading has changed"
        assert [url for url in seen if SEARCH_WORKER in url], "Material's own loading has changed"
        _search(page)
    finally:
        context.close()
