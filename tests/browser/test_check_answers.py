"""«Controlla le risposte»: the answers in plain words (GOV.UK «Check answers»: a summary list of question,
answer and «Modifica»), before the result. From the keyboard only: Tab to a «Modifica» link, Enter, and the
focused element is that field, the address untouched. «Non indicato» for what is unanswered. With a field in
error the summary shows it as left out, and the result and the amount say that they leave it out. axe clean.
"""

from __future__ import annotations

from typing import Any

import pytest
from checkerlib import LOAD_TIMEOUT_MS, active, deep_link, tab_to, wait_result
from sitekit import axe_violations, describe

from checker import get

pytestmark = pytest.mark.browser
CALL = "produzione-sostenibile-2024"
ANSWERS = {
    "members": [{"name": "Impresa A", "size": "small", "lombardy_site": True, "financial_statements": 3}],
    "areas": ["by-products"],
    "intervention_in_lombardy": True,
    "expenses": {"equipment": "100000"},
}


def rows(page: Any) -> dict[str, str]:
    """The summary list as {question: answer}."""
    pairs: list[list[str]] = page.eval_on_selector_all(
        "#checker-review-list .checker-summary-row",
        "rows => rows.map(r => [r.querySelector('dt').innerText.trim(), r.querySelector('dd').innerText.trim()])")
    return dict((key, value) for key, value in pairs)


def wait_review(page: Any, text: str) -> None:
    page.wait_for_function("(t) => document.getElementById('checker-review-list').innerText.includes(t)",
                           arg=text, timeout=LOAD_TIMEOUT_MS)


def test_the_answers_in_plain_words_and_back_to_each_field_from_the_keyboard(page: Any, server: Any) -> None:
    rules = get(CALL)
    page.goto(deep_link(server, CALL, ANSWERS))
    wait_result(page)
    review = page.locator("#checker-review")
    assert review.is_visible()
    assert review.locator("h2").inner_text() == "Controlla le risposte"
    # Before the result, in the reading (and tabbing) order.
    assert page.evaluate("() => Boolean(document.getElementById('checker-review').compareDocumentPosition("
                         "document.getElementById('checker-result')) & Node.DOCUMENT_POSITION_FOLLOWING)")
    summary = rows(page)
    assert summary["Data e ora di presentazione"] == "Non indicato"
    member = summary["Membro 1 (Impresa A)"]
    assert "Dimensione: piccola impresa" in member and "Bilanci depositati: 3" in member
    assert "Accordo: non indicato" in member
    assert summary[rules.question("intervention_in_lombardy").label] == "Sì"
    assert summary[rules.question("technical_report").label] == "Non indicato"
    assert summary[rules.question("duration_months").label] == "Non indicato"
    assert summary["II. Attrezzature tecnologiche e programmi informatici"] == "€\u00a0100.000,00"
    assert summary["I. Consulenza"] == "Non indicato"
    assert rules.areas[-1].label in summary["Ambiti di intervento"]
    assert not (violations := axe_violations(page)), describe(violations)

    # Keyboard only: from the top of the page, Tab to a «Modifica» link, Enter: focus is on that field.
    url = page.url
    for target in ("f-exp-equipment", "f-technical_report-yes", "m1-name", "f-area-by-products", "f-submitted_at"):
        page.locator("#checker-title, h1").first.focus()
        tab_to(page, f'#checker-review a[data-focus="{target}"]', limit=400)
        assert active(page)["text"].startswith("Modifica")
        page.keyboard.press("Enter")
        assert active(page)["id"] == target, target
        assert page.url == url  # the link moved focus; the address is untouched
    # The field is the one to change: typing there changes the summary.
    page.locator('#checker-review a[data-focus="f-exp-equipment"]').focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Control+A")
    page.keyboard.type("120.000")
    wait_review(page, "120.000,00")


def test_no_members_reads_non_indicato_and_modifica_goes_to_add_a_member(page: Any, server: Any) -> None:
    page.goto(server.url(f"/verifica/{CALL}/"))
    wait_result(page)
    summary = rows(page)
    assert summary["Membri dell’aggregazione"] == "Non indicato"
    assert set(summary.values()) == {"Non indicato"}  # nothing answered
    tab_to(page, '#checker-review a[data-focus="member-add"]', limit=400)
    page.keyboard.press("Enter")
    assert active(page)["id"] == "member-add"


def test_the_submit_button_leads_to_the_summary(page: Any, server: Any) -> None:
    page.goto(deep_link(server, CALL, ANSWERS))
    wait_result(page)
    tab_to(page, "#checker-form button[type=submit]", limit=400)
    page.keyboard.press("Enter")
    assert active(page)["id"] == "checker-review-title"


def test_a_field_in_error_is_left_out_and_the_amount_says_so(page: Any, server: Any) -> None:
    page.goto(deep_link(server, CALL, ANSWERS))
    wait_result(page)
    assert page.locator("#checker-left-out").is_hidden()
    page.fill("#f-exp-consultancy", "1.5")  # ambiguous: thousands or decimals?
    page.press("#f-exp-consultancy", "Tab")
    wait_review(page, "«1.5»")
    consultancy = rows(page)["I. Consulenza"]
    assert "Errore" in consultancy and "Non è considerato nel risultato" in consultancy
    note = page.locator("#checker-left-out")
    note.wait_for(state="visible")
    assert "non considera un campo con un errore: I. Consulenza" in note.inner_text()
    for amount in ("#checker-grant-headline", "#checker-grant-amount"):
        assert "calcolato senza il campo con un errore" in page.inner_text(amount)
    assert wait_result(page)["grantAmount"] == "64200.00"  # the amount without the field, never a guess
    assert not (violations := axe_violations(page)), describe(violations)
    # «Modifica» goes to the field in error; fixing it clears the notes.
    tab_to(page, '#checker-review a[data-focus="f-exp-consultancy"]', limit=400)
    page.keyboard.press("Enter")
    assert active(page)["id"] == "f-exp-consultancy"
    page.keyboard.press("Control+A")
    page.keyboard.type("1.500")
    page.keyboard.press("Tab")
    note.wait_for(state="hidden")
    assert "calcolato senza" not in page.inner_text("#checker-grant-headline")
    assert rows(page)["I. Consulenza"] == "€\u00a01.500,00"
