"""The command line, run for real (`python -m checker ...` in a subprocess).

Bad input: exit status 2, exactly one line on standard error naming the offending
path, nothing on standard output, never a traceback. Good input: exit status 0
whatever the verdict.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PS = "produzione-sostenibile-2024"
FIL = "filiere-2022"
Runs = dict[tuple[str, str], subprocess.CompletedProcess[str]]
ELIGIBLE_PS = {
    "submitted_at": "2025-01-15T11:00:00",
    "intervention_in_lombardy": True, "technical_report": True, "duration_months": 12,
    "areas": ["eco-design", "by-products"],
    "members": [{"name": n, "size": "small", "lombardy_site": True, "financial_statements": 2,
                 "signed_agreement": True} for n in ("Alfa", "Beta", "Gamma", "Delta", "Epsilon")],
    "expenses": {"consultancy": "20000", "equipment": "100000", "materials": "40000", "training": "20000"},
}


def run(*args: str, stdin: bytes | str = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    # A strict UTF-8 standard input, as on a developer's machine: the command must decode it itself.
    env = os.environ | {"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"} | (env or {})
    proc = subprocess.run([sys.executable, "-m", "checker", *args], input=data, capture_output=True, cwd=ROOT,
                          env=env, check=False, timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def assert_bad(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and proc.stderr.endswith("\n"), proc.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


BAD_ANSWERS = [
    # (call, answers text, text the one error line must contain)
    (PS, "{", "JSON non valido"),
    (PS, "", "JSON non valido"),
    (PS, "[]", "oggetto JSON"),
    (PS, '{"areas": ["eco-design"],}', "JSON non valido"),
    (PS, '{"colour": "red"}', "colour"),
    (PS, '{"members": [{"size": "micro"}, {"size": "small"}, {"size": "huge"}]}', "members[2].size"),
    (PS, '{"members": [{}, {}, {"sise": "small"}]}', "members[2].sise"),
    (PS, '{"expenses": {"indirect": "100"}}', "expenses.indirect"),
    (PS, '{"expenses": {"sme": "100"}}', "expenses.sme"),
    (PS, '{"lead_partner": true}', "lead_partner"),
    (FIL, '{"duration_months": 12}', "duration_months"),
    (FIL, '{"members": [{"size": "micro", "signed_agreement": true}]}', "members[0].signed_agreement"),
    (PS, '{"members": {"size": "micro"}}', "members"),
    (PS, '{"members": ["micro"]}', "members[0]"),
    (PS, '{"members": [{"size": "micro", "lombardy_site": "sì"}]}', "members[0].lombardy_site"),
    (PS, '{"members": [{"size": "micro", "financial_statements": 2.5}]}', "members[0].financial_statements"),
    (PS, '{"members": [{"size": "micro", "financial_statements": true}]}', "members[0].financial_statements"),
    (PS, '{"members": [{"name": 7}]}', "members[0].name"),
    (PS, '{"technical_report": "yes"}', "technical_report"),
    (PS, '{"technical_report": 1}', "technical_report"),
    (PS, '{"duration_months": 12.5}', "duration_months"),
    (PS, '{"duration_months": "12"}', "duration_months"),
    (PS, '{"duration_months": true}', "duration_months"),
    (PS, '{"duration_months": 0}', "duration_months"),
    (PS, '{"areas": "eco-design"}', "areas"),
    (PS, '{"areas": ["eco-design", "eco-design"]}', "areas[1]"),
    (PS, '{"areas": ["sustainability"]}', "areas[0]"),
    (PS, '{"expenses": []}', "expenses"),
    (PS, '{"expenses": {"equipment": -1}}', "expenses.equipment"),
    (PS, '{"expenses": {"equipment": -0.01}}', "expenses.equipment"),
    (PS, '{"expenses": {"equipment": "-5"}}', "expenses.equipment"),
    (PS, '{"expenses": {"equipment": 1.005}}', "expenses.equipment"),
    (PS, '{"expenses": {"equipment": "1.005"}}', "expenses.equipment"),
    (PS, '{"expenses": {"equipment": NaN}}', "expenses.equipment"),
    (PS, '{"expenses": {"equipment": Infinity}}', "expenses.equipment"),
    (PS, '{"expenses": {"equipment": -Infinity}}', "expenses.equipment"),
    (PS, '{"expenses": {"equipment": 1e999}}', "expenses.equipment"),
    (FIL, '{"expenses": {"sme": "12.500,00"}}', "expenses.sme"),
    (FIL, '{"expenses": {"sme": "1 000"}}', "expenses.sme"),
    (FIL, '{"expenses": {"sme": "€ 100"}}', "expenses.sme"),
    (FIL, '{"expenses": {"sme": "100\\n"}}', "expenses.sme"),
    (FIL, '{"expenses": {"sme": "١٠٠"}}', "expenses.sme"),
    (FIL, '{"expenses": {"sme": ""}}', "expenses.sme"),
    (FIL, '{"expenses": {"sme": true}}', "expenses.sme"),
    (FIL, '{"expenses": {"large": false}}', "expenses.large"),
    (FIL, '{"expenses": {"sme": null}}', "expenses.sme"),
    (FIL, '{"lead_partner": null}', "lead_partner"),
    (FIL, '{"submitted_at": "domani"}', "submitted_at"),
    (FIL, '{"submitted_at": "2022-02-30T10:00:00"}', "submitted_at"),
    (FIL, '{"submitted_at": "2022-12-31"}', "submitted_at"),
    (FIL, '{"submitted_at": "2022-12-31 16:00:00"}', "submitted_at"),
    (FIL, '{"submitted_at": "2022-12-31T16:00:00+25:00"}', "submitted_at"),
    (FIL, '{"submitted_at": 1672498800}', "submitted_at"),
    (FIL, '{"submitted_at": "2022-12-31T16:00:00\\n"}', "submitted_at"),
    (FIL, "[" * 100000, "JSON"),
    (FIL, '{"areas": ["credit"], "areas": []}', "areas"),
    (FIL, '{"members": [{"size": "micro", "size": "large"}]}', "members[0].size"),
    (FIL, '{"expenses": {"sme": 1, "large": 2, "sme": 3}}', "expenses.sme"),
    (FIL, '{"expenses": {"sme": 1' + "0" * 5000 + "}}", "expenses.sme"),
    (PS, '{"duration_months": 1' + "0" * 5000 + "}", "duration_months"),
    (PS, '{"members": [{"financial_statements": 1' + "0" * 5000 + "}]}", "members[0].financial_statements"),
    (PS, '{"duration_months": 1000}', "duration_months: deve essere un numero intero da 1 a 999, non 1000"),
    (FIL, '{"expenses": {"sme": "1000000000000"}}', "expenses.sme: importo troppo grande"),
    (FIL, '{"submitted_at": "9999-12-31T23:59:59Z"}', "submitted_at: l’anno deve essere tra 1900 e 2999"),
    (FIL, '{"submitted_at": "0001-01-01T00:00:00+01:00"}', "submitted_at: l’anno deve essere tra 1900 e 2999"),
    (FIL, '{"members": [{"name": "\\ud800"}]}', "members[0].name: il testo contiene un carattere non valido (\\ud800"),
    (FIL, '{"\\udc00": 1}', "chiave sconosciuta «\\udc00»"),
    (FIL, '{"expenses": {"sme": "12.500,00"}}', "sembra un importo in formato italiano: nel file usa \"12500.00\""),
    (FIL, '{"a" 1}', "JSON non valido alla riga 1, colonna 6: manca «:» dopo il nome della chiave"),
]


@pytest.fixture(scope="module")
def bad_runs() -> Runs:
    """All the bad answers, run a few processes at a time (each is still its own `python -m checker`)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        procs = pool.map(lambda item: run("evaluate", item[0], "-", stdin=item[1]), BAD_ANSWERS)
        return {(c, t): proc for (c, t, _), proc in zip(BAD_ANSWERS, procs, strict=True)}


@pytest.mark.parametrize(("call_id", "text", "needle"), BAD_ANSWERS, ids=[f"{c}:{t[:40]}" for c, t, _ in BAD_ANSWERS])
def test_bad_answers_exit_2_with_one_line(bad_runs: Runs, call_id: str, text: str, needle: str) -> None:
    assert_bad(bad_runs[call_id, text], needle)


def test_unknown_call() -> None:
    assert_bad(run("evaluate", "bando-2099", stdin="{}"), "bando-2099", PS, FIL)
    assert_bad(run("schema", "bando-2099"), "bando-2099")


def test_not_utf8_on_stdin_and_in_a_file(tmp_path: Path) -> None:
    assert_bad(run("evaluate", FIL, stdin=b"\xff\xfe{}"), "UTF-8")
    bad = tmp_path / "answers.json"
    bad.write_bytes(b'{"areas": ["\xe0"]}')
    assert_bad(run("evaluate", FIL, str(bad)), str(bad), "UTF-8")


def test_output_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """`PYTHONIOENCODING=latin-1` (or a C locale) cannot encode «’» or «€»: the output is UTF-8 anyway."""
    env = {"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}
    for args in (("evaluate", PS), ("evaluate", PS, "--format", "text")):
        proc = run(*args, stdin=json.dumps(ELIGIBLE_PS), env=env)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        assert "€ 115.560,00" in proc.stdout or json.loads(proc.stdout)["grant"]["amount"] == 115560.0
        assert "’" in proc.stdout
    bad = run("evaluate", PS, stdin='{"expenses": {"equipment": -1}}', env=env)
    assert_bad(bad, "expenses.equipment: l’importo non può essere negativo (-1)")
    assert run("calls", env=env).stdout.splitlines()[1].endswith("Sostegno all’adozione di modelli di produzione "
                                                                 "sostenibile")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    answers = tmp_path / "risposte.json"
    answers.write_bytes(b"\xef\xbb\xbf" + json.dumps(ELIGIBLE_PS).encode())
    for proc in (run("evaluate", PS, str(answers)), run("evaluate", PS, stdin=answers.read_bytes())):
        assert proc.returncode == 0 and proc.stderr == ""
        assert json.loads(proc.stdout)["verdict"] == "eligible"


def test_a_reader_that_goes_away_is_no_traceback() -> None:
    """`python -m checker evaluate ... | head -1`: the pipe closes before the result is written."""
    env = os.environ | {"PYTHONIOENCODING": "utf-8:strict"}
    proc = subprocess.Popen([sys.executable, "-m", "checker", "evaluate", FIL], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.close()  # no reader: the first write fails
    proc.stdin.write(b"{}")
    proc.stdin.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert stderr == ""


def test_missing_file(tmp_path: Path) -> None:
    assert_bad(run("evaluate", FIL, str(tmp_path / "nope.json")), "nope.json")
    assert_bad(run("evaluate", FIL, str(tmp_path)), str(tmp_path))


def test_bad_command_line() -> None:
    assert_bad(run())
    assert_bad(run("evaluate"))
    assert_bad(run("evaluate", FIL, "--format", "xml"), "xml")
    assert_bad(run("frobnicate"))


def test_calls_lists_ids_and_titles() -> None:
    proc = run("calls")
    assert proc.returncode == 0 and proc.stderr == ""
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert [r[0] for r in rows] == [FIL, PS]
    assert rows[1][1] == "Sostegno all’adozione di modelli di produzione sostenibile"
    assert rows[0][1].startswith("Manifestazione di interesse per lo sviluppo e consolidamento delle filiere")


def test_schema_prints_the_json_schema() -> None:
    proc = run("schema", PS)
    assert proc.returncode == 0 and proc.stderr == ""
    schema = json.loads(proc.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "duration_months" in schema["properties"] and "lead_partner" not in schema["properties"]


def test_evaluate_from_a_file_from_stdin_and_without_file(tmp_path: Path) -> None:
    answers = tmp_path / "risposte.json"
    answers.write_text(json.dumps(ELIGIBLE_PS), encoding="utf-8")
    outputs = [run("evaluate", PS, str(answers)), run("evaluate", PS, "-", stdin=json.dumps(ELIGIBLE_PS)),
               run("evaluate", PS, stdin=json.dumps(ELIGIBLE_PS))]
    for proc in outputs:
        assert proc.returncode == 0 and proc.stderr == ""
    result = json.loads(outputs[0].stdout)
    assert all(json.loads(p.stdout) == result for p in outputs)
    assert result["verdict"] == "eligible"
    assert result["grant"]["amount"] == 115560.00
    assert result["window"] == {"status": "open", "opens_at": "2024-12-03T10:00:00+01:00",
                                "closes_at": "2025-04-03T16:00:00+02:00", "evaluated_at": "2025-01-15T11:00:00+01:00"}


def test_exit_0_whatever_the_verdict() -> None:
    late = run("evaluate", FIL, stdin='{"submitted_at": "2023-01-01T00:00:00"}')
    assert late.returncode == 0 and json.loads(late.stdout)["verdict"] == "not_eligible"
    empty = run("evaluate", FIL, stdin='{"submitted_at": "2022-06-01T00:00:00"}')
    assert empty.returncode == 0 and json.loads(empty.stdout)["verdict"] == "incomplete"


def test_format_text_is_readable_italian() -> None:
    proc = run("evaluate", PS, "--format", "text", stdin=json.dumps(ELIGIBLE_PS))
    assert proc.returncode == 0 and proc.stderr == ""
    out = proc.stdout
    assert "Esito: AMMISSIBILE" in out
    assert "[sì] Almeno 5 MPMI beneficiarie nell’aggregazione" in out
    assert "Sportello: aperto" in out
    for figure in ("€ 192.600,00", "€ 115.560,00", "€ 300.000,00", "€ 12.600,00"):
        assert figure in out, figure
    late = run("evaluate", PS, "--format", "text", stdin='{"submitted_at": "2025-04-03T16:00:01", "areas": []}')
    assert late.returncode == 0
    assert "NON AMMISSIBILE" in late.stdout and "[no] Presentazione nei termini" in late.stdout
    assert "[? ]" in late.stdout and "indica le spese" in late.stdout.lower()
