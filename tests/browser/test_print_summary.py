"""The printed summary of the checker page, as Chromium prints it on A4.

For the five members of produzione-sostenibile-2024's first example: at most two pages; every amount in
the result's Italian format (never «€ €», even for an amount typed with its «€»); the answers, the
result, the grant's steps and each requirement with its passage as a reference; and a QR code that
reads back as exactly the link «Copia link» makes, with that link also printed as text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from checkerlib import answers_in_url, deep_link, print_page, stored_answers, wait_result, wait_stored
from qrlib import decode_qr, pdf_pages

from checker import get

pytestmark = pytest.mark.browser

CALL = "produzione-sostenibile-2024"
MAX_PAGES = 2
# An amount as the result writes it: «€», a space (no-break in the page's own), thousands with «.», the cents.
AMOUNT = re.compile(r"€[ \u00a0]\d{1,3}(?:\.\d{3})*,\d{2}(?!\d)")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Screenshots at five device pixels a CSS pixel (a QR module about ten: jsQR wants them sharp); no service
    # worker, so that a test can stop a script with page.route.
    return {**browser_context_args, "device_scale_factor": 5, "service_workers": "block"}


def _open_example(page: Any, server: Any) -> dict[str, Any]:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    answers: dict[str, Any] = get(CALL).examples[0].answers
    assert len(answers["members"]) == 5
    page.goto(deep_link(server, CALL, answers))
    wait_result(page)
    return answers


def test_the_summary_fits_two_a4_pages_with_amounts_in_one_format(page: Any, server: Any) -> None:
    answers = _open_example(page, server)
    # Typed as people do, with its symbol: the summary must not add a second one.
    page.fill("#f-exp-equipment", "€ 100.000")
    page.dispatch_event("#f-exp-equipment", "change")
    wait_stored(page, "a.expenses && a.expenses.equipment === '100000'")
    print_page(page)
    summary = page.locator("#checker-print")
    assert summary.is_visible() and page.locator("#checker-form").is_hidden()
    printed = page.inner_text("main")
    assert not re.search(r"€\s*€", printed), "«€ €» in the printed page"
    for euro in re.finditer(r"€", printed):
        shown = printed[euro.start():][:20]
        assert AMOUNT.match(printed, euro.start()), f"an amount not in the result's format: {shown!r}"

    text = summary.inner_text()
    for member in answers["members"]:
        assert member["name"] in text
    assert "€\u00a0100.000,00" in text and "€\u00a020.000,00" in text  # typed «€ 100.000» and «20000»
    assert page.locator("#checker-print-answers table th", has_text="Dimensione").count() == 1
    assert page.locator("#checker-print-answers table tbody tr").count() == 5
    # The result, the grant's steps and the requirements, each passage reduced to its reference.
    assert page.locator("#checker-verdict-text").is_visible()
    assert page.locator("#checker-grant-steps tr").last.is_visible()
    checks = page.locator(".checker-check-item")
    assert checks.count() >= 5
    for i in range(checks.count()):
        item = checks.nth(i)
        assert item.locator(".checker-check-title").is_visible()
        assert item.locator("blockquote footer").is_visible(), "the passage's reference is printed"
        assert item.locator("blockquote > p").is_hidden(), "the passage itself is not"
    assert page.locator(".checker-reading").first.is_hidden()
    assert page.locator(".checker-result .md-button").evaluate_all("bs => bs.every(b => !b.offsetParent)")

    pages = pdf_pages(page.pdf(format="A4", prefer_css_page_size=True))
    assert pages <= MAX_PAGES, f"the summary of the five-member example takes {pages} A4 pages"
    margins = {side: "10mm" for side in ("top", "bottom", "left", "right")}
    chrome_default = pdf_pages(page.pdf(format="A4", margin=margins))
    assert chrome_default <= MAX_PAGES, f"{chrome_default} A4 pages with the print dialog's default margins"


def test_the_qr_code_reads_back_as_the_copied_link(page: Any, server: Any) -> None:
    _open_example(page, server)
    page.click("#tool-copy")
    page.locator("#tool-feedback").filter(has_text="Link copiato").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    print_page(page)
    assert page.inner_text("#checker-print-link") == copied, "the printed link is the one «Copia link» makes"
    assert answers_in_url(copied) == stored_answers(page)
    qr = page.locator("#checker-print-qr-code svg")
    assert qr.count() == 1 and qr.is_visible()
    assert qr.get_attribute("role") == "img" and qr.get_attribute("aria-label")
    assert page.locator("#checker-print-qr figcaption").is_visible()
    assert page.locator("#checker-print-link").is_visible(), "the link stays printed, for who cannot scan"
    # The drawing is exactly the library's QR code of that link (the same vendored module, asked again).
    same = page.evaluate("""async (link) => {
        const src = [...performance.getEntriesByType("resource")].map((e) => e.name)
          .find((n) => /\\/qr\\.\\w+\\.js$/.test(n));
        const { qrMatrix } = await import(src);
        const matrix = qrMatrix(link);
        const svg = document.querySelector("#checker-print-qr-code svg");
        const quiet = (Number(svg.viewBox.baseVal.width) - matrix.length) / 2;
        const dark = new Set();
        for (const [, x, y, w] of svg.querySelector("path").getAttribute("d").matchAll(/M(\\d+) (\\d+)h(\\d+)/g)) {
          for (let i = 0; i < Number(w); i++) dark.add(`${Number(x) + i - quiet},${Number(y) - quiet}`);
        }
        return Number(svg.dataset.modules) === matrix.length &&
          matrix.every((cells, r) => cells.every((on, c) => on === dark.has(`${c},${r}`)));
    }""", copied)
    assert same, "the SVG draws the QR code of the printed link"
    assert decode_qr(qr.screenshot()) == copied, "a QR reader finds exactly the link"


def test_without_its_module_the_summary_still_prints_the_link(page: Any, server: Any) -> None:
    page.route("**/assets/checker/qr.*.js", lambda route: route.abort())
    _open_example(page, server)
    print_page(page)
    assert page.locator("#checker-print-qr").is_hidden()
    link = page.inner_text("#checker-print-link")
    assert answers_in_url(link) == stored_answers(page)
