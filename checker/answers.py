"""The answers object of the public format v1, validated strictly against a call's rules.

Every key is optional (missing = not answered yet); an unknown key anywhere is an
error naming its path, such as `members[2].size` or `expenses.consultancy`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from . import rules as rules_mod
from .errors import AnswersError
from .money import CENT
from .records import Record
from .rules import SIZES, Rules
from .timezone import localize

MAX_AMOUNT = Decimal(10) ** 15  # a thousand billion euro: beyond any call, within Decimal precision
# ASCII digits only, matched with `fullmatch` (a trailing newline is not allowed): the same
# patterns go into the JSON Schema, where `\d` and `$` would mean something else.
AMOUNT_TEXT = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
                       r"(Z|[+-][0-9]{2}:[0-9]{2})?$")
MEMBER_TYPES = {"name": str, "size": str, "lombardy_site": bool, "financial_statements": int, "signed_agreement": bool}


class Member(NamedTuple):  # a tuple, not a dataclass: one is made for each member on every answer change
    name: str | None = None
    size: str | None = None
    lombardy_site: bool | None = None
    financial_statements: int | None = None
    signed_agreement: bool | None = None

    def label(self, index: int) -> str:
        return f"membro {index + 1}" + (f" ({self.name})" if self.name else "")


class Answers(Record):
    submitted_at: datetime | None = None
    members: tuple[Member, ...] | None = None
    areas: tuple[str, ...] | None = None
    expenses: dict[str, Decimal] | None = None
    questions: dict[str, bool | int] = field(default_factory=dict)


def _integer(digits: str) -> int | Decimal:
    """An integer literal; one too long for `int` (over 4300 digits) stays a Decimal, refused where it stands."""
    try:
        return int(digits)
    except ValueError:
        return Decimal(digits)


class _Duplicated(dict[str, Any]):
    """A JSON object that repeated a key (`duplicate`): refused with its path, never read as «the last one wins»."""

    duplicate: str


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    duplicated, seen = _Duplicated(out), set()
    for key, _ in pairs:
        if key in seen:
            duplicated.duplicate = key
            break
        seen.add(key)
    return duplicated


def _no_duplicate(value: Any, path: str) -> None:
    if isinstance(value, _Duplicated):
        where = f"{path}.{value.duplicate}" if path else value.duplicate
        raise AnswersError(where, f"chiave «{value.duplicate}» ripetuta")


def loads_json(text: str) -> Any:
    """Parse JSON keeping decimals exact and refusing NaN and Infinity."""

    # NaN and Infinity are read as Decimal too: no place of the format accepts them, and the
    # validation that rejects them names their field path (`expenses.sme`), which a parse hook cannot.
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=Decimal, parse_int=_integer,
                          object_pairs_hook=_object)
    except json.JSONDecodeError as err:
        raise AnswersError("", f"JSON non valido alla riga {err.lineno}, colonna {err.colno}: {err.msg}") from None
    except RecursionError:
        raise AnswersError("", "JSON annidato troppo in profondità") from None


def _unknown(path: str, key: str, allowed: tuple[str, ...], rules: Rules) -> AnswersError:
    where = f"{path}.{key}" if path else key
    others = [c for c in rules_mod.call_ids() if c != rules.id]
    for other in others:
        if path == "" and key in rules_mod.get(other).answer_keys:
            return AnswersError(where, f"«{key}» riguarda il bando {other}, non {rules.id}")
    return AnswersError(where, f"chiave sconosciuta «{key}»; chiavi ammesse: {', '.join(allowed)}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_amount(value: Any, path: str) -> Decimal:
    """A euro amount: a JSON number or a plain decimal string, at most two decimals, never negative."""
    if isinstance(value, bool):
        raise AnswersError(path, "deve essere un importo in euro (un numero), non true o false")
    if isinstance(value, str):
        if not AMOUNT_TEXT.fullmatch(value):
            raise AnswersError(path, f"«{value}» non è un importo valido: usa un decimale semplice, "
                                     "ad esempio \"12500.00\"")
        amount = Decimal(value)
    elif isinstance(value, (int, Decimal, float)):
        try:
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:  # pragma: no cover -- Decimal accepts every int and finite float
            raise AnswersError(path, "non è un importo valido") from None
        if not amount.is_finite():
            raise AnswersError(path, f"{value} non è un importo ammesso: serve un numero finito")
        if amount < 0:
            raise AnswersError(path, f"l’importo non può essere negativo ({value})")
    else:
        raise AnswersError(path, "deve essere un importo in euro: un numero o un testo come \"12500.00\"")
    if amount >= MAX_AMOUNT:
        raise AnswersError(path, "importo troppo grande")
    if amount != amount.quantize(CENT):
        raise AnswersError(path, f"al massimo due decimali (centesimi): {value}")
    return amount.copy_abs()  # -0.0 is a JSON number too: never show «-0» back


def parse_submitted_at(value: Any, zone: str) -> datetime:
    if not isinstance(value, str) or not DATE_TIME.fullmatch(value):
        raise AnswersError("submitted_at", "deve essere una data e ora ISO 8601, ad esempio \"2025-04-03T16:00:00\"")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise AnswersError("submitted_at", f"«{value}» non è una data e ora esistente") from None
    return localize(moment, zone)


def _is_object(value: Any) -> bool:
    """A JSON object: a dict (what `loads_json` gives), or any other mapping (checked second: slower)."""
    return isinstance(value, (dict, Mapping))


def _member(rules: Rules, value: Any, path: str) -> Member:
    if not _is_object(value):
        raise AnswersError(path, "ogni membro deve essere un oggetto")
    _no_duplicate(value, path)
    allowed = rules.member_fields
    for key, item in value.items():
        if key not in allowed:
            raise _unknown(path, key, allowed, rules)
        kind = MEMBER_TYPES[key]
        if key == "size":
            if item not in SIZES:
                raise AnswersError(f"{path}.{key}",
                                   f"valore «{item}» non ammesso; valori ammessi: {', '.join(SIZES)}")
        elif kind is int:
            if not _is_int(item) or item < 0:
                raise AnswersError(f"{path}.{key}", "deve essere un numero intero, zero o più")
        elif not isinstance(item, kind):
            raise AnswersError(f"{path}.{key}",
                               "deve essere true o false" if kind is bool else "deve essere un testo")
    return Member(**value)


def parse_answers(rules: Rules, data: Any) -> Answers:  # noqa: C901, PLR0912 -- one branch a key of the format
    """Validate a decoded answers object for `rules`; raise `AnswersError` naming the path."""
    if not _is_object(data):
        raise AnswersError("", "le risposte devono essere un oggetto JSON, ad esempio {}")
    _no_duplicate(data, "")
    allowed = rules.answer_keys
    parsed: dict[str, Any] = {"questions": {}}
    for key, value in data.items():
        if key not in allowed:
            raise _unknown("", key, allowed, rules)
        if key == "submitted_at":
            parsed[key] = parse_submitted_at(value, rules.window.timezone)
        elif key == "members":
            if not isinstance(value, list):
                raise AnswersError(key, "deve essere un elenco di membri")
            parsed[key] = tuple(_member(rules, m, f"members[{i}]") for i, m in enumerate(value))
        elif key == "areas":
            if not isinstance(value, list):
                raise AnswersError(key, "deve essere un elenco di ambiti")
            area_ids = [a.id for a in rules.areas]
            for i, area in enumerate(value):
                if area not in area_ids:
                    raise AnswersError(f"areas[{i}]", f"ambito «{area}» sconosciuto; ambiti: {', '.join(area_ids)}")
                if area in value[:i]:
                    raise AnswersError(f"areas[{i}]", f"ambito «{area}» ripetuto")
            parsed[key] = tuple(value)
        elif key == "expenses":
            if not _is_object(value):
                raise AnswersError(key, "deve essere un oggetto con gli importi per voce di spesa")
            _no_duplicate(value, key)
            ids = tuple(e.id for e in rules.entered_expenses)
            amounts = {}
            for expense, amount in value.items():
                if expense not in ids:
                    raise _unknown("expenses", expense, ids, rules)
                amounts[expense] = parse_amount(amount, f"expenses.{expense}")
            parsed[key] = amounts
        else:
            question = rules.question(key)
            if question.type == "boolean" and not isinstance(value, bool):
                raise AnswersError(key, "deve essere true o false")
            if question.type == "integer":
                if not _is_int(value):
                    raise AnswersError(key, "deve essere un numero intero")
                if question.min is not None and value < question.min:
                    raise AnswersError(key, f"deve essere almeno {question.min}")
            parsed["questions"][key] = value
    return Answers(**parsed)
