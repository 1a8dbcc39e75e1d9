"""Command line: `python -m checker evaluate CALL_ID [FILE]`, `python -m checker calls`.

Bad input exits with status 2 and one sentence on standard error naming the
offending field path; never a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import json
import os
import sys
from typing import NoReturn

from . import rules as rules_mod
from .answers import loads_json, parse_answers
from .engine import evaluate_parsed, result_json
from .errors import CheckerError
from .report import text_report
from .schema import answers_schema


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
    sc = sub.add_parser("schema", help="stampa lo JSON Schema delle risposte di un bando")
    sc.add_argument("call_id", metavar="CALL_ID")
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
    for call_id in rules_mod.call_ids():
        try:
            title = rules_mod.get(call_id).title
        except CheckerError as err:
            print(f"errore: {_one_line(str(err))}", file=sys.stderr)
            broken += 1
            continue
        print(f"{call_id}\t{title}")
    return 2 if broken else 0


def main(argv: list[str] | None = None) -> int:
    _utf8_stdio()
    args = _parser().parse_args(argv)
    try:
        if args.command == "calls":
            return _calls()
        rules = rules_mod.get(args.call_id)
        if args.command == "schema":
            return _emit(json.dumps(answers_schema(rules), ensure_ascii=False, indent=2) + "\n")
        result = evaluate_parsed(rules, parse_answers(rules, loads_json(_read(args.file))))
    except CheckerError as err:
        print(f"errore: {_one_line(str(err))}", file=sys.stderr)
        return 2
    return _emit(text_report(rules, result) if args.format == "text" else result_json(result, indent=2) + "\n")


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
