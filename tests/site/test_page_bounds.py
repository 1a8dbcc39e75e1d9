"""The bounds of the answers (checker/limits.py) reach the checker pages and the partner page from
the one declaration: the page's own parsing reads them from data- attributes, never a figure of its own.

Rendered from the templates, no build needed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_scripts.checker_page import render_page
from build_scripts.guide import render
from checker import catalogue
from checker.limits import MAX_AMOUNT, MAX_INTEGER, MAX_MEMBERS, MAX_YEAR, MIN_YEAR, QUOTE_CHARS
from checker.money import eur

CALLS = [catalogue.get(call_id) for call_id in catalogue.call_ids()]
ASSETS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "checker"


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_the_checker_page_carries_the_bounds(call: rules.Rules) -> None:
    html = render_page(call, "../../")
    inputs = re.findall(r"<input [^>]*data-kind=\"(\w+)\"[^>]*>", html)
    assert "money" in inputs and "datetime" in inputs
    for tag in re.findall(r"<input [^>]*data-kind=\"money\"[^>]*>", html):
        assert f'data-max="{MAX_AMOUNT}"' in tag, tag
    for tag in re.findall(r"<input [^>]*data-kind=\"integer\"[^>]*>", html):
        assert f'data-max="{MAX_INTEGER}"' in tag, tag
    (when,) = re.findall(r"<input [^>]*data-kind=\"datetime\"[^>]*>", html)
    assert f'data-min-year="{MIN_YEAR}"' in when and f'data-max-year="{MAX_YEAR}"' in when


def test_the_page_scripts_type_no_bound() -> None:
    """The figures are the page's data- attributes: no script repeats them."""
    for script in ("money.js", "checker.js"):
        text = (ASSETS / script).read_text(encoding="utf-8")
        for figure in (str(MAX_INTEGER), str(MAX_YEAR), str(MIN_YEAR), "999999999999", "999.999.999.999"):
            assert figure not in text, (script, figure)


def test_the_partner_page_documents_the_bounds() -> None:
    page = render.render_pages(CALLS)["partner.md"]
    assert f"fino a {eur(MAX_AMOUNT)}" in page
    assert f"numero intero da 0 a {MAX_INTEGER}" in page and f"numero intero da 1 a {MAX_INTEGER}" in page
    assert "elenco di membri, al massimo " + f"{MAX_MEMBERS:,}".replace(",", ".") in page  # 1.000
    assert f"dall’anno {MIN_YEAR} al {MAX_YEAR}" in page
    assert f"al massimo {QUOTE_CHARS} caratteri del valore sbagliato" in page
