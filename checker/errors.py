"""Named errors. Each carries the path of what was wrong and reads as one sentence."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .limits import QUOTE_CHARS


def shorten(value: Any, limit: int = QUOTE_CHARS) -> str:
    """`value` as an error message shows it: at most `limit` characters, then «…», with control
    characters and lone surrogates escaped (`\\n`, `\\ud800`), so that the message stays one line any
    output can encode. A text is shown as it is, any other value as JSON (an integer too long to print
    as a figure, in scientific notation)."""
    text = value if isinstance(value, str) else _as_text(value, limit)
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def quote(value: Any) -> str:
    """`value` shortened (see `shorten`) between «»."""
    return f"«{shorten(value)}»"


def _as_text(value: Any, limit: int) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # over the interpreter's limit of digits (4300)
            return f"{Decimal(value):.3e}"
    if isinstance(value, (Decimal, float)):
        return str(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):  # a cycle, an integer too long, a nesting too deep
        return f"<{type(value).__name__}>"
    return text[:limit + 1]


class CheckerError(Exception):
    """Base of every error the checker reports to a person."""


class RulesError(CheckerError):
    """A rules file is malformed or inconsistent."""

    def __init__(self, file: str, path: str, message: str, line: int | None = None) -> None:
        self.file, self.path, self.message, self.line = file, path, message, line
        where = file + (f", riga {line}" if line else "") + (f": {path}" if path else "")
        super().__init__(f"{where}: {message}")


class AnswersError(CheckerError):
    """An answers object does not follow the answers format (v1)."""

    def __init__(self, path: str, message: str) -> None:
        self.path, self.message = path, message
        super().__init__(f"{path or 'risposte'}: {message}")


class FiguresError(AnswersError):
    """The figures given to the SME class helper (`checker.sme`) are not valid: `path` is the figure
    (`headcount`, `turnover`, `balance_sheet`), or "" for the figures as a whole."""

    def __init__(self, path: str, message: str) -> None:
        self.path, self.message = path, message
        CheckerError.__init__(self, f"{path or 'dati'}: {message}")


class UnknownCallError(CheckerError):
    """No rules file has this call id."""

    def __init__(self, call_id: str, known: list[str]) -> None:
        self.call_id = call_id
        super().__init__(f"bando sconosciuto {quote(call_id)}; bandi disponibili: {', '.join(known)}")
