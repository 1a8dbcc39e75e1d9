"""Data-driven cases: `tests/cases/<call-id>/*.toml`, each case named by a sentence.

A file may hold a `[base]` answers table; each `[[case]]` has a `name`, its
`answers` (merged over the base, key by key; `omit` lists base keys to drop),
an optional `now` (ISO 8601, the evaluation time when answers have no
`submitted_at`) and `expect`: `verdict` (required), and optionally `window`
(the window status), `checks` (id -> status) and `grant` (`"none"`, or a table
with any of `amount`, `cap`, `eligible_costs`, `before_cap` as decimal strings).

The same cases run in CPython and in Pyodide; `answers_json` is what both get.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "answers", "omit", "now", "expect"}
EXPECT_KEYS = {"verdict", "window", "checks", "grant"}


@dataclass(frozen=True)
class Case:
    call_id: str
    name: str
    answers: dict[str, Any]
    now: str | None
    expect: dict[str, Any]
    file: str

    @property
    def id(self) -> str:
        return f"{self.call_id}: {self.name}"

    @property
    def answers_json(self) -> str:
        return json.dumps(self.answers, default=_decimal, ensure_ascii=False)


def _decimal(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"not JSON: {value!r}")


def _load_file(call_id: str, path: Path) -> list[Case]:
    data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    unknown = set(data) - {"base", "case"}
    if unknown:
        raise ValueError(f"{path}: unknown top-level keys {sorted(unknown)}")
    base = data.get("base", {})
    cases = []
    for i, raw in enumerate(data.get("case", [])):
        bad = set(raw) - CASE_KEYS or set(raw.get("expect", {})) - EXPECT_KEYS
        if bad or "name" not in raw or "verdict" not in raw.get("expect", {}):
            raise ValueError(f"{path}: case[{i}] malformed (unknown keys {sorted(bad)}, or no name/verdict)")
        answers = {k: v for k, v in base.items() if k not in raw.get("omit", [])} | raw.get("answers", {})
        cases.append(Case(call_id, raw["name"], answers, raw.get("now"), raw["expect"], path.name))
    return cases


def load_cases(call_id: str | None = None) -> list[Case]:
    """Every case, in file and case order (one call's when `call_id` is given)."""
    out: list[Case] = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        if call_id in (None, folder.name):
            for path in sorted(folder.glob("*.toml")):
                out.extend(_load_file(folder.name, path))
    names = [c.id for c in out]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"case names must be unique: {sorted(dupes)}")
    return out
