"""Command line: `python -m checker evaluate CALL_ID [FILE]`, `python -m checker calls`,
`python -m checker screen [FILE]` (one profile, every call), `python -m checker batch CALL_ID [FILE]`
(JSON Lines, one answers object a line), `python -m checker pmi [--ula N] [--fatturato EURO] [--bilancio EURO]
[FILE]` (the SME class of an enterprise, checker/sme.py).

Bad input exits with status 2 and one sentence on standard error naming the
offending field path; never a traceback. `batch` goes on after a bad line: it writes
the error in the line's place, and exits with status 2 at the end.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

from . import catalogue, sme
from .answers import loads_json, parse_answers
from .engine import evaluate_parsed, result_json
from .errors import AnswersError, CheckerError
from .model import Rules
from .report import text_report
from .schema import answers_schema
from .screen import screen

# `batch --format csv`: the header, and the figures of the grant in its columns (empty when no estimate).
CSV_HEADER = ("line", "verdict", "amount", "cap", "eligible_costs", "failed_checks")
CSV_FIGURES = ("amount", "cap", "eligible_costs")
JSON_SPACE = " \t\r\n"  # a line holding only these is blank: skipped
# A line is one JSON text: its syntax errors are at «riga 1», which the line number replaces.
FIRST_ROW = re.compile(r"JSON non valido alla riga 1, colonna ")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"errore: {message} (vedi python -m checker --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m checker", description="Verifica di ammissibilità e stima del contributo.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMANDO")
    ev = sub.add_parser("evaluate", help="valuta un oggetto di risposte (formato v1)")
    ev.add_argument("call_id", metavar="CALL_ID", help="identificativo del bando")
    ev.add_argument("file", metavar="FILE", nargs="?", default="-", help="file JSON delle risposte; - o assente: stdin")
    ev.add_argument("--format", choices=("json", "text"), default="json", help="json (predefinito) o text")
    sub.add_parser("calls", help="elenca i bandi disponibili")
    sr = sub.add_parser("screen", help="valuta un profilo per tutti i bandi: le chiavi di ogni bando sono ammesse")
    sr.add_argument("file", metavar="FILE", nargs="?", default="-", help="file JSON del profilo; - o assente: stdin")
    ba = sub.add_parser("batch", help="valuta molte risposte, un oggetto JSON per riga (JSON Lines)")
    ba.add_argument("call_id", metavar="CALL_ID", help="identificativo del bando")
    ba.add_argument("file", metavar="FILE", nargs="?", default="-",
                    help="file JSON Lines, un oggetto di risposte per riga; - o assente: stdin")
    ba.add_argument("--format", choices=("json", "csv"), default="json",
                    help="json (predefinito: un risultato JSON per riga) o csv (una riga per risposta)")
    sc = sub.add_parser("schema", help="stampa lo JSON Schema delle risposte di un bando")
    sc.add_argument("call_id", metavar="CALL_ID")
    pm = sub.add_parser("pmi", help="classe dimensionale dell’impresa (micro, piccola, media o grande) secondo la "
                                    "Raccomandazione 2003/361/CE, dagli effettivi e dagli importi",
                        description="Classe dimensionale dell’impresa secondo la Raccomandazione 2003/361/CE: le "
                                    "cifre con le opzioni, oppure in un file JSON con le chiavi headcount, turnover "
                                    "e balance_sheet. Ogni cifra si può omettere: se quelle date bastano, la classe "
                                    "c’è lo stesso; se no, il risultato dice quali classi restano possibili e che cosa "
                                    "manca.")
    pm.add_argument("--ula", metavar="ULA", help="effettivi in unità lavorative-anno, fino a due decimali (es. 9.5)")
    pm.add_argument("--fatturato", metavar="EURO", help="fatturato annuo in euro (es. 2000000 o 2000000.00)")
    pm.add_argument("--bilancio", metavar="EURO", help="totale di bilancio annuo in euro (es. 1500000)")
    pm.add_argument("file", metavar="FILE", nargs="?", default=None,
                    help="file JSON delle cifre, senza le opzioni; - o assente (e nessuna opzione): stdin")
    pm.add_argument("--format", choices=("json", "text"), default="json", help="json (predefinito) o text")
    return parser


def _read(path: str) -> str:
    """The answers text, always decoded as UTF-8 (whatever the locale says about standard input); a
    byte-order mark at the start is dropped, as the browser page does."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            return sys.stdin.buffer.read().decode("utf-8-sig")
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except OSError as err:
        raise CheckerError(f"{name}: impossibile leggere il file ({err.strerror})") from None
    except UnicodeDecodeError:
        raise CheckerError(f"{name}: il testo non è UTF-8") from None


def _one_line(message: str) -> str:
    """The message on one line: a value echoed back (`"100\\n"`) shows its control characters escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in message)


def _utf8_stdio() -> None:
    """Standard output and error in UTF-8 whatever the locale (`PYTHONIOENCODING=latin-1`, a C locale),
    as the input is read: the results are Italian text, with «’» and «€»."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(encoding="utf-8")


def _calls() -> int:
    """The calls, one a line; a rules file that does not load is named on standard error, the others listed."""
    broken = 0
    for call_id in catalogue.call_ids():
        try:
            title = catalogue.get(call_id).title
        except CheckerError as err:
            print(f"errore: {_one_line(str(err))}", file=sys.stderr)
            broken += 1
            continue
        print(f"{call_id}\t{title}")
    return 2 if broken else 0


PMI_OPTIONS = {"headcount": "ula", "turnover": "fatturato", "balance_sheet": "bilancio"}


def _pmi(args: argparse.Namespace) -> int:
    """`pmi`: the SME class from the options (an error names the option) or from a JSON file (the key)."""
    given = {key: getattr(args, option) for key, option in PMI_OPTIONS.items() if getattr(args, option) is not None}
    if given and args.file is not None:
        raise CheckerError("indica le cifre con le opzioni (--ula, --fatturato, --bilancio) oppure in un file "
                           "JSON, non in entrambi i modi")
    try:
        classification = sme.classify_figures(given if given else loads_json(_read(args.file or "-")))
    except AnswersError as err:
        if given and err.path in PMI_OPTIONS:
            raise CheckerError(f"--{PMI_OPTIONS[err.path]}: {err.message}") from None
        raise
    result = classification.as_dict()
    return _emit(sme.text_report(result) if args.format == "text" else result_json(result, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0911 -- one return a command
    _utf8_stdio()
    args = _parser().parse_args(argv)
    try:
        if args.command == "pmi":
            return _pmi(args)
        if args.command == "calls":
            return _calls()
        if args.command == "screen":
            return _emit(result_json(screen(loads_json(_read(args.file))), indent=2) + "\n")
        rules = catalogue.get(args.call_id)
        if args.command == "schema":
            return _emit(json.dumps(answers_schema(rules), ensure_ascii=False, indent=2) + "\n")
        if args.command == "batch":
            return _batch(rules, args.file, args.format)
        result = evaluate_parsed(rules, parse_answers(rules, loads_json(_read(args.file)), catalogue.call_asking))
    except CheckerError as err:
        print(f"errore: {_one_line(str(err))}", file=sys.stderr)
        return 2
    return _emit(text_report(rules, result) if args.format == "text" else result_json(result, indent=2) + "\n")


def _batch(rules: Rules, path: str, form: str) -> int:
    """`batch`: one output line for each line of answers that is not blank, written as soon as it is read
    (nothing but the current line is held). Status 0 when every line was valid, 2 when one was not, 1 when
    the reader went away."""
    name = "standard input" if path == "-" else path
    try:
        source = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 -- closed below
    except OSError as err:
        raise CheckerError(f"{name}: impossibile leggere il file ({err.strerror})") from None
    invalid = False
    try:
        if form == "csv" and _emit(_csv_row(CSV_HEADER)):
            return 1
        for number, outcome in _outcomes(rules, source):
            invalid |= isinstance(outcome, str)
            if form == "csv" and isinstance(outcome, str):
                print(f"errore: riga {number}: {outcome}", file=sys.stderr)
            if _emit(_csv_line(number, outcome) if form == "csv" else _json_line(number, outcome)):
                return 1
    except OSError as err:  # a read that failed half-way (the lines before it are written)
        raise CheckerError(f"{name}: impossibile leggere il file ({err.strerror})") from None
    finally:
        if source is not sys.stdin.buffer:
            source.close()
    return 2 if invalid else 0


def _outcomes(rules: Rules, lines: Iterable[bytes]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number from 1, the result object or the error message) of each line that is not blank. Each line
    is decoded as UTF-8 by itself (a bad line does not stop the others); a byte-order mark may start the first."""
    for number, raw in enumerate(lines, 1):
        try:
            text = (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).rstrip(b"\r\n").decode("utf-8")
        except UnicodeDecodeError:
            yield number, "il testo non è UTF-8"
            continue
        if not text.strip(JSON_SPACE):
            continue
        try:
            yield number, evaluate_parsed(rules, parse_answers(rules, loads_json(text), catalogue.call_asking))
        except CheckerError as err:
            yield number, _one_line(FIRST_ROW.sub("JSON non valido alla colonna ", str(err), count=1))


def _json_line(number: int, outcome: dict[str, Any] | str) -> str:
    if isinstance(outcome, str):
        return json.dumps({"line": number, "error": outcome}, ensure_ascii=False) + "\n"
    return result_json(outcome) + "\n"


def _csv_line(number: int, outcome: dict[str, Any] | str) -> str:
    """The row of a line: its number, verdict, grant figures (two decimals) and failed checks; for an invalid
    line, its number and empty fields (the error is on standard error)."""
    if isinstance(outcome, str):
        return _csv_row((number, "", "", "", "", ""))
    grant = outcome["grant"]
    figures = [f"{grant[key]:.2f}" if grant else "" for key in CSV_FIGURES]
    failed = " ".join(c["id"] for c in outcome["checks"] if c["status"] == "fail")
    return _csv_row((number, outcome["verdict"], *figures, failed))


def _csv_row(fields: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(fields)
    return buffer.getvalue()


def _emit(text: str) -> int:
    """Write the output; a reader that has gone away (`| head`) ends the command quietly, with status 1."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes standard output again at exit: point it at /dev/null, or that flush fails too.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
