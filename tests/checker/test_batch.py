"""`python -m checker batch CALL_ID [FILE]`: JSON Lines in, one line out for each line that is not blank.

Each output line is the line's result object (exactly what `evaluate` prints, on one line) or
`{"line": N, "error": "..."}`; a bad line does not stop the others. Exit status 0 when every line
was valid, 2 when one was not. `--format csv`: a header and one row a line; for an invalid line
the row holds its number and empty fields, and the error goes to standard error as
`errore: riga N: ...`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from test_cli import ELIGIBLE_PS, FIL, PS, ROOT, assert_bad, run

from checker import __main__ as cli

HEADER = "line,verdict,amount,cap,eligible_costs,failed_checks"
LATE_FIL = {"submitted_at": "2023-01-01T00:00:00", "areas": []}  # fails the window and the areas
OPEN_FIL = {"submitted_at": "2022-12-01T09:00:00", "lead_partner": True, "expenses": {"sme": "1000.50"}}


def jsonl(*lines: object) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


def evaluated(call_id: str, answers: object) -> object:
    proc = run("evaluate", call_id, stdin=json.dumps(answers))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def in_process(argv: list[str], data: bytes) -> tuple[int, str, str]:
    stdin = SimpleNamespace(buffer=io.BytesIO(data))
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(sys, "stdin", stdin), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def test_one_result_a_line_each_the_result_of_evaluate(tmp_path: Path) -> None:
    text = jsonl(ELIGIBLE_PS, {"submitted_at": "2025-04-03T16:00:01"}, ELIGIBLE_PS | {"duration_months": 30})
    answers = tmp_path / "risposte.jsonl"
    answers.write_text(text, encoding="utf-8")
    for proc in (run("batch", PS, str(answers)), run("batch", PS, stdin=text), run("batch", PS, "-", stdin=text)):
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        lines = proc.stdout.splitlines()
        assert len(lines) == 3 and proc.stdout.endswith("\n")
        assert [json.loads(line)["verdict"] for line in lines] == ["eligible", "not_eligible", "not_eligible"]
    assert json.loads(lines[0]) == evaluated(PS, ELIGIBLE_PS)
    assert json.loads(lines[2]) == evaluated(PS, ELIGIBLE_PS | {"duration_months": 30})


def test_a_bad_line_is_an_error_in_its_place_and_the_others_go_on() -> None:
    text = jsonl(OPEN_FIL, "", "   \t", '{"colour": 1}', "{", '{"duration_months": 12}', "[]", LATE_FIL,
                 '{"a" 1}', '{"members": [{}, {"size": "huge"}]}')
    proc = run("batch", FIL, stdin=text)
    assert proc.returncode == 2 and proc.stderr == ""
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 8  # the two blank lines give nothing
    assert rows[0] == evaluated(FIL, OPEN_FIL)
    assert rows[1] == {"line": 4, "error": "colour: chiave sconosciuta «colour»; chiavi ammesse: submitted_at, "
                                           "members, areas, expenses, lead_partner, shared_objectives, strategy"}
    assert rows[2] == {"line": 5, "error": "risposte: JSON non valido alla colonna 2: serve il nome di una chiave "
                                           "tra virgolette doppie"}
    assert rows[3] == {"line": 6, "error": "duration_months: «duration_months» riguarda il bando "
                                           "produzione-sostenibile-2024, non filiere-2022"}
    assert rows[4] == {"line": 7, "error": "risposte: le risposte devono essere un oggetto JSON, ad esempio {}"}
    assert rows[5] == evaluated(FIL, LATE_FIL)
    # A line is one JSON text: a syntax error is at a column of the line (its line number is `line`).
    assert rows[6] == {"line": 9, "error": "risposte: JSON non valido alla colonna 6: manca «:» dopo il nome "
                                           "della chiave"}
    assert rows[7]["line"] == 10 and rows[7]["error"].startswith("members[1].size: valore «huge» non ammesso")


def test_every_line_valid_exits_0_whatever_the_verdicts() -> None:
    proc = run("batch", FIL, stdin=jsonl(LATE_FIL, {}, OPEN_FIL))
    assert proc.returncode == 0 and proc.stderr == ""
    assert [json.loads(line)["verdict"] for line in proc.stdout.splitlines()] == ["not_eligible", "not_eligible",
                                                                                 "incomplete"]


def test_csv_header_and_rows() -> None:
    text = jsonl(ELIGIBLE_PS, "", {"colour": 1}, {"submitted_at": "2025-04-03T16:00:01", "areas": []},
                 {"submitted_at": "2025-01-15T11:00:00", "expenses": {"equipment": "1000.5"}})
    proc = run("batch", PS, "--format", "csv", stdin=text)
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        HEADER,
        "1,eligible,115560.00,300000.00,192600.00,",
        "3,,,,,",
        "4,not_eligible,,,,finestra ambiti",
        # 1,000.50 + 7% (70.035, half up 70.04) = 1,070.54, under the 50,000 minimum; 60% = 642.324 -> 642.32
        "5,not_eligible,642.32,300000.00,1070.54,importo-minimo",
    ]
    assert proc.stderr == "errore: riga 3: colour: chiave sconosciuta «colour»; chiavi ammesse: submitted_at, " \
                          "members, areas, expenses, intervention_in_lombardy, technical_report, duration_months\n"
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert list(rows[0]) == HEADER.split(",")
    valid = run("batch", PS, "--format", "csv", stdin=jsonl(ELIGIBLE_PS))
    assert valid.returncode == 0 and valid.stderr == ""


def test_no_line_at_all() -> None:
    for args, out in ((("batch", FIL), ""), (("batch", FIL, "--format", "csv"), HEADER + "\n")):
        for stdin in ("", "\n\n  \n"):
            proc = run(*args, stdin=stdin)
            assert (proc.returncode, proc.stdout, proc.stderr) == (0, out, "")


def test_a_byte_order_mark_crlf_and_a_last_line_without_newline(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + json.dumps(OPEN_FIL).encode() + b"\r\n\r\n" + json.dumps(LATE_FIL).encode()
    answers = tmp_path / "risposte.jsonl"
    answers.write_bytes(data)
    for proc in (run("batch", FIL, str(answers)), run("batch", FIL, stdin=data)):
        assert proc.returncode == 0 and proc.stderr == ""
        assert [json.loads(line) for line in proc.stdout.splitlines()] == [evaluated(FIL, OPEN_FIL),
                                                                           evaluated(FIL, LATE_FIL)]
    # Only the first line may start with a byte-order mark; on another line it is that line's error.
    proc = run("batch", FIL, stdin=b"{}\n\xef\xbb\xbf{}\n{}\n")
    assert proc.returncode == 2
    assert json.loads(proc.stdout.splitlines()[1]) == {"line": 2, "error": "risposte: JSON non valido alla colonna "
                                                                           "1: il testo comincia con un BOM UTF-8"}


def test_a_line_that_is_not_utf8_is_that_lines_error() -> None:
    proc = run("batch", FIL, stdin=b'{}\n{"areas": ["\xe0"]}\n{"areas": ["caf\xc3\xa8"]}\n')
    assert proc.returncode == 2
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines[1] == {"line": 2, "error": "il testo non è UTF-8"}
    assert lines[2]["line"] == 3 and "«cafè» sconosciuto" in lines[2]["error"]


def test_output_is_utf8_whatever_the_locale() -> None:
    env = {"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}
    proc = run("batch", PS, stdin=jsonl(ELIGIBLE_PS, {"expenses": {"equipment": -1}}), env=env)
    assert proc.returncode == 2 and "’" in proc.stdout
    assert json.loads(proc.stdout.splitlines()[1])["error"] == "expenses.equipment: l’importo non può essere " \
                                                                "negativo (-1)"
    csv_proc = run("batch", PS, "--format", "csv", stdin=jsonl({"expenses": {"equipment": -1}}), env=env)
    assert csv_proc.stderr == "errore: riga 1: expenses.equipment: l’importo non può essere negativo (-1)\n"


def test_unknown_call_missing_file_and_bad_command_line(tmp_path: Path) -> None:
    assert_bad(run("batch", "bando-2099", stdin="{}\n"), "bando sconosciuto «bando-2099»", PS, FIL)
    assert_bad(run("batch", FIL, str(tmp_path / "nope.jsonl")), "nope.jsonl", "impossibile leggere il file")
    assert_bad(run("batch", FIL, str(tmp_path)), str(tmp_path))
    assert_bad(run("batch"))
    assert_bad(run("batch", FIL, "--format", "text"), "text")


def test_it_streams_one_line_out_for_each_line_in() -> None:
    """Each result is written (and flushed) as soon as its line is read: a reader gets it before the next line."""
    env = os.environ | {"PYTHONIOENCODING": "utf-8:strict"}
    proc = subprocess.Popen([sys.executable, "-m", "checker", "batch", FIL, "--format", "csv"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline() == (HEADER + "\n").encode()
        for n in range(1, 4):
            proc.stdin.write(json.dumps(LATE_FIL).encode() + b"\n")
            proc.stdin.flush()
            assert proc.stdout.readline() == f"{n},not_eligible,,,,finestra ambiti\n".encode()
        proc.stdin.close()
        assert proc.stdout.read() == b""
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()


def test_a_reader_that_goes_away_is_no_traceback() -> None:
    """`python -m checker batch ... | head -1`."""
    env = os.environ | {"PYTHONIOENCODING": "utf-8:strict"}
    proc = subprocess.Popen([sys.executable, "-m", "checker", "batch", FIL], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.close()
    proc.stdin.write(jsonl(*[LATE_FIL] * 50).encode())
    proc.stdin.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert stderr == ""


@pytest.mark.parametrize("form", ["json", "csv"])
def test_in_process(form: str) -> None:
    data = jsonl(OPEN_FIL, "[1]", LATE_FIL).encode()
    code, out, err = in_process(["batch", FIL, "--format", form], data)
    assert code == 2
    lines = out.splitlines()
    if form == "json":
        assert err == ""
        assert json.loads(lines[1]) == {"line": 2, "error": "risposte: le risposte devono essere un oggetto JSON, "
                                                            "ad esempio {}"}
        assert json.loads(lines[2])["verdict"] == "not_eligible"
    else:
        assert lines == [HEADER, "1,incomplete,500.25,400000.00,1000.50,", "2,,,,,",
                         "3,not_eligible,,,,finestra ambiti"]
        assert err.startswith("errore: riga 2: risposte: le risposte devono essere") and err.count("\n") == 1
