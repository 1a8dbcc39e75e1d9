"""Loading a rules file: TOML text -> checked `Rules`, any problem a `RulesError` with file, key path and line."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from . import consistency
from .convert import Invalid, build
from .errors import RulesError
from .formulas import FORMULAS
from .model import Rules
from .records import Record
from .toml_text import line_of, parse_toml


def _with_parameters(rules: Rules) -> Rules:
    """The rules with the grant's parameters converted into the record of its formula (checker/formulas.py)."""
    g = rules.grant
    formula = FORMULAS.get(g.formula)
    if formula is None:
        raise Invalid("grant.formula", f"formula «{g.formula}» sconosciuta; formule: {', '.join(FORMULAS)}")
    parameters = build(formula.parameters, g.parameters, "grant.parameters")
    return dataclasses.replace(rules, grant=dataclasses.replace(g, parameters=parameters))


def version_of(text: str) -> str:
    """The rules' `version`: the start of the SHA-256 of their TOML text (the result's `rules_version`)."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def from_data(data: dict[str, Any], file: str, text: str = "") -> Rules:
    """Validate parsed TOML data into `Rules` (`text`, when given, locates errors)."""
    try:
        rules: Rules = _with_parameters(build(Rules, data, ""))
        rules = dataclasses.replace(rules, source_file=file, version=version_of(text) if text else "")
        consistency.check(rules)
    except Invalid as err:
        raise RulesError(file, err.path, err.message, line_of(text, err.path) if text else None) from None
    return rules


def load(path: str | Path, name: str | None = None) -> Rules:
    """Load a rules file from disk (`name` is how errors name it)."""
    file = Path(path)
    return loads(file.read_text(encoding="utf-8"), name or str(file))




def loads(text: str, name: str) -> Rules:
    rules = from_data(parse_toml(text, name), name, text)
    expected = Path(name).stem
    if name.endswith(".toml") and rules.id != expected:
        raise RulesError(name, "id", f"l’id «{rules.id}» deve coincidere con il nome del file «{expected}»",
                         line_of(text, "id"))
    return rules


R = TypeVar("R", bound=Record)


def load_record(cls: type[R], text: str, name: str, check: Callable[[R], tuple[str, str] | None]) -> R:
    """Another data file of the package (`definitions/*.toml`) as strictly as a call's rules: parsed with
    exact decimals, converted into the record `cls` by the same converter (an unknown key, a wrong type, a
    missing field refused), then `check`ed (it returns the key path and the message of the first problem,
    or None). Any error is a `RulesError` naming `name`, the key path and the line."""
    data = parse_toml(text, name)
    try:
        record: R = build(cls, data, "")
        problem = check(record)
    except Invalid as err:
        problem = err.path, err.message
    if problem is not None:
        path, message = problem
        raise RulesError(name, path, message, line_of(text, path))
    return record

