"""The member attributes: what the answers may say of each member of an aggregation, declared once.

Each attribute is one row of `ATTRIBUTES`: its answers key and kind (from which its validation,
its JSON Schema and its form control follow), its words on the form and in the guide, and, for
an attribute a rule can require (`requires` of a member class or of an `every_member` check), how
a member meets the requirement and why it does not. A call's rules name the attributes they require;
the form asks only those (`Rules.member_fields`).

A `Member` is the answers of one member: the attributes given, validated (`answers.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, get_args

from .limits import MAX_INTEGER

Size = Literal["micro", "small", "medium", "large", "other"]  # «other»: a body that is not an enterprise
SIZES: tuple[Size, ...] = get_args(Size)
SIZE_LABELS = {
    "micro": "microimpresa",
    "small": "piccola impresa",
    "medium": "media impresa",
    "large": "grande impresa",
    "other": "altro soggetto (non impresa)",
}
# A member's size as a reason after «è», with its article: «è una grande impresa».
SIZE_REASONS = {size: ("un " if size == "other" else "una ") + label for size, label in SIZE_LABELS.items()}

# text: free text; size: one of SIZES; yes_no: true or false; count: an integer from 0 to MAX_INTEGER.
Kind = Literal["text", "size", "yes_no", "count"]


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


class Attribute(NamedTuple):
    key: str
    kind: Kind
    description: str  # the JSON Schema's
    label: str  # the form's
    term: str  # a short name: the review of the answers, the worked examples
    hint: str = ""  # the form's, after the label
    # For an attribute a rule can require (the others are None): the requirement as the guide states it,
    # `{n}` the figure of a count; and why a member does not meet it (its value, the value required).
    requirement: str | None = None
    explanation: str = ""  # more words on the requirement, for the beneficiaries' page
    # For a count: a member that falls short as the guide's question says it, and what is needed (`{n}`).
    shortfall: str = ""
    needed: str = ""
    reason: Callable[[Any, Any], str] | None = None

    def meets(self, value: Any, required: Any) -> bool:
        """Whether a member's (known) value meets the requirement: a count at least the figure, a yes/no equal."""
        return bool(value >= required) if self.kind == "count" else bool(value == required)

    def states(self, required: Any) -> str:
        """The requirement with its figure, as the guide states it."""
        return (self.requirement or "").format(n=required)


ATTRIBUTES = (
    Attribute("name", "text", "Etichetta facoltativa, mostrata nel risultato.", "Nome (facoltativo)", "Nome"),
    Attribute("size", "size", "Classe dimensionale UE; other = soggetto che non è un’impresa.", "Dimensione",
              "Dimensione", hint="la classe dimensionale UE; «altro soggetto» per università, centri di ricerca, "
                                 "fondazioni e altri enti che non sono imprese."),
    Attribute("lombardy_site", "yes_no", "Sede operativa attiva in Lombardia alla presentazione.",
              "Sede operativa attiva in Lombardia?", "Sede in Lombardia",
              hint="al momento della presentazione della domanda.",
              requirement="ha una sede operativa attiva in Lombardia al momento della domanda",
              explanation="il luogo in cui l’impresa svolge davvero la sua attività, come uno stabilimento, un "
                          "laboratorio o un ufficio: può essere diverso dalla sede legale",
              reason=lambda value, required: "non ha una sede operativa attiva in Lombardia"),
    Attribute("financial_statements", "count", "Bilanci depositati (o dichiarazioni fiscali).",
              "Bilanci depositati", "Bilanci depositati",
              hint="quanti bilanci ha depositato, oppure quante dichiarazioni fiscali ha presentato chi non è tenuto "
                   "al deposito; un numero intero, ad esempio 2.",
              requirement="ha almeno {n} bilanci depositati, oppure, se non è tenuto a depositare il bilancio, almeno "
                          "{n} dichiarazioni fiscali presentate",
              shortfall="meno di {n} bilanci depositati",
              needed="servono almeno {n} bilanci depositati (oppure, per chi non è tenuto al deposito del bilancio, "
                     "almeno {n} dichiarazioni fiscali presentate)",
              reason=lambda n, required: f"ha {n} {_plural(n, 'bilancio depositato', 'bilanci depositati')} (o "
                                         f"{_plural(n, 'dichiarazione fiscale', 'dichiarazioni fiscali')}) su "
                                         f"{required} {_plural(required, 'richiesto', 'richiesti')}"),
    Attribute("signed_agreement", "yes_no", "Ha sottoscritto l’accordo di progetto.",
              "Ha sottoscritto l’accordo di progetto?", "Accordo",
              requirement="ha sottoscritto l’accordo di progetto",
              reason=lambda value, required: "non ha sottoscritto l’accordo di progetto"),
)
BY_KEY = {a.key: a for a in ATTRIBUTES}
REQUIRABLE = tuple(a.key for a in ATTRIBUTES if a.requirement is not None)
PYTHON_TYPES: dict[Kind, type] = {"text": str, "size": str, "yes_no": bool, "count": int}


def schema(attribute: Attribute) -> dict[str, Any]:
    """The JSON Schema of an attribute's value."""
    kind = attribute.kind
    value: dict[str, Any] = (
        {"enum": list(SIZES)} if kind == "size" else
        {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER} if kind == "count" else
        {"type": "boolean"} if kind == "yes_no" else {"type": "string"})
    return value | {"description": attribute.description}


def requirement_problem(requires: Mapping[str, Any]) -> tuple[str, str] | None:
    """The key and the Italian message of the first requirement that no attribute can be (None: all fine)."""
    for key, value in requires.items():
        attribute = BY_KEY.get(key)
        if attribute is None or attribute.requirement is None:
            return key, f"attributo «{key}» sconosciuto; attributi: {', '.join(REQUIRABLE)}"
        if attribute.kind == "count" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return key, "deve essere un numero intero da 0 in su (il minimo richiesto)"
        if attribute.kind == "yes_no" and value is not True:
            return key, "deve essere true (l’attributo è richiesto)"
    return None


def requirements(requires: Mapping[str, Any]) -> list[tuple[Attribute, Any]]:
    """The attributes `requires` names and the values required, in the order of ATTRIBUTES."""
    return [(a, requires[a.key]) for a in ATTRIBUTES if a.key in requires]


class Member(NamedTuple):  # a tuple, not a record: one is made for each member on every answer change
    """One member: its validated answers, keys of ATTRIBUTES (a key not given: not answered yet)."""

    values: Mapping[str, Any]

    @property
    def name(self) -> str | None:
        return self.values.get("name")

    @property
    def size(self) -> str | None:
        return self.values.get("size")

    def label(self, index: int) -> str:
        return f"membro {index + 1}" + (f" ({self.name})" if self.name else "")


def meets(requires: Mapping[str, Any], member: Member) -> tuple[bool | None, list[str]]:
    """Whether `member` meets every requirement (None: not known yet) and, for each it does not, why."""
    reasons: list[str] = []
    unknown = False
    for attribute, required in requirements(requires):
        value = member.values.get(attribute.key)
        if value is None:
            unknown = True
        elif not attribute.meets(value, required):
            assert attribute.reason is not None  # every requirable attribute has one
            reasons.append(attribute.reason(value, required))
    return (False if reasons else None if unknown else True), reasons
