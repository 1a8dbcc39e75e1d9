"""Parity: every data-driven case gives byte-identical result JSON under the Pyodide runtime the
site ships (run in Node, from the built site's assets/pyodide/) and under CPython; so does every
screening case (tests/cases/_screen/, `bridge.screen_json`), valid or invalid.

All cases run in one Pyodide session (one Node process) for speed. The wheel goes in from the site
itself, as the site's worker puts it (docs/assets/checker/python-package.js): imported from the
archive, with nothing written on Pyodide's error stream.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from caselib import (
    compare_screen,
    compare_sme,
    load_cases,
    load_screen_cases,
    load_screen_invalid,
    load_sme_cases,
    load_sme_invalid,
)

from build_scripts import bundle
from checker.bridge import classify_json, evaluate_json, screen_json

HERE = Path(__file__).resolve().parent
FIXED_NOW = "2025-01-15T12:00:00"  # for cases without `now`: results must not depend on the clock

# Invalid input must fail the same way too (the browser shows these messages with their paths).
INVALID = [
    ("produzione-sostenibile-2024", '{"members": [{"size": "huge"}]}'),
    ("produzione-sostenibile-2024", '{"expenses": {"consultancy": "12,50"}}'),
    ("produzione-sostenibile-2024", '{"expenses": {"equipment": -1}}'),
    ("produzione-sostenibile-2024", '{"lead_partner": true}'),
    ("filiere-2022", '{"members": [{"financial_statements": 2}]}'),
    ("filiere-2022", '{"submitted_at": "2022-02-30T10:00:00"}'),
    ("filiere-2022", '{"areas": ["credit", "credit"]}'),
    ("filiere-2022", "{not json"),
    ("filiere-2022", "[]"),
    ("filiere-2022", '{"expenses": {"sme": NaN}}'),
    ("nessun-bando", "{}"),
    # No traceback in the browser either: the bounds (checker/limits.py) and the quoted values, as in CPython.
    ("filiere-2022", '{"submitted_at": "9999-12-31T23:59:59Z"}'),
    ("filiere-2022", '{"submitted_at": "0001-01-01T00:00:00+01:00"}'),
    ("filiere-2022", '{"members": [{"name": "\\ud800"}]}'),
    ("filiere-2022", '{"\\ud800": 1}'),
    ("filiere-2022", '{"lead_parter": true}'),
    ("filiere-2022", '{"expenses": {"sme": "12.500,00"}}'),
    ("filiere-2022", '{"expenses": {"sme": 1' + "0" * 5000 + "}}"),
    ("produzione-sostenibile-2024", '{"duration_months": 1' + "0" * 5000 + "}"),
    ("produzione-sostenibile-2024", '{"members": [{"financial_statements": 1000}]}'),
    ("filiere-2022", '{"' + "k" * 100000 + '": 1}'),
    ("filiere-2022", "{\n  \"a\" 1}"),
]
# Valid answers at the bounds: the same results too.
AT_THE_BOUNDS = [
    ("produzione-sostenibile-2024", '{"members": [{"financial_statements": 2.0}], "duration_months": 999}'),
    ("produzione-sostenibile-2024", '{"expenses": {"equipment": "999999999999.99", "consultancy": 999999999999.99}}'),
    ("filiere-2022", '{"submitted_at": "2999-12-31T23:59:59-12:00", "members": [{"name": "\\ud83d\\ude00"}]}'),
]


def _requests() -> list[dict[str, Any]]:
    out = [{"call": c.call_id, "answers": c.answers_json, "now": c.now or FIXED_NOW, "id": c.id}
           for c in load_cases()]
    out += [{"call": call, "answers": text, "now": FIXED_NOW, "id": f"invalid: {call} {text}"}
            for call, text in INVALID]
    out += [{"call": call, "answers": text, "now": FIXED_NOW, "id": f"bound: {call} {text}"}
            for call, text in AT_THE_BOUNDS]
    out += [{"screen": True, "answers": c.answers_json, "now": c.now or FIXED_NOW, "id": f"screen: {c.name}"}
            for c in load_screen_cases()]
    out += [{"screen": True, "answers": c.answers_json, "now": FIXED_NOW, "id": f"invalid screen: {c.name}"}
            for c in load_screen_invalid()]
    out += [{"sme": True, "answers": c.figures_json, "id": c.id} for c in load_sme_cases()]
    out += [{"sme": True, "answers": c.figures_json, "id": f"invalid {c.id}"} for c in load_sme_invalid()]
    return out


def _cpython(request: dict[str, Any]) -> str:
    """What CPython's bridge answers to the request."""
    if request.get("sme"):
        return classify_json(request["answers"])
    if request.get("screen"):
        return screen_json(request["answers"], request["now"])
    return evaluate_json(request["call"], request["answers"], request["now"])


@pytest.fixture(scope="module")
def pyodide_run(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required for the Pyodide parity tests")
    requests = _requests()
    runtime = bundle.site_runtime(site_dir)
    stdlib = tmp_path_factory.mktemp("stdlib") / bundle.STDLIB
    stdlib.write_bytes(bundle.unpacked_stdlib(runtime))  # as the site's worker unpacks it for Pyodide
    proc = subprocess.run([node, str(HERE / "run_cases.mjs"), str(runtime), str(stdlib)],
                          input=json.dumps(requests), capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    data["requests"] = requests
    return data


def test_the_wheel_loads_from_the_site_without_errors(pyodide_run: dict[str, Any], site_dir: Path) -> None:
    assert pyodide_run["errors"] == []
    assert pyodide_run["python"].startswith("3.13.")
    # Imported from the site's wheel itself (zipimport), not from a source tree nor an installed copy.
    wheel = bundle.wheel_reference(bundle.site_runtime(site_dir))["name"]
    assert pyodide_run["checker_file"] == f"/lib/{wheel}/checker/__init__.pyc"
    # Every case ran on the compiled rules the wheel ships: no rules file was parsed in the browser.
    assert pyodide_run["parsed_toml"] is False
    # Nor is the code that reads a rules file imported for a call's first verdict (checker.compiled).
    assert pyodide_run["toml_path"] == []


def test_tracebacks_show_the_checkers_lines_and_none_for_the_standard_library(pyodide_run: dict[str, Any]) -> None:
    """The standard library ships without source locations (build_scripts/bundle.py, `without_locations`):
    a traceback through it still formats, with «line None» there and the checker's own line numbers."""
    traceback = pyodide_run["traceback"]
    assert re.search(r'json/decoder\.py", line None, in raw_decode', traceback), traceback
    assert "JSONDecodeError" in traceback
    assert re.search(r'checker/catalogue\.py", line \d+, in get', traceback), traceback


def test_there_are_cases_for_every_call(pyodide_run: dict[str, Any]) -> None:
    calls = {r["call"] for r in pyodide_run["requests"] if not r["id"].startswith("invalid") and "call" in r}
    assert calls == {"produzione-sostenibile-2024", "filiere-2022"}
    assert len(pyodide_run["results"]) == len(pyodide_run["requests"])


def test_every_case_gives_the_same_json_in_pyodide_and_cpython(pyodide_run: dict[str, Any]) -> None:
    mismatches = []
    for request, browser in zip(pyodide_run["requests"], pyodide_run["results"], strict=True):
        expected = _cpython(request)
        if browser != expected:
            mismatches.append(f"{request['id']}:\n  pyodide: {browser[:300]}\n  cpython: {expected[:300]}")
    assert not mismatches, f"{len(mismatches)} differences:\n" + "\n".join(mismatches)


def test_invalid_answers_are_errors_with_a_path(pyodide_run: dict[str, Any]) -> None:
    by_id = dict(zip((r["id"] for r in pyodide_run["requests"]), pyodide_run["results"], strict=True))
    reply = json.loads(by_id['invalid: produzione-sostenibile-2024 {"members": [{"size": "huge"}]}'])
    assert reply["error"]["path"] == "members[0].size"
    assert all("error" in json.loads(by_id[f"invalid: {c} {t}"]) for c, t in INVALID)


def test_screening_gives_the_same_json_in_pyodide(pyodide_run: dict[str, Any]) -> None:
    """The screening cases ran in Pyodide through `screen_json`: one result a call, in order; invalid profiles
    are errors with their paths."""
    by_id = dict(zip((r["id"] for r in pyodide_run["requests"]), pyodide_run["results"], strict=True))
    cases, invalid = load_screen_cases(), load_screen_invalid()
    assert cases and invalid
    for case in cases:
        results = json.loads(by_id[f"screen: {case.name}"])["results"]
        assert [r["call"] for r in results] == list(case.expect)
        assert compare_screen(case, results) == [], case.name
    for bad in invalid:
        assert json.loads(by_id[f"invalid screen: {bad.name}"])["error"]["path"] == bad.error


def test_the_sme_class_is_the_same_in_pyodide(pyodide_run: dict[str, Any]) -> None:
    """The SME class cases (tests/cases/_sme/) ran in Pyodide through `classify_json`, byte for byte as in
    CPython (the test above); here their expectations hold there too."""
    by_id = dict(zip((r["id"] for r in pyodide_run["requests"]), pyodide_run["results"], strict=True))
    cases, invalid = load_sme_cases(), load_sme_invalid()
    assert cases and invalid
    for case in cases:
        assert compare_sme(case, json.loads(by_id[case.id])["result"]) == [], case.name
    for bad in invalid:
        assert json.loads(by_id[f"invalid {bad.id}"])["error"]["path"] == bad.error, bad.name
