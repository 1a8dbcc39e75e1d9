"""The JSON-string boundary used by the browser worker (Pyodide): strings in, a string out.

One call per evaluation, no Python objects cross into JavaScript: ``pyimport``
`evaluate_json` once, then call it with the call id and the answers as JSON.
"""

from __future__ import annotations

import json
from datetime import datetime

from .answers import loads_json, parse_answers
from .engine import evaluate_parsed, result_json
from .errors import CheckerError
from .rules import get


def evaluate_json(call_id: str, answers_json: str, now_iso: str | None = None) -> str:
    """`{"result": {...}}`, or `{"error": {"path": ..., "message": ...}}` for bad input."""
    try:
        now = datetime.fromisoformat(now_iso) if now_iso else None
    except ValueError:
        return json.dumps({"error": {"path": "now", "message": f"now: «{now_iso}» non è una data e ora ISO 8601"}},
                          ensure_ascii=False)
    try:
        rules = get(call_id)
        result = evaluate_parsed(rules, parse_answers(rules, loads_json(answers_json)), now)
    except CheckerError as err:
        return json.dumps({"error": {"path": getattr(err, "path", ""), "message": str(err)}}, ensure_ascii=False)
    return result_json({"result": result})
