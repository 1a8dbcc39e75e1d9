"""Every passage the rules quote is the call's own text, verbatim; every heading they cite is the text's.

A passage is any field named `passage` or `<name>_passage` in any record of a call's loaded rules (the
objective, the window, the application, the beneficiaries, the areas, the expenses, the phases, the
checks...), found by walking the records, so a passage added later is checked too. Each must be a
substring of the call's text as published (tests/fixtures/seeds/<call-id>.txt) once that text is read
in its reading order by `reading_text`, the one place where the extracted text is normalised.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from checker import catalogue
from checker.model import Rules

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
CALLS = [catalogue.get(call_id) for call_id in catalogue.call_ids()]

# The filiere page's bold phrases, which its extraction moved to the end of their line (and glued to the
# line's last word), put back in their place: (line as extracted, the same line in reading order). Each
# reordered line holds exactly the characters of the extracted one (see the test below): the table moves
# words, it never adds, drops or changes one.
DISPLACED: dict[str, tuple[tuple[str, str], ...]] = {
    "filiere-2022": (
        (" ( ): i soggetti presentano inFase 1 - Manifestazione di interesse che non prevede contributi alle "
         "imprese",
         "Fase 1 - Manifestazione di interesse (che non prevede contributi alle imprese): i soggetti presentano in"),
        (" Regione Lombardia attiverà una o più misure ad hoc per loFase 2 - Attivazione di misure specifiche:",
         "Fase 2 - Attivazione di misure specifiche: Regione Lombardia attiverà una o più misure ad hoc per lo"),
        (" (ad oggi non è possibile stimare l’entità e il reale vantaggio per le imprese in termini dinei bandi "
         "attuativi",
         "nei bandi attuativi (ad oggi non è possibile stimare l’entità e il reale vantaggio per le imprese in "
         "termini di"),
        ("agevolazioni dedicate). L’unica misura già attivata è il  che prevede un contributo a fondoBando Filiere",
         "agevolazioni dedicate). L’unica misura già attivata è il Bando Filiere che prevede un contributo a fondo"),
        (" e operanti nell’ambito di una o più filiere produttive e/o ecosistemiAggregazioni di imprese già "
         "costituite",
         "Aggregazioni di imprese già costituite e operanti nell’ambito di una o più filiere produttive e/o "
         "ecosistemi"),
        (", per costituire un “partenariato di filiera/ecosistema”, alImprese interessate ad associarsi con altre "
         "imprese",
         "Imprese interessate ad associarsi con altre imprese, per costituire un “partenariato di "
         "filiera/ecosistema”, al"),
        ("composti da  con sede operativa attiva sul territorio lombardo e che siano accumunate da uno oalmeno 10 "
         "imprese",
         "composti da almeno 10 imprese con sede operativa attiva sul territorio lombardo e che siano accumunate "
         "da uno o"),
        ("telematica mediante la  entro le . La presentazione dovràpiattaforma Telemaco ore 16.00 del 31 dicembre "
         "2022",
         "telematica mediante la piattaforma Telemaco entro le ore 16.00 del 31 dicembre 2022. La presentazione "
         "dovrà"),
        ("avvenire utilizzando i moduli allegati alla manifestazione di interesse e pubblicati sul .sito di "
         "Unioncamere Lombardia",
         "avvenire utilizzando i moduli allegati alla manifestazione di interesse e pubblicati sul sito di "
         "Unioncamere Lombardia."),
    ),
}
LINK_TARGET = re.compile(r"https?://\S+")
LIST_MARKER = re.compile(r"^[ \t]*[-•][ \t]+", re.MULTILINE)
BROKEN_WORD = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")


def raw_text(call_id: str) -> str:
    return (SEEDS / f"{call_id}.txt").read_text(encoding="utf-8")


def reading_text(call_id: str, raw: str, without: frozenset[int] = frozenset()) -> str:
    """The call's text as extracted, in its reading order and on one line. The only normalisation
    (`without`: the numbers of rules to leave out, to show that each is needed):

    1. the phrases the extraction displaced (`DISPLACED`) are put back in place, line by line;
    2. a line that is only a web address is dropped: the extraction lists the addresses of a page's
       links apart from its text (the «Bando Filiere» link's one stands in the middle of a sentence);
    3. a list's bullet («- », «• » opening a line) is dropped: it is layout, not a word;
    4. a word broken with a hyphen at the end of a line or a page is joined, the hyphen kept
       («pre-⏎⏎⏎⏎ ⏎⏎investimento» is «pre-investimento»);
    5. every run of white space (line breaks, no-break spaces included) is one space.
    """
    moved = {extracted.strip(): restored for extracted, restored in DISPLACED.get(call_id, ())}
    lines = raw.splitlines()
    if 1 not in without:
        lines = [moved.get(line.strip(), line) for line in lines]
    if 2 not in without:
        lines = [line for line in lines if not LINK_TARGET.fullmatch(line.strip())]
    text = "\n".join(lines)
    if 3 not in without:
        text = LIST_MARKER.sub("", text)
    if 4 not in without:
        text = BROKEN_WORD.sub("-", text)
    return re.sub(r"\s+", " ", text).strip()


def fields_named(node: Any, pattern: str, path: str = "") -> Iterator[tuple[str, Any]]:
    """(key path, value) of every field of the rules records whose name matches `pattern`, value given."""
    if isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from fields_named(item, pattern, f"{path}[{i}]")
    elif isinstance(node, Mapping):
        for key, item in node.items():
            yield from fields_named(item, pattern, f"{path}.{key}")
    elif dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            value, where = getattr(node, f.name), f"{path}.{f.name}".lstrip(".")
            if re.fullmatch(pattern, f.name):
                if value is not None:
                    yield where, value
            else:
                yield from fields_named(value, pattern, where)


def passages(call: Rules) -> dict[str, str]:
    return dict(fields_named(call, r"(?:\w+_)?passage"))


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_every_passage_is_verbatim_text_of_the_call(call: Rules) -> None:
    text = reading_text(call.id, raw_text(call.id))
    found = passages(call)
    not_verbatim = {path: p for path, p in found.items() if p != " ".join(p.split()) or p not in text}
    assert not not_verbatim, f"{call.id}: passages not in the call's text: {not_verbatim}"


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_the_walk_reaches_every_kind_of_passage(call: Rules) -> None:
    """The generic walk finds the passages of every record (so the test above checks them all)."""
    found = passages(call)
    expected = {"objective.passage", "window.passage", "window.deadline_passage", "application.passage",
                "beneficiaries.passage", "beneficiaries.non_beneficiaries_passage", "areas_source.passage",
                "expenses_source.passage", "grant.passage", "managing_body_source.passage"}
    expected |= {f"areas[{i}].passage" for i in range(len(call.areas))}
    expected |= {f"expenses[{i}].passage" for i in range(len(call.expenses))}
    expected |= {f"checks[{i}].passage" for i, c in enumerate(call.checks) if c.kind != "window"}
    expected |= {f"phases[{i}].passage" for i in range(len(call.phases))}
    assert expected <= set(found), expected - set(found)
    assert set(found) == {p for p, _ in fields_named(call, r"(?:\w+_)?passage")}
    assert frozenset(found.values()) == call.passages  # what the guide may quote: the same passages


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_every_section_is_a_heading_of_the_text(call: Rules) -> None:
    """A `section` is cited as a heading of the call: its words are in the text and open a line there.
    A text without headings (filiere) gives none."""
    raw = raw_text(call.id)
    text = reading_text(call.id, raw)
    starts = {line.split()[0] for line in raw.splitlines() if line.split()}
    sections = dict(fields_named(call, r"(?:\w+_)?section"))
    invented = {path: s for path, s in sections.items() if s not in text or s.split()[0] not in starts}
    assert not invented, f"{call.id}: not headings of the call's text: {invented}"


def test_a_call_without_headings_cites_none() -> None:
    assert not dict(fields_named(catalogue.get("filiere-2022"), r"(?:\w+_)?section"))
    produzione = dict(fields_named(catalogue.get("produzione-sostenibile-2024"), r"(?:\w+_)?section"))
    assert set(produzione.values()) == {"Obiettivo", "Soggetto gestore", "Scadenze", "Dotazione finanziaria",
                                        "Soggetti beneficiari", "Spese ammissibili", "Tipologia di agevolazione",
                                        "Iter di domanda"}


@pytest.mark.parametrize("call_id", sorted(DISPLACED))
def test_the_displaced_phrases_are_only_moved(call_id: str) -> None:
    """Each line of the table is a line of the text, once, and its reading order has the same characters."""
    raw_lines = [line.strip() for line in raw_text(call_id).splitlines()]
    for extracted, restored in DISPLACED[call_id]:
        assert raw_lines.count(extracted.strip()) == 1, extracted
        assert sorted(extracted.replace(" ", "")) == sorted(restored.replace(" ", "")), restored


@pytest.mark.parametrize(("rule", "call_id", "passage"), [
    (1, "filiere-2022", "phases[0].passage"),
    (2, "filiere-2022", "beneficiaries.passage"),
    (3, "produzione-sostenibile-2024", "beneficiaries.passage"),
    (4, "produzione-sostenibile-2024", "checks[5].passage"),
])
def test_each_rule_of_the_normalisation_is_needed(rule: int, call_id: str, passage: str) -> None:
    """Without any one rule of `reading_text`, a passage of the rules is no longer found in the text."""
    p = passages(catalogue.get(call_id))[passage]
    assert p in reading_text(call_id, raw_text(call_id))
    assert p not in reading_text(call_id, raw_text(call_id), without=frozenset({rule}))
