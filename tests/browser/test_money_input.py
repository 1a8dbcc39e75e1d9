"""The Italian input rules of the checker form (docs/assets/checker/money.js), run in Node on the
built site's copy: what is accepted becomes a plain decimal the checker accepts; anything ambiguous
or invalid is an error that says how to fix it, never a guess."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from build_scripts.fingerprint import built_name
from checker import catalogue
from checker.answers import parse_amount, parse_integer
from checker.limits import MAX_AMOUNT, MAX_INTEGER, MAX_YEAR, MIN_YEAR
from checker.money import eur

ACCEPTED = {
    "12.500,00": "12500.00", "12500": "12500", "12 500,50": "12500.50", "€ 12.500": "12500", "€12.500": "12500",
    "12.500 €": "12500", "1.234.567,89": "1234567.89", "0,5": "0.50", "0": "0", "007": "7", "12,5": "12.50",
    " 12\u00a0500 ": "12500", "1 000 000": "1000000", "999.999.999.999,99": "999999999999.99",
    "0.999.999.999.999,99": "999999999999.99",
    "12.500,5": "12500.50", "500": "500", "1.000": "1000", "euro 25": "25", "25 EUR": "25",
}
REJECTED = ["1.5", "12.50", "12500.50", "12,500", "1,000,000", "12,505", "-100", "−5", "dodici", "1e5", "12.5.0",
            "1.2345", "12 50", "12..500", "", "€", "12,", ",5", ".5", "12.500.00"]
# Above the checker's bound (checker/limits.py, given to the page as data-max): a cent more is too much.
TOO_BIG = ["1.000.000.000.000", "1000000000000", "1.000.000.000.000,00", "1000000000000,01",
           "999.999.999.999.999,99", "1.000.000.000.000.000"]
DATES = {
    "03/04/2025 16:00": "2025-04-03T16:00", "3/4/2025 16:00": "2025-04-03T16:00",
    "03/04/2025 ore 16:00": "2025-04-03T16:00", "03/04/2025, 16.00": "2025-04-03T16:00",
    "03/04/2025 16:00:30": "2025-04-03T16:00:30", "2025-04-03T16:00:00+02:00": "2025-04-03T16:00:00+02:00",
    "2025-04-03T14:00Z": "2025-04-03T14:00Z",
}
BAD_DATES = ["03/04/2025", "31/02/2025 10:00", "03/04/2025 24:00", "2025-02-30T10:00", "domani", "03-04-25 10:00"]
# The example an error of the date field shows: the page's data-example (each call's own deadline).
DATE_EXAMPLE = "31/12/2022 16:00"
# The years of the checker's bound (data-min-year, data-max-year): at the bound accepted, one beyond refused.
YEARS = {f"01/01/{MIN_YEAR} 00:00": f"{MIN_YEAR}-01-01T00:00", f"31/12/{MAX_YEAR} 23:59": f"{MAX_YEAR}-12-31T23:59",
         f"{MAX_YEAR}-12-31T23:59:59-01:00": f"{MAX_YEAR}-12-31T23:59:59-01:00"}
BAD_YEARS = [f"31/12/{MIN_YEAR - 1} 23:59", f"01/01/{MAX_YEAR + 1} 00:00", f"{MAX_YEAR + 1}-01-01T00:00",
             f"{MIN_YEAR - 1}-12-31T23:59:59+01:00"]
# (text, min): whole numbers from min to the checker's MAX_INTEGER (data-max).
INTEGERS = {("0", 0): 0, (str(MAX_INTEGER), 0): MAX_INTEGER, ("1", 1): 1, (f"0{MAX_INTEGER}", 1): MAX_INTEGER}
BAD_INTEGERS = [(str(MAX_INTEGER + 1), 0), ("0", 1), ("9" * 20, 0), ("-1", 0), ("2.0", 0), ("", 0)]

SCRIPT = """
const m = await import(process.argv[1]);
const input = JSON.parse(process.argv[2]);
const [minYear, maxYear] = input.years;
const out = {
  money: Object.fromEntries(input.money.map((t) => [t, m.parseMoney(t, input.max)])),
  dates: Object.fromEntries(input.dates.map((t) => [t, m.parseDateTime(t, minYear, maxYear, input.example)])),
  integers: input.integers.map(([t, min]) => m.parseInteger(t, min, "2", input.maxInteger)),
  format: Object.fromEntries(input.format.map((t) => [t, m.formatMoney(t)])),
  round: Object.fromEntries(input.format.map((t) => [t, m.parseMoney(m.formatMoney(t), input.max)])),
  euro: m.euro(115560), plain: m.plainAmount(115560.5),
  back: Object.fromEntries(input.back.map((t) => [t, m.formatDateTime(t)])),
};
console.log(JSON.stringify(out));
"""


def date_field(site_dir: Path, call_id: str) -> dict[str, str]:
    """On the call's checker page: the date field's hint and example, and the «in time» moment of its
    «simulate» button (the window's closing instant, ISO local)."""
    page = (site_dir / "verifica" / call_id / "index.html").read_text(encoding="utf-8")
    hint = re.search(r'<p class="checker-hint" id="f-submitted_at-hint">(.*?)</p>', page, re.S)
    example = re.search(r'id="f-submitted_at"[^>]*data-example="([^"]*)"', page)
    in_time = re.search(r'data-in-time="([^"]*)"', page)
    assert hint and example and in_time, call_id
    return {"hint": html.unescape(hint.group(1)), "example": html.unescape(example.group(1)),
            "in_time": in_time.group(1)}


@pytest.fixture(scope="module")
def results(site_dir: Path) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is required"
    payload = {"money": [*ACCEPTED, *REJECTED, *TOO_BIG], "dates": [*DATES, *BAD_DATES, *YEARS, *BAD_YEARS],
               "max": format(MAX_AMOUNT, "f"), "years": [MIN_YEAR, MAX_YEAR], "maxInteger": MAX_INTEGER,
               "integers": [*INTEGERS, *BAD_INTEGERS], "example": DATE_EXAMPLE,
               "format": [*ACCEPTED.values(), "12500.5", "abc"],
               "back": ["2025-04-03T16:00", "2025-04-03T16:00:30", "2025-04-03T14:00Z",
                        *(date_field(site_dir, call)["in_time"] for call in catalogue.call_ids())]}
    module = (site_dir / built_name(site_dir, "assets/checker/money.js")).as_uri()
    proc = subprocess.run([node, "--input-type=module", "-e", SCRIPT, module, json.dumps(payload)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def test_italian_amounts_become_plain_decimals_the_checker_accepts(results: dict[str, Any]) -> None:
    for text, plain in ACCEPTED.items():
        assert results["money"][text] == {"value": plain}, text
        assert parse_amount(plain, "x") == Decimal(plain)


def test_ambiguous_or_invalid_amounts_are_errors_that_say_how_to_fix_them(results: dict[str, Any]) -> None:
    for text in REJECTED:
        got = results["money"][text]
        if text.strip() in ("",):
            assert got == {"empty": True}
            continue
        assert set(got) == {"error"}, (text, got)
        assert "12.500,00" in got["error"] or "1,50" in got["error"], got["error"]


def test_amounts_above_the_checkers_bound_are_too_big(results: dict[str, Any]) -> None:
    for text in TOO_BIG:
        bound = eur(MAX_AMOUNT).replace(" ", "\u00a0")  # € 999.999.999.999,99, never split at the line's end
        assert results["money"][text] == {"error": f"L’importo è troppo grande: al massimo {bound}"}, text


def test_whole_numbers_within_the_checkers_bounds(results: dict[str, Any]) -> None:
    got = dict(zip([*INTEGERS, *BAD_INTEGERS], results["integers"], strict=True))
    for (text, low), value in INTEGERS.items():
        assert got[text, low] == {"value": value}, text
        assert parse_integer(value, "x", low) == value
    for text, low in BAD_INTEGERS:
        expected = {"empty": True} if text == "" else {
            "error": f"Inserisci un numero intero da {low} a {MAX_INTEGER}, ad esempio 2"}
        assert got[text, low] == expected, text


def test_plain_decimals_read_back_in_italian(results: dict[str, Any]) -> None:
    for plain in ACCEPTED.values():
        assert results["round"][plain] == {"value": plain}, (plain, results["format"][plain])  # exact round trip
    assert results["format"]["12500.5"] == "12.500,50"
    assert results["format"]["abc"] == "abc"
    assert results["euro"] == "€\u00a0115.560,00"
    assert results["plain"] == "115560.50"


def test_dates(results: dict[str, Any]) -> None:
    for text, iso in DATES.items():
        assert results["dates"][text] == {"value": iso}, text
    for text in BAD_DATES:
        assert set(results["dates"][text]) == {"error"}, text
        assert results["dates"][text]["error"].endswith(f"nel formato gg/mm/aaaa hh:mm, ad esempio {DATE_EXAMPLE}")
    for text, iso in YEARS.items():
        assert results["dates"][text] == {"value": iso}, text
    for text in BAD_YEARS:
        assert results["dates"][text] == {"error": f"L’anno deve essere tra {MIN_YEAR} e {MAX_YEAR}"}, text
    assert {text: results["back"][text] for text in ("2025-04-03T16:00", "2025-04-03T16:00:30", "2025-04-03T14:00Z")} \
        == {"2025-04-03T16:00": "03/04/2025 16:00", "2025-04-03T16:00:30": "03/04/2025 16:00:30",
            "2025-04-03T14:00Z": "2025-04-03T14:00Z"}


@pytest.mark.parametrize("call_id", catalogue.call_ids())
def test_the_date_field_gives_the_calls_own_deadline_as_its_example(results: dict[str, Any], site_dir: Path,
                                                                    call_id: str) -> None:
    """The example the hint and the errors show is the call's deadline, written as the field shows a date
    (money.js's formatDateTime of the moment «simulate» enters): never the other call's date."""
    field = date_field(site_dir, call_id)
    assert field["example"] == results["back"][field["in_time"]]
    assert f"ad esempio {field['example']}." in field["hint"]
