"""Eligibility and grant checker for Lombardy business-funding calls.

Standard library only: the same code runs in CPython and, in the browser, in Pyodide.

    >>> from checker import evaluate
    >>> evaluate("filiere-2022", {"submitted_at": "2022-12-31T16:00:00"})["window"]["status"]
    'open'
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .catalogue import call_ids, get
from .engine import evaluate_rules
from .errors import AnswersError, CheckerError, RulesError, UnknownCallError
from .model import Rules

__all__ = ["AnswersError", "CheckerError", "Rules", "RulesError", "UnknownCallError",
           "call_ids", "evaluate", "get"]
FORMAT_VERSION = 1


def evaluate(call_id: str, answers: Any, now: datetime | None = None) -> dict[str, Any]:
    """The result object (format v1) of `answers` for the call `call_id`.

    `now` is the evaluation time when `answers` has no `submitted_at` (a naive
    `now` is local time of the call); by default the current time.
    """
    if not isinstance(call_id, str):  # never a TypeError from the cache of `get`: the call is unknown
        raise UnknownCallError(call_id, list(call_ids()))
    return evaluate_rules(get(call_id), answers, now)
