"""The Italian input rules of the checker form (docs/assets/checker/money.js), run in Node on the
built site's copy: what is accepted becomes a plain decimal the checker accepts; anything ambiguous
or invalid is an error that says how to fix it, never a guess."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from build_scripts.fingerprint import built_name
from checker.answers import parse_amount

ACCEPTED = {
    "12.500,00": "12500.00", "12500": "12500", "12 500,50": "12500.50", "€ 12.500": "12500", "€12.500": "12500",
    "12.500 €": "12500", "1.234.567,89": "1234567.89", "0,5": "0.50", "0": "0", "007": "7", "12,5": "12.50",
    " 12\u00a0500 ": "12500", "1 000 000": "1000000", "999.999.999.999.999,99": "999999999999999.99",
    "12.500,5": "12500.50", "500": "500", "1.000": "1000", "euro 25": "25", "25 EUR": "25",
}
REJECTED = ["1.5", "12.50", "12500.50", "12,500", "1,000,000", "12,505", "-100", "−5", "dodici", "1e5", "12.5.0",
            "1.2345", "12 50", "12..500", "", "€", "1.000.000.000.000.000", "12,", ",5", ".5", "12.500.00"]
DATES = {
    "03/04/2025 16:00": "2025-04-03T16:00", "3/4/2025 16:00": "2025-04-03T16:00",
    "03/04/2025 ore 16:00": "2025-04-03T16:00", "03/04/2025, 16.00": "2025-04-03T16:00",
    "03/04/2025 16:00:30": "2025-04-03T16:00:30", "2025-04-03T16:00:00+02:00": "2025-04-03T16:00:00+02:00",
    "2025-04-03T14:00Z": "2025-04-03T14:00Z",
}
BAD_DATES = ["03/04/2025", "31/02/2025 10:00", "03/04/2025 24:00", "2025-02-30T10:00", "domani", "03-04-25 10:00"]

SCRIPT = """
const m = await import(process.argv[1]);
const input = JSON.parse(process.argv[2]);
const out = {
  money: Object.fromEntries(input.money.map((t) => [t, m.parseMoney(t)])),
  dates: Object.fromEntries(input.dates.map((t) => [t, m.parseDateTime(t)])),
  format: Object.fromEntries(input.format.map((t) => [t, m.formatMoney(t)])),
  round: Object.fromEntries(input.format.map((t) => [t, m.parseMoney(m.formatMoney(t))])),
  euro: m.euro(115560), plain: m.plainAmount(115560.5),
  back: Object.fromEntries(input.back.map((t) => [t, m.formatDateTime(t)])),
};
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def results(site_dir: Path) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is required"
    payload = {"money": [*ACCEPTED, *REJECTED], "dates": [*DATES, *BAD_DATES],
               "format": [*ACCEPTED.values(), "12500.5", "abc"], "back": ["2025-04-03T16:00", "2025-04-03T16:00:30",
                                                                         "2025-04-03T14:00Z"]}
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
        assert "error" in results["dates"][text], text
    assert results["back"] == {"2025-04-03T16:00": "03/04/2025 16:00", "2025-04-03T16:00:30": "03/04/2025 16:00:30",
                               "2025-04-03T14:00Z": "2025-04-03T14:00Z"}
