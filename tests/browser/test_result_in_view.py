"""The result stays within reach while answering, and the tools' file picker shows its focus.

- desktop (1280×800): a result taller than the window moves with the page until its end is in view, so
  scrolling the page (over the form) brings the grant's last row into view, and keeps it there; scrolling
  back up brings the verdict back;
- phone (390×844): a line at the bottom of the window carries the verdict and the estimate while the
  form is filled; it is a link to the result (focus moves there, the address stays clean), not a live
  region, never covers the focused field, stops above the result and is not shown on a desktop;
- the file picker «Carica risposte salvate» shows a focus ring when reached with the keyboard.
"""

from __future__ import annotations

from typing import Any

import pytest
from checkerlib import active, deep_link, tab_to, wait_result
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sitekit import axe_violations, describe

from checker import get

pytestmark = pytest.mark.browser

CALL = "produzione-sostenibile-2024"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Whether an element is wholly inside the window and is what the eye sees at its centre (not covered).
IN_VIEW = """(e) => {
  const r = e.getBoundingClientRect();
  if (r.top < 0 || r.bottom > innerHeight || r.height === 0) return false;
  const hit = document.elementFromPoint(r.left + Math.min(8, r.width / 2), r.top + r.height / 2);
  return hit === e || e.contains(hit);
}"""


def _answers() -> dict[str, Any]:
    """The first example, submitted in time: a full result with every requirement and the grant's steps."""
    rules = get(CALL)
    return {**rules.examples[0].answers, "submitted_at": rules.window.closes_at().strftime("%Y-%m-%dT%H:%M")}


def _open(page: Any, server: Any, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    page.goto(deep_link(server, CALL, _answers()))
    wait_result(page)


def _in_view(page: Any, selector: str) -> bool:
    return bool(page.locator(selector).evaluate(IN_VIEW))


def _comes_into_view(page: Any, selector: str, what: str = "") -> None:
    """Wait until `selector` is on the page and in view (a focus scroll, a sticky element settling), as the
    locator it replaces waited for the element; fail naming `what`."""
    try:
        page.wait_for_function(f"(s) => {{ const e = document.querySelector(s); return !!e && ({IN_VIEW})(e); }}",
                               arg=selector)
    except PlaywrightTimeout:
        pytest.fail(f"{selector} never came into view" + (f": {what}" if what else ""))


def _next_frame(page: Any) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_on_a_desktop_scrolling_the_page_reaches_the_grants_last_row(page: Any, server: Any) -> None:
    _open(page, server, DESKTOP)
    panel = page.locator("#checker-result")
    assert panel.evaluate("e => e.offsetHeight") > DESKTOP["height"], "the test needs a result taller than the window"
    assert panel.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), "the result does not scroll inside itself"
    last_row = "#checker-grant-steps tr:last-child"
    form = page.locator("#checker-form").bounding_box()
    page.mouse.move(form["x"] + 40, DESKTOP["height"] / 2)  # over the form: the page scrolls, not the result
    seen_at = None
    for step in range(60):
        page.mouse.wheel(0, 200)
        _next_frame(page)
        if _in_view(page, last_row):
            seen_at = step
            break
    assert seen_at is not None, "the grant's last row never came into view while scrolling the page"
    bottom = page.evaluate("scrollY + innerHeight") < page.evaluate("document.documentElement.scrollHeight")
    for _ in range(3):  # it stays while the form goes on (as long as the page does)
        page.mouse.wheel(0, 200)
        _next_frame(page)
        if bottom:
            assert _in_view(page, last_row), "the grant's last row went out of view again"
    for _ in range(40):  # and back up: the verdict returns
        page.mouse.wheel(0, -200)
        _next_frame(page)
        if _in_view(page, "#checker-verdict-text"):
            break
    assert _in_view(page, "#checker-verdict-text"), "scrolling back up never brought the verdict back"
    assert page.locator(".checker-verdict-bar").is_hidden(), "the phone's verdict line is not shown on a desktop"


def test_on_a_desktop_the_focused_result_title_is_in_view(page: Any, server: Any) -> None:
    _open(page, server, DESKTOP)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")  # the result's end in view
    _next_frame(page)
    assert not _in_view(page, "#checker-result-title")
    page.focus("#checker-result-title")  # as «Vai al risultato» and the tools do
    _comes_into_view(page, "#checker-result-title")


def test_on_a_phone_the_verdict_stays_in_view_and_leads_to_the_result(page: Any, server: Any) -> None:
    _open(page, server, PHONE)
    bar = page.locator(".checker-verdict-bar")
    bar.wait_for()
    page.locator("#checker-form-title").scroll_into_view_if_needed()  # answering: the form is on the screen
    _comes_into_view(page, ".checker-verdict-bar a", "the verdict line is at the bottom of the window")
    verdict = page.inner_text("#checker-verdict-text").strip()
    assert verdict in bar.inner_text()
    assert "Contributo stimato: €" in bar.inner_text() and "Vai al risultato" in bar.inner_text()
    assert bar.evaluate("e => e.closest('[aria-live], [role=status], [role=alert]') === null"), "not a live region"
    assert bar.locator("[aria-live], [role=status], [role=alert]").count() == 0
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # From the keyboard, field after field: none is ever under the line.
    page.keyboard.press("Tab")
    covered = []
    for _ in range(200):
        focused = active(page)
        if page.evaluate("() => document.activeElement.closest('.checker-verdict-bar') !== null"):
            break
        if page.evaluate("() => document.activeElement.closest('#checker-form') !== null"):
            clear = page.evaluate("""() => {
              const bar = document.querySelector('.checker-verdict-bar');
              const r = document.activeElement.getBoundingClientRect();
              return bar.hidden || r.bottom <= bar.getBoundingClientRect().top + 1;
            }""")
            if not clear:
                covered.append(focused)
        page.keyboard.press("Tab")
    assert not covered, f"fields under the verdict line: {covered[:3]}"
    tab_to(page, ".checker-verdict-bar a", limit=200)
    page.keyboard.press("Enter")
    assert active(page)["id"] == "checker-result-title"
    assert "#" not in page.url, "the address stays clean"
    _comes_into_view(page, "#checker-result-title")
    # At the result the line has come to rest above it, never over it.
    page.locator("#checker-result-title").scroll_into_view_if_needed()
    assert bar.evaluate("b => b.getBoundingClientRect().bottom <= "
                        "document.getElementById('checker-result').getBoundingClientRect().top + 1")


def test_on_a_phone_the_verdict_line_follows_the_answers(page: Any, server: Any) -> None:
    _open(page, server, PHONE)
    bar = page.locator(".checker-verdict-bar")
    bar.wait_for()
    before = bar.inner_text()
    page.locator("#members-list [data-role=remove]").first.click()  # four members: no longer enough
    page.wait_for_function("(b) => document.querySelector('.checker-verdict-bar').innerText !== b", arg=before)
    assert page.inner_text("#checker-verdict-text").strip() in bar.inner_text()


def test_the_file_picker_shows_its_focus(page: Any, server: Any) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(server.url(f"/verifica/{CALL}/"))
    wait_result(page)
    page.locator("#tool-clear").focus()
    tab_to(page, "#tool-upload", limit=5)
    ring = page.evaluate("""() => {
      const e = document.activeElement, s = getComputedStyle(e);
      return {visible: e.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
              color: s.outlineColor, shadow: s.boxShadow};
    }""")
    assert ring["visible"] and ring["style"] == "solid" and ring["width"] >= 3, ring
    assert ring["color"] == "rgb(255, 191, 71)" and "rgb(11, 12, 12)" in ring["shadow"], ring
