"""What the keyboard and a phone meet: every tab stop can be seen, wide tables say that they scroll.

- on a desktop, Tab from the page's start through the header and into the content never lands on
  something invisible (Material's search results box was a stop of height 0 after the search field);
- on a phone, a table wider than the screen has a line that says so and is a named region that the
  keyboard reaches and scrolls with the arrows; a table that fits has neither; axe stays clean.
"""

from __future__ import annotations

from typing import Any

import pytest
from sitekit import axe_violations, describe

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
STOPS = 80  # the header, then on a desktop the navigation's links, then the content

FOCUSED = """() => {
  const e = document.activeElement;
  const r = e.getBoundingClientRect();
  return {tag: e.tagName, cls: String(e.className), text: (e.textContent || "").trim().slice(0, 40),
          seen: r.width > 0 && r.height > 0 && e.checkVisibility({opacityProperty: true, visibilityProperty: true}),
          inMain: Boolean(e.closest(".md-content"))};
}"""


@pytest.mark.parametrize("path", ["/", "/verifica/produzione-sostenibile-2024/", "/bandi/filiere-2022/spese/"])
def test_every_tab_stop_through_the_header_can_be_seen(page: Any, server: Any, path: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(server.url(path))
    stops = []
    for _ in range(STOPS):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if stops[-1]["inMain"]:
            break
    assert any(s["cls"].startswith("md-search__input") for s in stops), stops
    unseen = [s for s in stops if not s["seen"]]
    assert not unseen, f"invisible tab stops: {unseen}"
    assert stops[-1]["inMain"], f"the content not reached in {STOPS} stops: {stops}"


def _boxes(page: Any) -> list[dict[str, Any]]:
    page.wait_for_selector(".md-typeset__scrollwrap")
    page.wait_for_function("() => [...document.querySelectorAll('.md-typeset__scrollwrap')]"
                           ".every((b) => 'tableScroll' in b.dataset)")
    boxes: list[dict[str, Any]] = page.eval_on_selector_all(".md-typeset__scrollwrap", """boxes => boxes.map((b) => {
      const hint = b.previousElementSibling;
      return {wide: b.scrollWidth > b.clientWidth + 1, flagged: b.classList.contains('table-scroll'),
              tabindex: b.getAttribute('tabindex'), role: b.getAttribute('role'), label: b.getAttribute('aria-label'),
              hint: hint && hint.classList.contains('table-scroll-hint') && !hint.hidden ? hint.textContent : null,
              describedBy: b.getAttribute('aria-describedby'), hintId: hint && hint.id};
    })""")
    return boxes


@pytest.mark.parametrize("path", ["/confronto/", "/partner/"])
def test_on_a_phone_a_wide_table_says_it_scrolls_and_scrolls_from_the_keyboard(page: Any, server: Any,
                                                                            path: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(server.url(path))
    boxes = _boxes(page)
    assert any(b["wide"] for b in boxes), f"{path}: no table wider than a phone, the test needs one"
    for box in boxes:
        assert box["flagged"] == box["wide"], box
        if box["wide"]:
            assert box["tabindex"] == "0" and box["role"] == "region" and box["label"].startswith("Tabella"), box
            assert box["hint"] and "scorrila di lato" in box["hint"], box
            assert box["describedBy"] == box["hintId"], box
        else:
            assert box["tabindex"] is None and box["hint"] is None, box
    violations = axe_violations(page)
    assert not violations, describe(violations)

    wide = page.locator(".md-typeset__scrollwrap.table-scroll").first
    for _ in range(400):  # keyboard only: Tab to the table
        page.keyboard.press("Tab")
        if wide.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("the wide table is not reached with Tab")
    assert wide.evaluate("b => b.matches(':focus-visible') && getComputedStyle(b).outlineStyle === 'solid'")
    assert wide.evaluate("b => b.scrollLeft") == 0
    assert "table-scroll--end" in (wide.get_attribute("class") or "")
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    page.wait_for_function("() => document.activeElement.classList.contains('table-scroll--start')")


def test_on_a_desktop_a_table_that_fits_is_left_alone(page: Any, server: Any) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(server.url("/bandi/produzione-sostenibile-2024/contributo/"))
    for box in _boxes(page):
        assert box["flagged"] == box["wide"], box
        if not box["wide"]:
            assert box["tabindex"] is None and box["hint"] is None, box
