"""The JSON Schema of the answers format v1, generated from each call's rules."""

from __future__ import annotations

from typing import Any

from . import members
from .answers import AMOUNT_TEXT_BOUNDED, DATE_TIME_BOUNDED
from .limits import MAX_AMOUNT, MAX_INTEGER, MAX_MEMBERS, MAX_YEAR, MIN_YEAR
from .model import Rules
from .money import eur

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def amount_schema(description: str) -> dict[str, Any]:
    # No `"multipleOf": 0.01` for numbers: validators divide in binary floating point, so they would
    # refuse 19.99 or 0.07. The checker itself enforces «at most two decimals» exactly.
    # The maximum is a JSON number with two decimals: a validator reads it as the same binary float as
    # the amount 999999999999.99 itself, and every larger amount of at most two decimals is a larger float.
    return {
        "description": f"{description}. Importo in euro, al massimo due decimali, fino a {eur(MAX_AMOUNT)}.",
        "oneOf": [
            {"type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT)},
            {"type": "string", "pattern": AMOUNT_TEXT_BOUNDED.pattern},
        ],
    }


def answers_schema(rules: Rules) -> dict[str, Any]:
    """A JSON Schema (2020-12) of the answers object for `rules`."""
    questions = {
        q.id: ({"type": "boolean"} if q.type == "boolean" else
               {"type": "integer", "minimum": 0 if q.min is None else q.min, "maximum": MAX_INTEGER})
        | {"description": q.label}
        for q in rules.questions
    }
    return {
        "$schema": DIALECT,
        "$id": f"{rules.id}.schema.json",
        "title": f"Risposte (formato v1) – {rules.title}",
        "description": "Ogni chiave è facoltativa: una chiave assente significa «non ancora risposto». "
                       "Chiavi sconosciute sono un errore.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "submitted_at": {
                "type": "string", "pattern": DATE_TIME_BOUNDED.pattern,
                "description": "Data e ora ISO 8601 della presentazione, dall’anno "
                               f"{MIN_YEAR} al {MAX_YEAR}; senza fuso orario è ora di "
                               f"{rules.window.timezone}. Assente: l’ora attuale.",
            },
            "members": {
                "type": "array", "maxItems": MAX_MEMBERS,
                "description": f"Ogni impresa o altro soggetto dell’aggregazione (al massimo {MAX_MEMBERS}).",
                "items": {
                    "type": "object", "additionalProperties": False,
                    "properties": {k: members.schema(members.BY_KEY[k]) for k in rules.member_fields},
                },
            },
            "areas": {"type": "array", "uniqueItems": True, "items": {"enum": [a.id for a in rules.areas]},
                      "description": "Gli ambiti del bando a cui si riferisce il progetto."},
            "expenses": {
                "type": "object", "additionalProperties": False,
                "description": "Importi in euro per voce di spesa.",
                "properties": {e.id: amount_schema(e.display) for e in rules.entered_expenses},
            },
        } | questions,
    }
