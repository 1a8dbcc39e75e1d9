"""Helpers of the browser checker tests: keyboard navigation, deep links.

The `page` and `server` fixtures come from tests/conftest.py (the real built site, its `_headers`
applied, any request to another host fails the test).
"""

from __future__ import annotations

from typing import Any

from build_scripts import deep_links

CALLS = ("produzione-sostenibile-2024", "filiere-2022")
LOAD_TIMEOUT_MS = 120_000  # a bound for failures only: every wait ends as soon as the state is there


def deep_link(server: Any, call_id: str, answers: Any) -> str:
    """The spec's deep link to the call's checker page with `answers`."""
    return server.url(f"/verifica/{call_id}/#{deep_links.fragment(answers)}")


def answers_in_url(url: str) -> Any:
    """The answers object a page's URL carries ({} for none); ValueError if its fragment is no deep link's."""
    fragment = url.partition("#")[2]
    return deep_links.answers_of(fragment) if fragment else {}


# The answers the page holds for its tab (checker.js keeps them in sessionStorage, never in the address).
STORED = ("() => JSON.parse(sessionStorage.getItem('bandi-lombardia:answers:' + "
          "document.getElementById('checker').dataset.call) || '{}')")


def stored_answers(page: Any) -> Any:
    """The answers object the page keeps for this tab."""
    return page.evaluate(STORED)


def wait_stored(page: Any, condition: str) -> Any:
    """Wait until the tab's answers `a` satisfy the JavaScript expression `condition`; return them."""
    page.wait_for_function(f"() => {{ const a = ({STORED})(); return {condition}; }}", timeout=LOAD_TIMEOUT_MS)
    return stored_answers(page)


def wait_result(page: Any, verdict: str | None = None) -> dict[str, str]:
    """Wait for a verdict (a given one, if asked) and return #checker-result's data attributes."""
    if verdict is None:
        page.wait_for_selector("#checker-result[data-verdict]", timeout=LOAD_TIMEOUT_MS)
    else:
        page.wait_for_selector(f'#checker-result[data-verdict="{verdict}"]', timeout=LOAD_TIMEOUT_MS)
    data: dict[str, str] = page.eval_on_selector("#checker-result", "e => ({...e.dataset})")
    return data


def active(page: Any) -> dict[str, str]:
    info: dict[str, str] = page.evaluate(
        "() => { const e = document.activeElement; return {id: e.id, tag: e.tagName, "
        "text: (e.textContent || '').trim().slice(0, 80), field: e.dataset.field || '', value: e.value || ''}; }")
    return info


def tab_to(page: Any, selector: str, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab) until the focused element matches `selector`: keyboard only, no clicks."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} not reached with {key} (focus on {active(page)})")


def choose(page: Any, steps: int) -> None:
    """Pick the option `steps` below the current one of the focused <select>, from the keyboard."""
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def print_page(page: Any) -> None:
    """What printing does: the page's print button (window.print stubbed, counted), once the QR code's
    module is there; then the browser's beforeprint and the print media."""
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.click("#tool-print")
    page.wait_for_function("() => window.__printed === 1", timeout=LOAD_TIMEOUT_MS)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
