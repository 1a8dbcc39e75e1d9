"""The SME class helper: micro, small, medium or large enterprise from three figures, by the EU definition.

Commission Recommendation 2003/361/EC, Annex, art. 2: an enterprise is

- micro if it employs fewer than 10 persons and its annual turnover or its annual balance sheet total
  does not exceed EUR 2 million;
- small if fewer than 50 persons and turnover or balance sheet total not exceeding EUR 10 million;
- medium if fewer than 250 persons and turnover not exceeding EUR 50 million or balance sheet total
  not exceeding EUR 43 million;
- large otherwise.

The headcount is strict («meno di»), the money ceilings inclusive («non superiore»), and either money
figure within its ceiling is enough. The ceilings, the reference and the texts a person reads live once,
in `definitions/sme-2003-361.toml`, loaded strictly as a call's rules are (`loads`); the browser's
wheel ships it compiled, as it does the calls' rules (`compiled_files`).

Missing figures: any of the three may be missing (None, or absent from a JSON object). A class is then
`pass` (its ceilings are met whatever the missing figures), `fail` (they cannot be) or `missing`; the
enterprise's size is the smallest class that passes, when no smaller class is still possible. So a
turnover within a ceiling decides without the balance sheet total, and 250 persons or more decide
«large» without any amount; otherwise the result names the sizes still possible and the figures missing.
"""

# No `from __future__ import annotations` here: the rules' converter reads the records' annotations at
# run time (see checker/model.py).
import dataclasses
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, Literal

from . import compiled
from .answers import ITALIAN_AMOUNT
from .errors import FiguresError, quote, shorten
from .figures import Money
from .limits import HEADCOUNT_DECIMALS, MAX_AMOUNT, MAX_HEADCOUNT
from .loader import load_record, version_of
from .members import SIZE_LABELS
from .money import CENT, eur
from .records import Record

DEFINITION = "sme-2003-361"
FOLDER = "definitions"
FIGURES = ("headcount", "turnover", "balance_sheet")
SME_SIZES = ("micro", "small", "medium")
Status = Literal["pass", "fail", "missing"]


# --- the definition file's schema ------------------------------------------------------------------

class Reference(Record):
    """The act the figures come from."""

    title: str
    short_title: str
    celex: str
    url: str
    journal: str
    articles: str


class SizeClass(Record):
    """The ceilings of one class: fewer persons than `headcount_below`, and a turnover not above
    `turnover_max` or a balance sheet total not above `balance_sheet_max`."""

    size: Literal["micro", "small", "medium"]
    article: str
    headcount_below: int
    turnover_max: Money
    balance_sheet_max: Money


class Figure(Record):
    """A figure the helper asks: the form's label, its name in a sentence (`phrase`: with its article),
    a hint, the article of the Recommendation."""

    label: str
    name: str
    phrase: str
    hint: str
    article: str
    unit: str | None = None


class Figures(Record):
    headcount: Figure
    turnover: Figure
    balance_sheet: Figure


class Note(Record):
    """Something a person must know before relying on the class (always shown with the result)."""

    id: str
    article: str
    text: str


class Definition(Record):
    format: Literal[1]
    id: str
    reference: Reference
    classes: tuple[SizeClass, ...]
    figures: Figures
    notes: tuple[Note, ...]
    # Not in the file: set by the loader (a hash of the file's text, as a call's `rules_version`).
    version: str = dataclasses.field(default="", metadata={"internal": True})


def _consistency(d: Definition) -> tuple[str, str] | None:  # noqa: PLR0911 -- one return a check
    """The first problem of a loaded definition (key path, message), or None."""
    sizes = tuple(c.size for c in d.classes)
    if sizes != SME_SIZES:
        return "classes", f"servono le classi {', '.join(SME_SIZES)}, in quest’ordine (non {', '.join(sizes)})"
    for i, c in enumerate(d.classes):
        if c.headcount_below < 1:
            return f"classes[{i}].headcount_below", "deve essere almeno 1"
        for key in ("turnover_max", "balance_sheet_max"):
            value = getattr(c, key)
            if not 0 <= value <= MAX_AMOUNT or value != value.quantize(CENT):
                return f"classes[{i}].{key}", f"deve essere un importo da 0 a {eur(MAX_AMOUNT)}, in centesimi"
        if i:  # each class within the next: the smallest class that passes is the enterprise's
            prev = d.classes[i - 1]
            for key in ("headcount_below", "turnover_max", "balance_sheet_max"):
                if getattr(c, key) < getattr(prev, key):
                    return f"classes[{i}].{key}", f"non può essere minore di quello della classe {prev.size}"
    if not d.reference.url.startswith("https://eur-lex.europa.eu/") or f"CELEX:{d.reference.celex}" \
            not in d.reference.url:
        return "reference.url", f"deve essere l’indirizzo EUR-Lex dell’atto CELEX {d.reference.celex}"
    ids = [n.id for n in d.notes]
    for i, note_id in enumerate(ids):
        if note_id in ids[:i]:
            return f"notes[{i}].id", f"identificativo «{note_id}» ripetuto"
    return None


def _named_after_the_file(d: Definition, name: str) -> tuple[str, str] | None:
    expected = name.rsplit("/", 1)[-1].removesuffix(".toml")
    if name.endswith(".toml") and d.id != expected:
        return "id", f"l’id «{d.id}» deve coincidere con il nome del file «{expected}»"
    return None


def loads(text: str, name: str) -> Definition:
    """A definition file's text, validated (a `RulesError` names `name`, the key path and the line)."""

    loaded = load_record(Definition, text, name, lambda d: _consistency(d) or _named_after_the_file(d, name))
    return dataclasses.replace(loaded, version=version_of(text))


@cache
def definition() -> Definition:
    """The shipped definition: compiled in the browser's wheel (see `compiled_files`), else its TOML."""
    return compiled.read(resources.files(__package__).joinpath(FOLDER), DEFINITION, loads,
                         f"{FOLDER}/{DEFINITION}.toml")

def compiled_files() -> list[tuple[str, bytes]]:
    """The compiled files the browser's wheel adds (paths inside the package): the definition, validated
    now and pickled next to its TOML, so that the browser never parses TOML (see checker/compiled.py)."""
    return [(f"{FOLDER}/{DEFINITION}{compiled.COMPILED}", compiled.compiled(definition()))]


# --- the figures ---------------------------------------------------------------------------------------

PLAIN = re.compile(r"[0-9]+(\.[0-9]{1,2})?")  # with fullmatch: a plain decimal, at most two decimals
MORE_DECIMALS = re.compile(r"[0-9]+\.[0-9]{3,}")


def _plain_of(text: str) -> str:
    """`12.500,5` -> `12500.5`: a figure written the Italian way as the plain decimal to write instead."""
    return text.replace(".", "").replace(" ", "").replace(",", ".")


def ula(value: Decimal) -> str:
    """A headcount as Italian prose writes it: `9,5`, `12`, `1.200,25`."""
    units, frac = divmod(value, 1)
    text = f"{int(units):,}".replace(",", ".")
    if frac:
        text += "," + format(frac.normalize(), "f").split(".")[1]
    return text


def parse_figure(figure: str, value: Any) -> Decimal | None:
    """One figure (`headcount`, `turnover` or `balance_sheet`): None or absent when not given; otherwise a
    JSON number or a plain decimal text, not negative, at most two decimals, within the bounds of
    checker/limits.py (MAX_HEADCOUNT, MAX_AMOUNT). Raises `FiguresError` naming the figure."""
    if value is None:
        return None
    headcount = figure == "headcount"
    what = "un numero di ULA, ad esempio 9.5" if headcount else "un importo in euro, ad esempio 2000000.00"
    if isinstance(value, bool):
        raise FiguresError(figure, f"deve essere {what}, non true o false")
    if isinstance(value, str):
        number = _text_figure(figure, value, what)
    elif isinstance(value, (int, Decimal, float)):
        try:
            number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:  # pragma: no cover -- Decimal accepts every int and finite float
            raise FiguresError(figure, f"deve essere {what}") from None
        if not number.is_finite():
            raise FiguresError(figure, f"{quote(value)} non è ammesso: serve un numero finito")
    else:
        raise FiguresError(figure, f"deve essere {what} (un numero, o un testo come \"9.5\")")
    if number < 0:
        raise FiguresError(figure, f"non può essere negativo ({shorten(value)})")
    if headcount and number > MAX_HEADCOUNT:
        raise FiguresError(figure, f"troppo grande: al massimo {ula(MAX_HEADCOUNT)} ULA")
    if not headcount and number > MAX_AMOUNT:
        raise FiguresError(figure, f"importo troppo grande: al massimo {eur(MAX_AMOUNT)}")
    if number != number.quantize(Decimal(1).scaleb(-HEADCOUNT_DECIMALS) if headcount else CENT):
        raise FiguresError(figure, _decimals_message(headcount, shorten(value)))
    return number.copy_abs()  # -0 is a JSON number too: never show «-0» back


def _decimals_message(headcount: bool, shown: str) -> str:
    if headcount:
        return (f"al massimo due decimali, non {shown}: togli le altre cifre senza arrotondare (9,996 diventa "
                "9,99: le soglie sono numeri interi, e il confronto resta lo stesso)")
    return f"al massimo due decimali (centesimi), non {shown}"


def _text_figure(figure: str, text: str, what: str) -> Decimal:
    """A figure written as a text: a plain decimal (`"9.5"`, `"2000000.00"`); a text written the Italian
    way is refused with the plain decimal to write instead."""
    if PLAIN.fullmatch(text):
        return Decimal(text)
    if text.startswith("-") and PLAIN.fullmatch(text[1:]):
        if Decimal(text[1:]):
            raise FiguresError(figure, f"non può essere negativo ({shorten(text)})")
        return Decimal(0)
    headcount = figure == "headcount"
    thousands = ITALIAN_AMOUNT.fullmatch(text)
    if MORE_DECIMALS.fullmatch(text):
        if headcount and thousands:  # «1.500»: 1.5 written with three decimals, or 1500 written the Italian way
            raise FiguresError(figure, f"{quote(text)}: se sono migliaia, scrivi \"{_plain_of(text)}\" (le migliaia "
                                       "non si separano); se sono decimali, al massimo due (togli le altre cifre "
                                       "senza arrotondare)")
        if not thousands:
            raise FiguresError(figure, _decimals_message(headcount, quote(text)))
    if thousands:
        raise FiguresError(figure, f"{quote(text)} sembra un numero in formato italiano: scrivi "
                                   f"\"{_plain_of(text)}\" (il punto separa i decimali, le migliaia non si separano)")
    raise FiguresError(figure, f"{quote(text)} non è un numero valido: serve {what}")


def parse_figures(data: Any) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """A JSON object of figures (`{"headcount": 9.5, "turnover": "2000000"}`, each key optional, null =
    not given): (headcount, turnover, balance sheet total). Raises `FiguresError` naming the key."""
    if not isinstance(data, Mapping):
        raise FiguresError("", "i dati devono essere un oggetto JSON, ad esempio {\"headcount\": 9.5}")
    duplicate = getattr(data, "duplicate", None)  # answers.loads_json marks a repeated key
    if duplicate is not None:
        raise FiguresError(shorten(duplicate), f"chiave {quote(duplicate)} ripetuta")
    for key in data:
        if key not in FIGURES:
            raise FiguresError(shorten(key), f"chiave sconosciuta {quote(key)}; chiavi ammesse: {', '.join(FIGURES)}")
    headcount, turnover, balance_sheet = (parse_figure(f, data.get(f)) for f in FIGURES)
    return headcount, turnover, balance_sheet


# --- the classification ----------------------------------------------------------------------------------

def _within(value: Decimal | None, ceiling: Decimal | int, strict: bool) -> bool | None:
    if value is None:
        return None
    return value < ceiling if strict else value <= ceiling


def _either(a: bool | None, b: bool | None) -> bool | None:
    """Three-valued «or»: true if either is, false if both are, else not known."""
    if a or b:
        return True
    return False if a is False and b is False else None


def _both(a: bool | None, b: bool | None) -> bool | None:
    """Three-valued «and»: false if either is, true if both are, else not known."""
    if a is False or b is False:
        return False
    return True if a and b else None


STATUS: dict[bool | None, Status] = {True: "pass", False: "fail", None: "missing"}


class Criterion(Record):
    figure: str
    value: Decimal | None
    ceiling: Decimal | int
    within: bool | None


class ClassTest(Record):
    """One class's ceilings against the figures: `within` is None when the missing figures decide."""

    cls: SizeClass
    criteria: tuple[Criterion, Criterion, Criterion]
    within: bool | None


class Classification(Record):
    """The size (None when the figures given do not decide), the sizes still possible (one when decided),
    the figures missing for a decision, and each class tested, from micro up to the decisive one."""

    size: str | None
    possible: tuple[str, ...]
    missing: tuple[str, ...]
    figures: tuple[Decimal | None, Decimal | None, Decimal | None]
    tests: tuple[ClassTest, ...]

    def as_dict(self) -> dict[str, Any]:
        """The result object (see `result`)."""
        return result(self)


def classify(headcount: Any = None, turnover: Any = None, balance_sheet: Any = None) -> Classification:
    """The class of an enterprise with this headcount (ULA), annual turnover and annual balance sheet total
    (euro): each a number, a plain decimal text or None (not given). Raises `FiguresError` for a bad figure."""
    figures = (parse_figure("headcount", headcount), parse_figure("turnover", turnover),
               parse_figure("balance_sheet", balance_sheet))
    return _classify(figures)


def _classify(figures: tuple[Decimal | None, Decimal | None, Decimal | None]) -> Classification:
    h, t, b = figures
    tests: list[ClassTest] = []
    for cls in definition().classes:
        criteria = (Criterion("headcount", h, cls.headcount_below, _within(h, cls.headcount_below, True)),
                    Criterion("turnover", t, cls.turnover_max, _within(t, cls.turnover_max, False)),
                    Criterion("balance_sheet", b, cls.balance_sheet_max, _within(b, cls.balance_sheet_max, False)))
        within = _both(criteria[0].within, _either(criteria[1].within, criteria[2].within))
        tests.append(ClassTest(cls, criteria, within))
        if within:
            break
    # Each class lies within the next (the loader checks it): a failed class fails every smaller one, so the
    # sizes still possible are those not failed, up to the first that passes (or «large» if none does).
    possible: list[str] = [test.cls.size for test in tests if test.within is not False]
    if not tests[-1].within:
        possible.append("large")
    missing = {c.figure for test in tests if test.within is None for c in _undecided(test)}
    return Classification(possible[0] if len(possible) == 1 else None, tuple(possible),
                          tuple(f for f in FIGURES if f in missing), figures, tuple(tests))


def _undecided(test: ClassTest) -> tuple[Criterion, ...]:
    """The missing figures that leave `test` undecided: the headcount, and the amounts if neither decides."""
    head, *money = test.criteria
    out: tuple[Criterion, ...] = (head,) if head.value is None else ()
    if _either(money[0].within, money[1].within) is None:
        out += tuple(c for c in money if c.value is None)
    return out


def classify_figures(data: Any) -> Classification:
    """`classify` of a decoded JSON object of figures (see `parse_figures`)."""
    return _classify(parse_figures(data))


# --- the result a person reads ----------------------------------------------------------------------------

def _label(size: str) -> str:
    return SIZE_LABELS[size]


def _shown(figure: str, value: Decimal) -> str:
    return f"{ula(value)} {definition().figures.headcount.unit}" if figure == "headcount" else eur(value)


def _ceiling(figure: str, ceiling: Decimal | int) -> str:
    return ula(Decimal(ceiling)) if figure == "headcount" else eur(Decimal(ceiling), always_cents=False)


def _name(figure: str) -> str:
    name: str = getattr(definition().figures, figure).name
    return name


def _criterion_text(c: Criterion) -> str:
    """`effettivi 9,5 ULA, meno di 10`, `fatturato annuo € 3.000.000,00, superiore a € 2.000.000` (a given figure)."""
    assert c.value is not None
    ceiling = _ceiling(c.figure, c.ceiling)
    if c.figure == "headcount":
        return f"{_name(c.figure)} {_shown(c.figure, c.value)}, {'meno' if c.within else 'non meno'} di {ceiling}"
    return f"{_name(c.figure)} {_shown(c.figure, c.value)}, {'non superiore' if c.within else 'superiore'} a {ceiling}"


def _missing_amounts(turnover: Criterion, balance: Criterion) -> str:
    """The amounts not given of a class that they would decide, and what they must be."""
    absent = [c for c in (turnover, balance) if c.value is None]
    if len(absent) == 1:
        ceiling = _ceiling(absent[0].figure, absent[0].ceiling)
        return f"{_name(absent[0].figure)}: dato mancante (basta che non superi {ceiling})"
    if turnover.ceiling == balance.ceiling:
        wanted = f"basta che uno dei due non superi {_ceiling('turnover', turnover.ceiling)}"
    else:
        wanted = (f"basta un {_name('turnover')} non superiore a {_ceiling('turnover', turnover.ceiling)} o un "
                  f"{_name('balance_sheet')} non superiore a {_ceiling('balance_sheet', balance.ceiling)}")
    return f"{_name('turnover')} e {_name('balance_sheet')}: dati mancanti ({wanted})"


def reason_text(test: ClassTest) -> str:
    """Why the figures are, are not, or may be within the ceilings of `test`'s class."""
    head, turnover, balance = test.criteria
    where = f"nelle soglie della {_label(test.cls.size)} ({test.cls.article})"
    money = _either(turnover.within, balance.within)
    if test.within is False:
        parts = [_criterion_text(head)] if head.within is False else []
        if money is False:
            parts.append(f"{_criterion_text(turnover)}, e {_criterion_text(balance)}")
        return f"Non rientra {where}: {'; '.join(parts)}."
    if head.value is None:
        parts = [f"{_name('headcount')}: dato mancante (devono essere meno di {_ceiling('headcount', head.ceiling)})"]
    else:
        parts = [_criterion_text(head)]
    inside = [c for c in (turnover, balance) if c.within]
    if money:
        amounts = ", e ".join(_criterion_text(c) for c in inside)
        other = balance if inside == [turnover] else turnover if inside == [balance] else None
        if other is not None:  # the OR of art. 2: one amount within the ceiling is enough
            amounts += ": basta uno dei due importi entro la soglia" + \
                (f" ({_criterion_text(other)})" if other.value is not None else "")
        parts.append(amounts)
    else:
        parts += [_criterion_text(c) for c in (turnover, balance) if c.value is not None]
        parts.append(_missing_amounts(turnover, balance))
    if test.within:
        return f"Rientra {where}: {'; '.join(parts)}."
    return f"Non si può dire se rientra {where}: {'; '.join(parts)}."


def _one_of(sizes: tuple[str, ...]) -> str:
    labels = [f"una {_label(s)}" for s in sizes]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} o {labels[-1]}"


def summary_text(c: Classification) -> str:
    """The answer in one sentence."""
    if c.size is not None:
        return f"Con queste cifre l’impresa è {_one_of((c.size,))} ({definition().reference.short_title})."
    names = [getattr(definition().figures, f).phrase for f in c.missing]
    wanted = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} e {names[-1]}"
    return (f"Con queste cifre l’impresa può essere {_one_of(c.possible)}: per deciderlo, indica anche "
            f"{wanted}.")


def result(c: Classification) -> dict[str, Any]:
    """The result object the bridge and the command line give (Decimals become JSON numbers):

    `size` (micro, small, medium, large, as `members[].size` of the answers format; null when the figures
    do not decide), `label`, `sme` (true, false, or null when not decided), `possible`, `missing` (figure
    keys), `summary`, `figures` (the figures read, null when not given), `reasons` (one for each class
    tested, micro up to the decisive one: `size`, `label`, `article`, `status` pass/fail/missing, `text`,
    `criteria`), `notes`, `reference` and `version` (of the definition file)."""
    d = definition()
    ref = d.reference
    sme = None if "large" in c.possible and len(c.possible) > 1 else "large" not in c.possible
    return {
        "size": c.size,
        "label": None if c.size is None else _label(c.size),
        "sme": sme,
        "possible": list(c.possible),
        "missing": list(c.missing),
        "summary": summary_text(c),
        "figures": dict(zip(FIGURES, c.figures, strict=True)),
        "reasons": [{
            "size": t.cls.size, "label": _label(t.cls.size), "article": t.cls.article, "status": STATUS[t.within],
            "text": reason_text(t),
            "criteria": [{"figure": k.figure, "value": k.value, "ceiling": k.ceiling,
                          "comparison": "below" if k.figure == "headcount" else "at_most",
                          "status": STATUS[k.within]} for k in t.criteria],
        } for t in c.tests],
        "notes": [{"id": n.id, "article": n.article, "text": n.text} for n in d.notes],
        "reference": {"title": ref.title, "short_title": ref.short_title, "celex": ref.celex, "url": ref.url,
                      "journal": ref.journal, "articles": ref.articles},
        "version": d.version,
    }


MARKS = {"pass": "[sì]", "fail": "[no]", "missing": "[? ]"}


def text_report(res: dict[str, Any]) -> str:
    """A result object as Italian text (the command line's `--format text`)."""
    lines = [f"Classe dimensionale secondo la {res['reference']['short_title']}", res["summary"], ""]
    lines += [f"  {MARKS[r['status']]} {r['text']}" for r in res["reasons"]]
    lines += ["", "Da sapere:"]
    lines += [f"  - {n['text']} ({n['article']})" for n in res["notes"]]
    ref = res["reference"]
    lines += ["", f"Fonte: {ref['title']}, {ref['journal']}: {ref['url']}"]
    return "\n".join(lines) + "\n"
