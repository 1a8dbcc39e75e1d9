"""A TOML text of the package: parsed with exact decimals, its errors in Italian, a key path's line."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .errors import RulesError


def line_of(text: str, path: str) -> int | None:
    """Best-effort line of `path` (`checks[2].min`, `grant.parameters.cap`) in a TOML text."""
    lines = text.splitlines()
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    start, table, found = 0, "", None
    for part in parts:
        if part.startswith("["):
            index, seen = int(part[1:-1]), -1
            for n in range(start, len(lines)):
                if lines[n].strip() == f"[[{table}]]":
                    seen += 1
                    if seen == index:
                        start, found = n, n
                        break
            else:
                return found + 1 if found is not None else None
            continue
        parent, table = table, f"{table}.{part}" if table else part
        # `[table]`, `[[table]]` or a dotted header below it (`[classes.beneficiary]` for `classes`) ...
        header_re = re.compile(rf"^\s*\[\[?{re.escape(table)}[\].]")
        header = next((n for n in range(start, len(lines)) if header_re.match(lines[n])), None)
        # ... or `part = ...` inside the current table, a dotted key too (`labels.some = ...` for `labels`
        # and for `some`): that search stops at a header outside it.
        key_re = re.compile(rf"^\s*(?:[A-Za-z0-9_-]+\s*\.\s*)*{re.escape(part)}\s*[=.]")
        inside_re = re.compile(rf"^\s*\[\[?{re.escape(parent)}\." if parent else r"^(?!)")
        key = None
        for n in range(start, len(lines)):
            if key_re.match(lines[n]):
                key = n
                break
            if n > start and lines[n].lstrip().startswith("[") and not inside_re.match(lines[n]):
                break
        candidates = [n for n in (key, header) if n is not None]
        if not candidates:
            break
        start = found = min(candidates)
    return found + 1 if found is not None else None




TOML_MESSAGES = tuple((re.compile(english), italian) for english, italian in (
    (r"Invalid statement", "istruzione non valida"),
    (r"Expected newline or end of document after a statement", "dopo un’istruzione si va a capo"),
    (r"Cannot overwrite a value", "un valore già definito non si può ridefinire"),
    (r"Unescaped '\\' in a string", "«\\» non seguito da una sequenza valida in un testo"),
    (r"Illegal character (.+)", "carattere non ammesso {0}"),
    (r"Found invalid character (.+)", "carattere non valido {0}"),
    (r"Duplicate inline table key (.+)", "chiave {0} ripetuta nella tabella in linea"),
    (r"Cannot redefine namespace (.+)", "la tabella {0} non si può ridefinire"),
    (r"Cannot declare (.+) twice", "la tabella {0} è dichiarata due volte"),
    (r"Cannot mutate immutable namespace (.+)", "la tabella {0} non si può più modificare"),
    (r"Expected ']]' at the end of an array declaration", "manca «]]» alla fine dell’intestazione"),
    (r"Expected ']' at the end of a table declaration", "manca «]» alla fine dell’intestazione"),
    (r"Expected '=' after a key in a key/value pair", "manca «=» dopo la chiave"),
    (r"Expected (.+)", "manca {0}"),
    (r"Unterminated string", "testo tra virgolette non chiuso"),
    (r"Unclosed inline table", "tabella in linea non chiusa"),
    (r"Unclosed array", "elenco non chiuso"),
    (r"Invalid value", "valore non valido"),
    (r"Invalid initial character for a key part", "carattere iniziale non valido per una chiave"),
    (r"Invalid hex value", "valore esadecimale non valido"),
    (r"Invalid date or datetime", "data o data e ora non valida"),
    (r"Escaped character is not a Unicode scalar value", "il carattere indicato non è un carattere Unicode valido"),
))
_TOML_WHERE = re.compile(r"(?s)(.*) \(at (?:line (\d+), column (\d+)|(end of document))\)")


def toml_error(text: str) -> tuple[str, int | None]:
    """The Italian message of a `tomllib.TOMLDecodeError` (its `str`) and its line, the column kept."""
    where = _TOML_WHERE.fullmatch(text)
    english, line, column, end = where.groups() if where else (text, None, None, None)
    italian = next((it.format(*map(_toml_detail, m.groups())) for pattern, it in TOML_MESSAGES
                    if (m := pattern.fullmatch(english))), "sintassi non valida")
    at = f" alla colonna {column}" if column else " alla fine del file" if end else ""
    return f"TOML non valido{at}: {italian}", int(line) if line else None


def _toml_detail(detail: str) -> str:
    """A key or a character as `tomllib` shows it (`('checks', 'id')`, `'b'`, `'\\x01'`): «checks.id», «b»."""
    parts = re.findall(r"'((?:[^'\\]|\\.)*)'", detail)
    return f"«{'.'.join(parts)}»" if parts and detail[:1] in "('" else detail


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """A TOML text with exact decimals; a syntax error is a `RulesError` in Italian naming `name` and the line."""
    import tomllib  # noqa: PLC0415 -- on use: the browser loads compiled rules (checker/compiled.py), never TOML

    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        message, line = toml_error(str(err))
        raise RulesError(name, "", message, line) from None


