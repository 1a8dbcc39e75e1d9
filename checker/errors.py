"""Named errors. Each carries the path of what was wrong and reads as one sentence."""

from __future__ import annotations


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


class UnknownCallError(CheckerError):
    """No rules file has this call id."""

    def __init__(self, call_id: str, known: list[str]) -> None:
        self.call_id = call_id
        super().__init__(f"bando sconosciuto «{call_id}»; bandi disponibili: {', '.join(known)}")
