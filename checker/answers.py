"""The answers object of the public format v1, validated strictly against a call's rules.

Every key is optional (missing = not answered yet); an unknown key anywhere is an
error naming its path, such as `members[2].size` or `expenses.consultancy`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import AnswersError, quote, shorten
from .limits import MAX_AMOUNT, MAX_AMOUNT_DIGITS, MAX_INTEGER, MAX_MEMBERS, MAX_YEAR, MIN_YEAR, year_pattern
from .members import BY_KEY, PYTHON_TYPES, SIZES, Member
from .model import Rules
from .money import CENT, eur
from .records import Record
from .timezone import localize

# ASCII digits only, matched with `fullmatch` (a trailing newline is not allowed): the same
# patterns go into the JSON Schema, where `\d` and `$` would mean something else.
AMOUNT_TEXT = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
# The JSON Schema's patterns also say the bounds (limits.py) that the checker enforces with a message of
# its own: an amount text of at most MAX_AMOUNT_DIGITS digits before the point, a year MIN_YEAR to MAX_YEAR.
AMOUNT_TEXT_BOUNDED = re.compile(rf"^0*[0-9]{{1,{MAX_AMOUNT_DIGITS}}}(\.[0-9]{{1,2}})?$")
_DATE_TIME = (r"^{year}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]{{1,6}})?)?"
              r"(Z|[+-][0-9]{{2}}:[0-9]{{2}})?$")
DATE_TIME = re.compile(_DATE_TIME.format(year="[0-9]{4}"))
DATE_TIME_BOUNDED = re.compile(_DATE_TIME.format(year=year_pattern()))
# An amount written the Italian way (`12.500,00`, `1.500`, `12 500`, `12,5`): refused in a file, with
# the plain decimal to write instead.
ITALIAN_AMOUNT = re.compile(r"[0-9]{1,3}([. ])[0-9]{3}(\1[0-9]{3})*(,[0-9]{1,2})?|[0-9]+,[0-9]{1,2}")
# The messages of Python's `json` (its `msg`, both the C and the Python scanner) in Italian.
JSON_MESSAGES = {
    "Expecting value": "manca un valore",
    "Expecting property name enclosed in double quotes": "serve il nome di una chiave tra virgolette doppie",
    "Expecting ':' delimiter": "manca «:» dopo il nome della chiave",
    "Expecting ',' delimiter": "manca una virgola tra due elementi",
    "Illegal trailing comma before end of array": "virgola di troppo prima della fine dell’elenco",
    "Illegal trailing comma before end of object": "virgola di troppo prima della fine dell’oggetto",
    "Unterminated string starting at": "testo tra virgolette non chiuso",
    "Invalid control character at": "carattere di controllo in un testo (scrivilo come \\n, \\t...)",
    "Invalid \\escape": "sequenza con «\\» non valida",
    "Invalid \\uXXXX escape": "sequenza «\\u» non valida: servono quattro cifre esadecimali",
    "Extra data": "altro testo dopo la fine del JSON",
    "Unexpected UTF-8 BOM (decode using utf-8-sig)": "il testo comincia con un BOM UTF-8",
}


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
        key = shorten(value.duplicate)
        raise AnswersError(f"{path}.{key}" if path else key, f"chiave {quote(value.duplicate)} ripetuta")


def loads_json(text: str) -> Any:
    """Parse JSON keeping decimals exact and refusing NaN and Infinity."""

    # NaN and Infinity are read as Decimal too: no place of the format accepts them, and the
    # validation that rejects them names their field path (`expenses.sme`), which a parse hook cannot.
    if not isinstance(text, str):
        raise AnswersError("", "le risposte devono essere un testo JSON")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=Decimal, parse_int=_integer,
                          object_pairs_hook=_object)
    except json.JSONDecodeError as err:
        what = JSON_MESSAGES.get(err.msg, "sintassi non valida")
        raise AnswersError("", f"JSON non valido alla riga {err.lineno}, colonna {err.colno}: {what}") from None
    except RecursionError:
        raise AnswersError("", "JSON annidato troppo in profondità") from None


def _unknown(path: str, key: Any, allowed: tuple[str, ...]) -> AnswersError:
    where = f"{path}.{shorten(key)}" if path else shorten(key)
    return AnswersError(where, f"chiave sconosciuta {quote(key)}; chiavi ammesse: {', '.join(allowed)}")


# Which other call asks an answer key (`catalogue.call_asking`): an unknown key that another call asks is
# worded as such («… riguarda il bando filiere-2022, non …»).
Elsewhere = Callable[[str, str], str | None]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_amount(value: Any, path: str) -> Decimal:
    """A euro amount: a JSON number or a plain decimal string, at most two decimals, never negative."""
    if isinstance(value, bool):
        raise AnswersError(path, "deve essere un importo in euro (un numero), non true o false")
    if isinstance(value, str):
        if not AMOUNT_TEXT.fullmatch(value):
            if ITALIAN_AMOUNT.fullmatch(value):
                raise AnswersError(path, f"{quote(value)} sembra un importo in formato italiano: nel file usa "
                                         f"\"{_plain_of_italian(value)}\" (il punto separa i decimali, le "
                                         "migliaia non si separano)")
            raise AnswersError(path, f"{quote(value)} non è un importo valido: usa un decimale semplice, "
                                     "ad esempio \"12500.00\"")
        amount = Decimal(value)
    elif isinstance(value, (int, Decimal, float)):
        try:
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:  # pragma: no cover -- Decimal accepts every int and finite float
            raise AnswersError(path, "non è un importo valido") from None
        if not amount.is_finite():
            raise AnswersError(path, f"{quote(value)} non è un importo ammesso: serve un numero finito")
        if amount < 0:
            raise AnswersError(path, f"l’importo non può essere negativo ({shorten(value)})")
    else:
        raise AnswersError(path, "deve essere un importo in euro: un numero o un testo come \"12500.00\"")
    if amount > MAX_AMOUNT:
        raise AnswersError(path, f"importo troppo grande: al massimo {eur(MAX_AMOUNT)}")
    if amount != amount.quantize(CENT):
        raise AnswersError(path, f"al massimo due decimali (centesimi): {shorten(value)}")
    return amount.copy_abs()  # -0.0 is a JSON number too: never show «-0» back


def _plain_of_italian(text: str) -> str:
    """`12.500,5` -> `12500.50`: an Italian amount (ITALIAN_AMOUNT) as the plain decimal of the format."""
    units, _, cents = text.replace(".", "").replace(" ", "").partition(",")
    return units + (f".{cents:0<2}" if cents else "")


def parse_integer(value: Any, path: str, low: int) -> int:
    """An integer answer from `low` to MAX_INTEGER: a JSON integer, or a JSON number without a fractional
    part (`2.0`, `2e0`: JSON Schema's `integer`, and all that JavaScript can tell apart)."""
    wanted = f"deve essere un numero intero da {low} a {MAX_INTEGER}"
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise AnswersError(path, wanted)
    number = value if isinstance(value, int) else Decimal(value)
    if (isinstance(number, Decimal) and not (number.is_finite() and number == number.to_integral_value())) \
            or not low <= number <= MAX_INTEGER:
        raise AnswersError(path, f"{wanted}, non {shorten(value)}")
    return int(number)


def _in_years(moment: datetime, path: str) -> datetime:
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise AnswersError(path, f"l’anno deve essere tra {MIN_YEAR} e {MAX_YEAR}, non {moment.year}")
    return moment


def parse_now(now: Any) -> datetime:
    """The evaluation time given to `evaluate` or to the browser bridge: a `datetime` within the years."""
    if not isinstance(now, datetime):
        raise AnswersError("now", "deve essere una data e ora (datetime)")
    return _in_years(now, "now")


def parse_submitted_at(value: Any, zone: str) -> datetime:
    if not isinstance(value, str) or not DATE_TIME.fullmatch(value):
        raise AnswersError("submitted_at", "deve essere una data e ora ISO 8601, ad esempio \"2025-04-03T16:00:00\"")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise AnswersError("submitted_at", f"{quote(value)} non è una data e ora esistente") from None
    return localize(_in_years(moment, "submitted_at"), zone)


def _is_object(value: Any) -> bool:
    """A JSON object: a dict (what `loads_json` gives), or any other mapping (checked second: slower)."""
    return isinstance(value, (dict, Mapping))


def _member(rules: Rules, value: Any, path: str) -> Member:
    if not _is_object(value):
        raise AnswersError(path, "ogni membro deve essere un oggetto")
    _no_duplicate(value, path)
    allowed = rules.member_fields
    fixed = None  # the member's values, when an integer is written as 2.0
    for key, item in value.items():
        if key not in allowed:
            raise _unknown(path, key, allowed)
        kind = BY_KEY[key].kind
        if kind == "size":
            if item not in SIZES:
                raise AnswersError(f"{path}.{key}",
                                   f"valore {quote(item)} non ammesso; valori ammessi: {', '.join(SIZES)}")
        elif kind == "count":
            if not _is_int(item) or not 0 <= item <= MAX_INTEGER:
                fixed = (fixed or dict(value)) | {key: parse_integer(item, f"{path}.{key}", 0)}
        elif not isinstance(item, PYTHON_TYPES[kind]):
            raise AnswersError(f"{path}.{key}",
                               "deve essere true o false" if kind == "yes_no" else "deve essere un testo")
        elif isinstance(item, str) and not item.isascii():
            _no_surrogate(item, f"{path}.{key}")
    return Member(fixed or dict(value))


def _no_surrogate(text: str, path: str) -> None:
    """A text shown back in the result must be Unicode that UTF-8 can write: no lone surrogate (`\\ud800`)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise AnswersError(path, f"il testo contiene un carattere non valido ({shorten(text[err.start])}, un "
                                 "surrogato UTF-16 isolato): correggi o togli quel carattere") from None


def parse_answers(rules: Rules, data: Any, elsewhere: Elsewhere | None = None) -> Answers:  # noqa: C901, PLR0912 -- one branch a key of the format
    """Validate a decoded answers object for `rules`; raise `AnswersError` naming the path (`elsewhere`
    words a key that another call asks)."""
    if not _is_object(data):
        raise AnswersError("", "le risposte devono essere un oggetto JSON, ad esempio {}")
    _no_duplicate(data, "")
    allowed = rules.answer_keys
    parsed: dict[str, Any] = {"questions": {}}
    for key, value in data.items():
        if key not in allowed:
            other = elsewhere(key, rules.id) if elsewhere else None
            if other is not None:
                raise AnswersError(shorten(key), f"{quote(key)} riguarda il bando {other}, non {rules.id}")
            raise _unknown("", key, allowed)
        if key == "submitted_at":
            parsed[key] = parse_submitted_at(value, rules.window.timezone)
        elif key == "members":
            if not isinstance(value, list):
                raise AnswersError(key, "deve essere un elenco di membri")
            if len(value) > MAX_MEMBERS:
                raise AnswersError(key, f"al massimo {MAX_MEMBERS} membri, non {len(value)}")
            parsed[key] = tuple(_member(rules, m, f"members[{i}]") for i, m in enumerate(value))
        elif key == "areas":
            if not isinstance(value, list):
                raise AnswersError(key, "deve essere un elenco di ambiti")
            area_ids = [a.id for a in rules.areas]
            for i, area in enumerate(value):
                if area not in area_ids:
                    raise AnswersError(f"areas[{i}]",
                                       f"ambito {quote(area)} sconosciuto; ambiti: {', '.join(area_ids)}")
                if area in value[:i]:
                    raise AnswersError(f"areas[{i}]", f"ambito {quote(area)} ripetuto")
            parsed[key] = tuple(value)
        elif key == "expenses":
            if not _is_object(value):
                raise AnswersError(key, "deve essere un oggetto con gli importi per voce di spesa")
            _no_duplicate(value, key)
            ids = tuple(e.id for e in rules.entered_expenses)
            amounts = {}
            for expense, amount in value.items():
                if expense not in ids:
                    raise _unknown("expenses", expense, ids)
                amounts[expense] = parse_amount(amount, f"expenses.{expense}")
            parsed[key] = amounts
        else:
            question = rules.question(key)
            if question.type == "boolean" and not isinstance(value, bool):
                raise AnswersError(key, "deve essere true o false")
            parsed["questions"][key] = value if question.type != "integer" else \
                parse_integer(value, key, 0 if question.min is None else question.min)
    return Answers(**parsed)
