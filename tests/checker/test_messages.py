"""Messages a person can read, on the command line and in the browser (through the bridge).

- the field path once («lead_parter: chiave sconosciuta…», never «lead_parter: lead_parter: …»);
- no English from Python's `json` or `tomllib`: their messages in Italian, the line and column kept;
- an Italian amount in a file (`"12.500,00"`, `"1.500"`) explained, with the plain decimal to write;
- a bad value quoted shortened (a 10 MB key gave a 20 MB message), control characters and lone
  surrogates escaped;
- one broken rules file does not stop `python -m checker calls` or the other call, and is named.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest

import checker
from checker import __main__ as cli
from checker import catalogue, loader, toml_text
from checker.answers import JSON_MESSAGES, loads_json
from checker.bridge import evaluate_json
from checker.errors import AnswersError, CheckerError, RulesError, UnknownCallError, quote, shorten
from checker.limits import QUOTE_CHARS

ROOT = Path(__file__).resolve().parents[2]
PS = "produzione-sostenibile-2024"
FIL = "filiere-2022"


def bridge_error(call_id: str, text: str) -> dict[str, str]:
    reply = json.loads(evaluate_json(call_id, text))
    assert set(reply) == {"error"}, reply
    error: dict[str, str] = reply["error"]
    return error


def cli_run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(stdin))), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


# --- the path once ------------------------------------------------------------------------------

@pytest.mark.parametrize(("call_id", "answers", "path", "message"), [
    (FIL, {"lead_parter": True}, "lead_parter", "chiave sconosciuta «lead_parter»; chiavi ammesse: submitted_at, "
                                                "members, areas, expenses, lead_partner, shared_objectives, strategy"),
    (PS, {"expenses": {"equipment": "12.500,00"}}, "expenses.equipment",
     "«12.500,00» sembra un importo in formato italiano: nel file usa \"12500.00\" (il punto separa i decimali, le "
     "migliaia non si separano)"),
    (PS, {"members": [{}, {"size": "tiny"}]}, "members[1].size",
     "valore «tiny» non ammesso; valori ammessi: micro, small, medium, large, other"),
    (FIL, {"duration_months": 12}, "duration_months", "«duration_months» riguarda il bando "
                                                      "produzione-sostenibile-2024, non filiere-2022"),
])
def test_the_path_is_named_once(call_id: str, answers: Any, path: str, message: str) -> None:
    """The bridge gives the path and the message apart (the page writes «path: message»); the command
    line and the API write the path once, before the message."""
    assert bridge_error(call_id, json.dumps(answers)) == {"path": path, "message": message}
    with pytest.raises(AnswersError) as err:
        checker.evaluate(call_id, answers)
    assert str(err.value) == f"{path}: {message}"
    code, out, stderr = cli_run(["evaluate", call_id], json.dumps(answers).encode())
    assert (code, out, stderr) == (2, "", f"errore: {path}: {message}\n")


def test_the_bridge_names_no_path_for_the_call_or_the_time() -> None:
    assert bridge_error("nessuno", "{}") == {"path": "", "message": "bando sconosciuto «nessuno»; bandi disponibili: "
                                                                   "filiere-2022, produzione-sostenibile-2024"}
    now = json.loads(evaluate_json(FIL, "{}", "ieri"))["error"]
    assert now == {"path": "now", "message": "«ieri» non è una data e ora ISO 8601"}


def test_the_page_writes_the_path_before_the_bridges_message() -> None:
    """The page prefixes `path: ` to the bridge's message (deep link, upload): the bridge must not."""
    script = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "assets" / "checker").glob("*.js"))
    assert script.count("error.path ? `${error.path}: ` : \"\"") + script.count(
        "reply.error.path ? `${reply.error.path}: ` : \"\"") == 2


# --- json and tomllib in Italian ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("", "riga 1, colonna 1: manca un valore"),
    ("{", "riga 1, colonna 2: serve il nome di una chiave tra virgolette doppie"),
    ('{"a" 1}', "riga 1, colonna 6: manca «:» dopo il nome della chiave"),
    ('{"areas": ["credit"]\n "lead_partner": true}', "riga 2, colonna 2: manca una virgola tra due elementi"),
    ("{a: 1}", "riga 1, colonna 2: serve il nome di una chiave tra virgolette doppie"),
    ('"abc', "riga 1, colonna 1: testo tra virgolette non chiuso"),
    ('{"a": "x\ny"}', "riga 1, colonna 9: carattere di controllo in un testo (scrivilo come \\n, \\t...)"),
    ('{"a": "\\q"}', "riga 1, colonna 8: sequenza con «\\» non valida"),
    ('{"a": "\\u12"}', "riga 1, colonna 9: sequenza «\\u» non valida: servono quattro cifre esadecimali"),
    ("{} {}", "riga 1, colonna 4: altro testo dopo la fine del JSON"),
    ("\ufeff{}", "riga 1, colonna 1: il testo comincia con un BOM UTF-8"),
])
def test_json_errors_in_italian(text: str, expected: str) -> None:
    with pytest.raises(AnswersError) as err:
        loads_json(text)
    assert err.value.message == f"JSON non valido alla {expected}"


def test_every_message_of_json_is_translated() -> None:
    """The trailing comma has its own message from Python 3.13 on; before, «Expecting value» and
    «Expecting property name…» (translated too)."""
    for text in ("[1,]", '{"a": 1,}', "[1 2]", "nul"):
        with pytest.raises(AnswersError) as err:
            loads_json(text)
        assert err.value.message.split(": ", 1)[1] in JSON_MESSAGES.values(), err.value.message
    with pytest.raises(AnswersError) as err:
        loads_json(None)  # type: ignore[arg-type]
    assert err.value.message == "le risposte devono essere un testo JSON"


TOML = (ROOT / "checker" / "calls" / f"{PS}.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("broken", "line", "message"), [
    ("x\n", 1, "TOML non valido alla colonna 2: manca «=» dopo la chiave"),
    ("= 3\n", 1, "TOML non valido alla colonna 1: istruzione non valida"),
    ("a = 1 b = 2\n", 1, "TOML non valido alla colonna 7: dopo un’istruzione si va a capo"),
    ("a = [1 2]\n", 1, "TOML non valido alla colonna 8: elenco non chiuso"),
    ("a = \"x\n", 1, "TOML non valido alla colonna 7: carattere non ammesso «\\n»"),
    ("a = \"\"\"x\n", None, "TOML non valido alla fine del file: testo tra virgolette non chiuso"),
    ("a = \"\\q\"\n", 1, "TOML non valido alla colonna 8: «\\» non seguito da una sequenza valida in un testo"),
    ("a = 1\na = 2\n", 2, "TOML non valido alla colonna 6: un valore già definito non si può ridefinire"),
    ("a = {b = 1, b = 2}\n", 1, "TOML non valido alla colonna 18: chiave «b» ripetuta nella tabella in linea"),
    ("[t]\n[t]\n", 2, "TOML non valido alla colonna 3: la tabella «t» è dichiarata due volte"),
    ("a = 2025-02-30\n", 1, "TOML non valido alla colonna 5: data o data e ora non valida"),
    ("a = ?\n", 1, "TOML non valido alla colonna 5: valore non valido"),
    ("[a\n", 1, "TOML non valido alla colonna 3: manca «]» alla fine dell’intestazione"),
    ("a = \"\x01\"\n", 1, "TOML non valido alla colonna 6: carattere non ammesso «\\x01»"),
    ("a = 1", None, None),
])
def test_toml_errors_in_italian(broken: str, line: int | None, message: str | None) -> None:
    """At the start of a rules file (so the line and column are those of the snippet)."""
    text = broken + "\n" + TOML
    if message is None:  # valid TOML: the loader's own error, in Italian already
        with pytest.raises(RulesError) as err:
            loader.loads(text, "regole.toml")
        assert "chiave sconosciuta «a»" in err.value.message
        return
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    with pytest.raises(RulesError) as err:
        loader.loads(text, "regole.toml")
    assert (err.value.line, err.value.message) == (line, message), str(err.value)
    assert str(err.value) == "regole.toml" + (f", riga {line}" if line else "") + f": {message}"


def test_toml_error_at_the_end_of_the_file() -> None:
    with pytest.raises(RulesError) as err:
        loader.loads(TOML + "\nx = ", "regole.toml")
    assert (err.value.line, err.value.message) == (None, "TOML non valido alla fine del file: valore non valido")
    assert toml_text.toml_error("Something new (at line 3, column 4)") == (
        "TOML non valido alla colonna 4: sintassi non valida", 3)


# --- Italian amounts in a file ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "plain"), [
    ("12.500,00", "12500.00"), ("1.500", "1500"), ("12,5", "12.50"), ("1.234.567,89", "1234567.89"),
    ("12 500", "12500"), ("100.000", "100000"), ("0,07", "0.07"),
])
def test_an_italian_amount_is_explained(text: str, plain: str) -> None:
    with pytest.raises(AnswersError) as err:
        checker.evaluate(FIL, {"expenses": {"sme": text}})
    assert err.value.message == (f"«{text}» sembra un importo in formato italiano: nel file usa \"{plain}\" "
                                 "(il punto separa i decimali, le migliaia non si separano)")
    assert checker.evaluate(FIL, {"expenses": {"sme": plain}})["grant"] is not None  # the suggestion is valid


@pytest.mark.parametrize("text", ["1.2345", "12.5.0", "1,000,000", "12,505", "€ 100", "1 00", "1.50.000"])
def test_other_bad_amount_texts_are_not_called_italian(text: str) -> None:
    with pytest.raises(AnswersError) as err:
        checker.evaluate(FIL, {"expenses": {"sme": text}})
    assert err.value.message == f"«{text}» non è un importo valido: usa un decimale semplice, ad esempio \"12500.00\""


# --- values quoted shortened --------------------------------------------------------------------

def test_shorten_and_quote() -> None:
    assert shorten("x" * QUOTE_CHARS) == "x" * QUOTE_CHARS
    assert shorten("x" * (QUOTE_CHARS + 1)) == "x" * QUOTE_CHARS + "…"
    assert quote("a\nb\ud800\x00") == "«a\\nb\\ud800\\x00»"
    assert quote(10**5000) == "«1.000e+5000»" and quote(12) == "«12»" and quote(None) == "«null»"
    assert quote(True) == "«true»" and quote({"a": [1, "b"]}) == '«{"a": [1, "b"]}»'
    cycle: list[Any] = []
    cycle.append(cycle)
    assert quote(cycle) == "«<list>»"


@pytest.mark.parametrize("answers", [
    {"k" * 10_000_000: 1},
    {"members": [{"k" * 10_000_000: 1}]},
    {"expenses": {"k" * 10_000_000: 1}},
    {"members": [{"size": "s" * 10_000_000}]},
    {"areas": ["a" * 10_000_000]},
    {"expenses": {"sme": "1" * 10_000_000 + "x"}},
    {"submitted_at": "2022-02-30T10:00:00"},
])
def test_a_bad_value_is_quoted_shortened(answers: dict[str, Any]) -> None:
    """A 10 MB key gave a 20 MB message (the path and the quote): now a few dozen characters of it."""
    for call_id in (FIL, PS):
        with pytest.raises(AnswersError) as err:
            checker.evaluate(call_id, answers)
        assert len(str(err.value)) < 300, str(err.value)[:300]
        assert len(err.value.path) < 100
        reply = evaluate_json(call_id, json.dumps(answers))
        assert len(reply) < 400


def test_a_repeated_long_key_is_quoted_shortened() -> None:
    key = "k" * 1_000_000
    error = bridge_error(FIL, f'{{"{key}": 1, "{key}": 2}}')
    assert error == {"path": "k" * QUOTE_CHARS + "…", "message": f"chiave «{'k' * QUOTE_CHARS}…» ripetuta"}


def test_a_lone_surrogate_is_refused_where_the_result_would_show_it() -> None:
    """A member's name is shown back in the messages: UTF-8 cannot write half a surrogate pair."""
    for text in ('{"members": [{"name": "Alfa \\ud800"}]}', '{"members": [{"name": "\\udfff"}]}'):
        error = bridge_error(FIL, text)
        assert error["path"] == "members[0].name"
        assert "surrogato" in error["message"] and error["message"].encode("utf-8")
    ok = json.loads(evaluate_json(FIL, '{"members": [{"name": "\\ud83d\\ude00 Alfa"}]}'))  # a whole pair: 😀
    assert "result" in ok
    # Elsewhere a lone surrogate is just a bad value, quoted escaped.
    assert bridge_error(FIL, '{"\\ud800": 1}')["message"].startswith("chiave sconosciuta «\\ud800»")


def test_an_unknown_call_that_is_not_a_text() -> None:
    for call_id in ([], {}, None, 7):
        with pytest.raises(UnknownCallError) as err:
            checker.evaluate(call_id, {})  # type: ignore[arg-type]
        assert str(err.value).startswith("bando sconosciuto «")


# --- a broken rules file ------------------------------------------------------------------------

@pytest.fixture
def a_broken_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shipped rules plus `rotto-2099.toml`, a file that is not TOML, as the package's rules."""
    for call_id in catalogue.call_ids():
        shutil.copy(ROOT / "checker" / "calls" / f"{call_id}.toml", tmp_path)
    (tmp_path / "rotto-2099.toml").write_text('id = "rotto-2099"\ntitle = \n', encoding="utf-8")
    monkeypatch.setattr(catalogue, "_bundled", lambda: tmp_path)
    catalogue.call_ids.cache_clear()
    catalogue.get.cache_clear()
    yield
    catalogue.call_ids.cache_clear()
    catalogue.get.cache_clear()


@pytest.mark.usefixtures("a_broken_call")
def test_a_broken_rules_file_is_named_and_the_other_calls_still_work() -> None:
    assert catalogue.call_ids() == (FIL, PS, "rotto-2099")
    code, out, err = cli_run(["calls"])
    assert code == 2
    assert [line.split("\t")[0] for line in out.splitlines()] == [FIL, PS]
    assert err == "errore: calls/rotto-2099.toml, riga 2: TOML non valido alla colonna 9: valore non valido\n"
    # An unknown key is looked up in the other calls' keys: the broken one is skipped.
    assert bridge_error(FIL, '{"duration_months": 1}')["message"].startswith("«duration_months» riguarda il bando")
    assert bridge_error(FIL, '{"colour": 1}')["message"].startswith("chiave sconosciuta «colour»")
    code, out, err = cli_run(["evaluate", PS], b'{"lead_partner": true}')
    assert (code, out) == (2, "") and "riguarda il bando filiere-2022" in err
    assert checker.evaluate(FIL, {"submitted_at": "2022-12-31T16:00:00"})["verdict"] == "incomplete"
    with pytest.raises(CheckerError) as broken:
        checker.evaluate("rotto-2099", {})
    assert str(broken.value).startswith("calls/rotto-2099.toml, riga 2: TOML non valido")
    assert bridge_error("rotto-2099", "{}") == {"path": "", "message": str(broken.value)}
    code, out, err = cli_run(["evaluate", "rotto-2099"], b"{}")
    assert (code, out, err) == (2, "", f"errore: {broken.value}\n")
