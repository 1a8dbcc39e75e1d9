"""Data-driven cases: `tests/cases/<call-id>/*.toml`, each case named by a sentence.

A file may hold a `[base]` answers table; each `[[case]]` has a `name`, its
`answers` (merged over the base, key by key; `omit` lists base keys to drop),
an optional `now` (a quoted ISO 8601 string, the evaluation time when answers
have no `submitted_at`; every case gives one or the other) and `expect`:
`verdict` (required), and optionally `window` (the window status), `checks`
(id -> status) and `grant` (`"none"`, or a table with any of `amount`, `cap`,
`eligible_costs`, `before_cap` as decimal strings, `capped` as a boolean and
`admitted`, a table expense id -> decimal string of the amount admitted for that
expense type, flat-rate types included).

Every figure in a case is computed by hand from the call's text and the spec's
readings (the comments next to a case show the arithmetic), never pasted from
the engine's output.

A file may also hold `[[invalid]]` entries: a `name`, `answers` (merged over the
base like a case; `omit` works too) and `error`, the field path the answers
error must name (`""` for the whole object). They are answers the format
rejects; `load_invalid()` returns them (`load_cases()` never does).

TOML trap: keys written after a `[case.answers]` header belong to that table;
write `expect`, `now` and `omit` before it (the loader refuses the mistake).

The same cases run in CPython and in Pyodide; `answers_json` is what both get,
and `compare(case, result)` lists the differences between a result object and
the case's expectations (empty when the result is as expected).

Screening cases (`python -m checker screen`, checker/screen.py) live in
`tests/cases/_screen/*.toml` (a folder whose name starts with `_` holds no call's
cases: `load_cases` skips it). Same format, with two differences: `answers` is a
*profile* (the keys and area ids of every call), and `expect` is a table of call
id -> the expectations of that call's result, as above, one for every call
screened (`[case.expect.filiere-2022]`, ...). `load_screen_cases()` returns them,
`compare_screen(case, results)` compares the `results` list of a screening;
`load_screen_invalid()` returns the `[[invalid]]` profiles (call id `_screen`).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from build_scripts import deep_links

CASES = Path(__file__).parent / "cases"
SCREEN = "_screen"  # the folder of the screening cases, under CASES
CASE_KEYS = {"name", "answers", "omit", "now", "expect"}
INVALID_KEYS = {"name", "answers", "omit", "error"}
EXPECT_KEYS = {"verdict", "window", "checks", "grant"}
GRANT_FIGURES = ("amount", "cap", "eligible_costs", "before_cap")
GRANT_KEYS = {*GRANT_FIGURES, "capped", "admitted"}


@dataclass(frozen=True)
class _Answers:
    """A case's call, name and answers (a case, or an invalid input)."""

    call_id: str
    name: str
    answers: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.call_id}: {self.name}"

    @property
    def answers_json(self) -> str:
        return deep_links.answers_json(self.answers)


@dataclass(frozen=True)
class Case(_Answers):
    now: str | None
    expect: dict[str, Any]
    file: str


@dataclass(frozen=True)
class InvalidCase(_Answers):
    error: str
    file: str


@dataclass(frozen=True)
class ScreenCase:
    name: str
    answers: dict[str, Any]  # the profile
    now: str | None
    expect: dict[str, dict[str, Any]]  # call id -> expectations of its result
    file: str

    @property
    def id(self) -> str:
        return f"{SCREEN}: {self.name}"

    @property
    def answers_json(self) -> str:
        return deep_links.answers_json(self.answers)

    def of_call(self, call_id: str) -> Case:
        """The case of one call: the profile as its answers, the call's expectations."""
        return Case(call_id, self.name, self.answers, self.now, self.expect[call_id], self.file)


def _merge(base: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in base.items() if k not in raw.get("omit", [])} | raw.get("answers", {})


def _valid_expect(expect: Any) -> bool:
    if not isinstance(expect, dict) or set(expect) - EXPECT_KEYS or "verdict" not in expect:
        return False
    grant = expect.get("grant", "none")
    return grant == "none" or (isinstance(grant, dict) and not set(grant) - GRANT_KEYS)


def _check_unique(*groups: list[Any]) -> None:
    """Every case name (id) of `groups` is unique."""
    names = [c.id for group in groups for c in group]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"case names must be unique: {sorted(dupes)}")


def _load_file(call_id: str, path: Path) -> tuple[list[Case], list[InvalidCase]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    unknown = set(data) - {"base", "case", "invalid"}
    if unknown:
        raise ValueError(f"{path}: unknown top-level keys {sorted(unknown)}")
    base = data.get("base", {})
    cases = []
    for i, raw in enumerate(data.get("case", [])):
        bad = set(raw) - CASE_KEYS
        if set(raw.get("answers", {})) & {"expect", "now", "omit"}:
            raise ValueError(f"{path}: case[{i}] has `expect`, `now` or `omit` inside its answers: in TOML, "
                             "keys after a [case.answers] header belong to it; write them before that header")
        if bad or "name" not in raw or not _valid_expect(raw.get("expect")) or not isinstance(raw.get("now", ""), str):
            raise ValueError(f"{path}: case[{i}] malformed (unknown keys {sorted(bad)}, no name, a bad expect "
                             "table or a `now` that is not a quoted string)")
        cases.append(Case(call_id, raw["name"], _merge(base, raw), raw.get("now"), raw["expect"], path.name))
    invalid = []
    for i, raw in enumerate(data.get("invalid", [])):
        bad = set(raw) - INVALID_KEYS
        if bad or "name" not in raw or not isinstance(raw.get("error"), str):
            raise ValueError(f"{path}: invalid[{i}] malformed (unknown keys {sorted(bad)}, or no name/error)")
        invalid.append(InvalidCase(call_id, raw["name"], _merge(base, raw), raw["error"], path.name))
    return cases, invalid


def _load(call_id: str | None, root: Path) -> tuple[list[Case], list[InvalidCase]]:
    cases: list[Case] = []
    invalid: list[InvalidCase] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        if call_id in (None, folder.name):
            for path in sorted(folder.glob("*.toml")):
                valid, bad = _load_file(folder.name, path)
                cases.extend(valid)
                invalid.extend(bad)
    _check_unique(cases, invalid)
    return cases, invalid


def load_cases(call_id: str | None = None, root: Path = CASES) -> list[Case]:
    """Every case, in file and case order (one call's when `call_id` is given)."""
    return _load(call_id, root)[0]


def load_invalid(call_id: str | None = None, root: Path = CASES) -> list[InvalidCase]:
    """Every `[[invalid]]` answers entry, in file order (one call's when `call_id` is given)."""
    return _load(call_id, root)[1]


def _load_screen(root: Path) -> tuple[list[ScreenCase], list[InvalidCase]]:
    cases: list[ScreenCase] = []
    invalid: list[InvalidCase] = []
    for path in sorted((root / SCREEN).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        if set(data) - {"base", "case", "invalid"}:
            raise ValueError(f"{path}: unknown top-level keys {sorted(set(data) - {'base', 'case', 'invalid'})}")
        base = data.get("base", {})
        for i, raw in enumerate(data.get("case", [])):
            expect = raw.get("expect")
            if set(raw.get("answers", {})) & {"expect", "now", "omit"}:
                raise ValueError(f"{path}: case[{i}] has `expect`, `now` or `omit` inside its answers (see caselib)")
            if set(raw) - CASE_KEYS or "name" not in raw or not isinstance(raw.get("now", ""), str) \
                    or not isinstance(expect, dict) or not expect or not all(map(_valid_expect, expect.values())):
                raise ValueError(f"{path}: case[{i}] malformed (unknown keys, no name, a `now` that is not a "
                                 "quoted string, or an expect table that is not call id -> expectations)")
            cases.append(ScreenCase(raw["name"], _merge(base, raw), raw.get("now"), expect, path.name))
        for i, raw in enumerate(data.get("invalid", [])):
            if set(raw) - INVALID_KEYS or "name" not in raw or not isinstance(raw.get("error"), str):
                raise ValueError(f"{path}: invalid[{i}] malformed (unknown keys, or no name/error)")
            invalid.append(InvalidCase(SCREEN, raw["name"], _merge(base, raw), raw["error"], path.name))
    _check_unique(cases, invalid)
    return cases, invalid


def load_screen_cases(root: Path = CASES) -> list[ScreenCase]:
    """Every screening case of `root/_screen/`, in file and case order."""
    return _load_screen(root)[0]


def load_screen_invalid(root: Path = CASES) -> list[InvalidCase]:
    """Every `[[invalid]]` profile of `root/_screen/`, in file order."""
    return _load_screen(root)[1]


def compare_screen(case: ScreenCase, results: list[dict[str, Any]]) -> list[str]:
    """The differences between the `results` of a screening and the expectations of `case` (empty: as
    expected): one expectation a call, each compared as `compare` does."""
    out = []
    calls = [r.get("call") for r in results]
    if sorted(map(str, calls)) != sorted(case.expect):
        out.append(f"results for the calls {calls}, expectations for {list(case.expect)}")
    for result in results:
        if result.get("call") in case.expect:
            out += [f"{result['call']}: {d}" for d in compare(case.of_call(result["call"]), result)]
    return out


def _money(value: Any) -> Decimal:
    return Decimal(str(value))


def compare(case: Case, result: dict[str, Any]) -> list[str]:  # noqa: C901 -- one branch an expectation
    """The differences between a result object and the expectations of `case` (empty: as expected)."""
    expect, out = case.expect, []
    if result.get("verdict") != expect["verdict"]:
        out.append(f"verdict {result.get('verdict')!r}, expected {expect['verdict']!r}")
    if "window" in expect and result["window"]["status"] != expect["window"]:
        out.append(f"window {result['window']['status']!r}, expected {expect['window']!r}")
    statuses = {c["id"]: c["status"] for c in result["checks"]}
    for check_id, status in expect.get("checks", {}).items():
        if statuses.get(check_id) != status:
            out.append(f"check {check_id} {statuses.get(check_id)!r}, expected {status!r}")
    if "grant" not in expect:
        return out
    grant, wanted = result["grant"], expect["grant"]
    if wanted == "none" or grant is None:
        if (wanted == "none") != (grant is None):
            out.append(f"grant {'present' if grant else 'null'}, expected {wanted!r}")
        return out
    for key in GRANT_FIGURES:
        if key in wanted and _money(grant[key]) != Decimal(wanted[key]):
            out.append(f"grant.{key} {_money(grant[key])}, expected {wanted[key]}")
    if "capped" in wanted and grant["capped"] is not wanted["capped"]:
        out.append(f"grant.capped {grant['capped']!r}, expected {wanted['capped']!r}")
    admitted = {line["id"]: _money(line["admitted"]) for line in grant["expenses"]}
    for expense_id, amount in wanted.get("admitted", {}).items():
        if admitted.get(expense_id) != Decimal(amount):
            out.append(f"grant admitted {expense_id} {admitted.get(expense_id)}, expected {amount}")
    return out


# --- the SME class helper (checker/sme.py) ----------------------------------------------------------
#
# Its cases live in `tests/cases/_sme/*.toml` (a folder starting with `_`: `load_cases` skips it). Each
# `[[case]]` has a `name` (a sentence), the `figures` given to `bridge.classify_json` (a table: TOML
# numbers become JSON numbers digit for digit, texts stay texts; or `json`, the exact text to send, for
# what TOML cannot write: null, NaN, 5,000 digits) and `expect`: `size` (micro, small, medium, large, or
# "none" when the figures do not decide), optionally `possible` and `missing` (lists, in the result's
# order), `statuses` (class -> pass/fail/missing of the classes tested; a class not tested is absent)
# and `sme` (whether it is an SME: true or false; absent, it follows from `size`, and is not decided when
# the size is not: give it for sizes not decided but all SME, or all not). Each `[[invalid]]` has a
# `name`, `figures` or `json`, `error` (the path the error names: the figure's key, "" for the whole
# text) and optionally `message`, a text the error's message must contain. Every expectation is read
# off the Recommendation's ceilings by hand (the comments show the comparison), never pasted from the
# helper's output.

SME = "_sme"  # the folder of the SME class cases, under CASES
SME_CASE_KEYS = {"name", "figures", "json", "expect"}
SME_INVALID_KEYS = {"name", "figures", "json", "error", "message"}
SME_EXPECT_KEYS = {"size", "possible", "missing", "statuses", "sme"}


@dataclass(frozen=True)
class SmeCase:
    name: str
    figures_json: str  # exactly what the bridge gets, in CPython and in Pyodide
    expect: dict[str, Any]
    file: str

    @property
    def id(self) -> str:
        return f"{SME}: {self.name}"


@dataclass(frozen=True)
class SmeInvalid:
    name: str
    figures_json: str
    error: str
    message: str
    file: str

    @property
    def id(self) -> str:
        return f"{SME}: {self.name}"


def json_text(value: Any) -> str:  # noqa: PLR0911 -- one return a kind of JSON value
    """`value` as JSON text, with what `json.dumps` cannot write: integers of any length, a Decimal as a JSON
    number of the same digits, NaN."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return format(Decimal(value), "f")  # no limit on the digits, unlike str(int)
    if isinstance(value, float):
        return json.dumps(value)  # NaN, Infinity, -Infinity: read back by the checker as Decimal
    if isinstance(value, Decimal):
        if value.is_nan():
            return "NaN"
        return str(value) if value.is_finite() else "-Infinity" if value.is_signed() else "Infinity"
    if isinstance(value, str):  # a lone surrogate as the escape \ud800, which JSON allows; any other text as it is
        return json.dumps(value, ensure_ascii=any("\ud800" <= ch <= "\udfff" for ch in value))
    if isinstance(value, list):
        return "[" + ",".join(json_text(v) for v in value) + "]"
    return "{" + ",".join(f"{json_text(str(k))}:{json_text(v)}" for k, v in value.items()) + "}"


def _figures_json(raw: dict[str, Any], where: str) -> str:
    if ("figures" in raw) == ("json" in raw):
        raise ValueError(f"{where}: give either `figures` (a table) or `json` (a text)")
    if "json" in raw:
        if not isinstance(raw["json"], str):
            raise ValueError(f"{where}: `json` must be a text")
        return str(raw["json"])
    if not isinstance(raw["figures"], dict):
        raise ValueError(f"{where}: `figures` must be a table")
    return json_text(raw["figures"])  # a decimal stays the same digits, a JSON number


def _valid_sme_expect(expect: Any) -> bool:
    return isinstance(expect, dict) and not set(expect) - SME_EXPECT_KEYS and isinstance(expect.get("size"), str)


def _load_sme(root: Path) -> tuple[list[SmeCase], list[SmeInvalid]]:
    cases: list[SmeCase] = []
    invalid: list[SmeInvalid] = []
    for path in sorted((root / SME).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        if set(data) - {"case", "invalid"}:
            raise ValueError(f"{path}: unknown top-level keys {sorted(set(data) - {'case', 'invalid'})}")
        for i, raw in enumerate(data.get("case", [])):
            where = f"{path}: case[{i}]"
            if set(raw) - SME_CASE_KEYS or "name" not in raw or not _valid_sme_expect(raw.get("expect")):
                raise ValueError(f"{where} malformed (unknown keys {sorted(set(raw) - SME_CASE_KEYS)}, no name, or "
                                 "an expect table without `size` or with unknown keys)")
            cases.append(SmeCase(raw["name"], _figures_json(raw, where), raw["expect"], path.name))
        for i, raw in enumerate(data.get("invalid", [])):
            where = f"{path}: invalid[{i}]"
            if set(raw) - SME_INVALID_KEYS or "name" not in raw or not isinstance(raw.get("error"), str):
                raise ValueError(f"{where} malformed (unknown keys {sorted(set(raw) - SME_INVALID_KEYS)}, or no "
                                 "name/error)")
            invalid.append(SmeInvalid(raw["name"], _figures_json(raw, where), raw["error"], raw.get("message", ""),
                                      path.name))
    _check_unique(cases, invalid)
    return cases, invalid


def load_sme_cases(root: Path = CASES) -> list[SmeCase]:
    """Every SME class case of `root/_sme/`, in file and case order."""
    return _load_sme(root)[0]


def load_sme_invalid(root: Path = CASES) -> list[SmeInvalid]:
    """Every `[[invalid]]` figures entry of `root/_sme/`, in file order."""
    return _load_sme(root)[1]


def compare_sme(case: SmeCase, result: dict[str, Any]) -> list[str]:
    """The differences between a classification result and the expectations of `case` (empty: as expected)."""
    expect, out = case.expect, []
    size = "none" if result.get("size") is None else result.get("size")
    if size != expect["size"]:
        out.append(f"size {size!r}, expected {expect['size']!r}")
    for key in ("possible", "missing"):
        if key in expect and result.get(key) != expect[key]:
            out.append(f"{key} {result.get(key)!r}, expected {expect[key]!r}")
    if "statuses" in expect:
        statuses = {r["size"]: r["status"] for r in result.get("reasons", [])}
        if statuses != expect["statuses"]:
            out.append(f"statuses {statuses!r}, expected {expect['statuses']!r}")
    sme = expect["sme"] if "sme" in expect else None if expect["size"] == "none" else expect["size"] != "large"
    if result.get("sme") is not sme:
        out.append(f"sme {result.get('sme')!r}, expected {sme!r}")
    return out
