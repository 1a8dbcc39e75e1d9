"""The JSON-string boundary used by the browser worker (Pyodide): strings in, a string out.

One call per evaluation, no Python objects cross into JavaScript: ``pyimport``
`evaluate_json` once, then call it with the call id and the answers as JSON; `screen_json` does the
same for a profile screened against every call (checker/screen.py, `python -m checker screen`).
"""

from __future__ import annotations

import json
from datetime import datetime

from .answers import loads_json, parse_answers
from .catalogue import call_asking, get
from .engine import evaluate_parsed, result_json
from .errors import AnswersError, CheckerError, quote


def evaluate_json(call_id: str, answers_json: str, now_iso: str | None = None) -> str:
    """`{"result": {...}}`, or `{"error": {"path": ..., "message": ...}}` for bad input: the path of the
    field (`members[1].size`, or "" for the answers as a whole) and the message, which does not repeat it
    (the page shows «path: message»)."""
    try:
        now = _now(now_iso)
        rules = get(call_id)
        result = evaluate_parsed(rules, parse_answers(rules, loads_json(answers_json), call_asking), now)
    except AnswersError as err:
        return _error(err.path, err.message)
    except CheckerError as err:  # an unknown call, a broken rules file: nothing the answers can fix
        return _error("", str(err))
    return result_json({"result": result})


def screen_json(profile_json: str, now_iso: str | None = None) -> str:
    """`{"results": [{...}, ...]}`, the profile's result object for every call in the order of `call_ids`,
    or `{"error": {"path": ..., "message": ...}}` as `evaluate_json` gives it."""
    from .screen import screen  # noqa: PLC0415 -- on use: the calls' first verdict never waits for it

    try:
        now = _now(now_iso)
        results = screen(loads_json(profile_json), now)
    except AnswersError as err:
        return _error(err.path, err.message)
    except CheckerError as err:  # a broken rules file
        return _error("", str(err))
    return result_json(results)


def project_json(call_id: str, profile_json: str) -> str:
    """`{"answers": {...}}`, what the call `call_id` reads of a valid profile (`screen.project`): the answers
    its own checker opens; or `{"error": {...}}` as `screen_json` gives it."""
    from .screen import parse_profile, project  # noqa: PLC0415 -- on use, as screen_json

    try:
        profile = loads_json(profile_json)
        parse_profile(profile)
        answers = project(get(call_id), profile)
    except AnswersError as err:
        return _error(err.path, err.message)
    except CheckerError as err:
        return _error("", str(err))
    return result_json({"answers": answers})


def _now(now_iso: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(now_iso) if now_iso else None
    except (TypeError, ValueError):
        raise AnswersError("now", f"{quote(now_iso)} non è una data e ora ISO 8601") from None


def classify_json(figures_json: str) -> str:
    """The SME class helper (checker/sme.py): from `{"headcount": 9.5, "turnover": 2000000, "balance_sheet":
    "1500000.00"}` (each key optional, null = not given) `{"result": {...}}` (the object of
    `checker.sme.result`), or `{"error": {"path": ..., "message": ...}}` with the figure's key as the path
    ("" for the text as a whole), as `evaluate_json` gives it."""
    from .sme import classify_figures  # noqa: PLC0415 -- on use: the calls' first verdict never waits for it

    try:
        result = classify_figures(loads_json(figures_json)).as_dict()
    except AnswersError as err:
        return _error(err.path, err.message)
    except CheckerError as err:  # a broken definition file: nothing the figures can fix
        return _error("", str(err))
    return result_json({"result": result})


def _error(path: str, message: str) -> str:
    return json.dumps({"error": {"path": path, "message": message}}, ensure_ascii=False)
