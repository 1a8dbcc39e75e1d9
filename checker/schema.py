"""The JSON Schema of the answers format v1, generated from each call's rules."""

from __future__ import annotations

from typing import Any

from .answers import AMOUNT_TEXT, DATE_TIME, MAX_AMOUNT
from .rules import SIZES, Rules

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MEMBER_PROPERTIES: dict[str, dict[str, Any]] = {
    "name": {"type": "string", "description": "Etichetta facoltativa, mostrata nel risultato."},
    "size": {"enum": list(SIZES), "description": "Classe dimensionale UE; other = soggetto che non è un’impresa."},
    "lombardy_site": {"type": "boolean", "description": "Sede operativa attiva in Lombardia alla presentazione."},
    "financial_statements": {"type": "integer", "minimum": 0,
                             "description": "Bilanci depositati (o dichiarazioni fiscali)."},
    "signed_agreement": {"type": "boolean", "description": "Ha sottoscritto l’accordo di progetto."},
}


def amount_schema(description: str) -> dict[str, Any]:
    # No `"multipleOf": 0.01` for numbers: validators divide in binary floating point, so they would
    # refuse 19.99 or 0.07. The checker itself enforces «at most two decimals» exactly.
    return {
        "description": f"{description}. Importo in euro, al massimo due decimali.",
        "oneOf": [
            {"type": "number", "minimum": 0, "exclusiveMaximum": int(MAX_AMOUNT)},
            {"type": "string", "pattern": AMOUNT_TEXT.pattern},
        ],
    }


def answers_schema(rules: Rules) -> dict[str, Any]:
    """A JSON Schema (2020-12) of the answers object for `rules`."""
    questions = {
        q.id: ({"type": "boolean"} if q.type == "boolean" else
               {"type": "integer"} | ({"minimum": q.min} if q.min is not None else {}))
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
                "type": "string", "pattern": DATE_TIME.pattern,
                "description": "Data e ora ISO 8601 della presentazione; senza fuso orario è ora di "
                               f"{rules.window.timezone}. Assente: l’ora attuale.",
            },
            "members": {
                "type": "array",
                "description": "Ogni impresa o altro soggetto dell’aggregazione.",
                "items": {
                    "type": "object", "additionalProperties": False,
                    "properties": {k: MEMBER_PROPERTIES[k] for k in rules.member_fields},
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
