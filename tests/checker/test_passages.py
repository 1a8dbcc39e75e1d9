"""Every passage the rules quote is the call's own text, verbatim; every heading they cite is the text's.

A rules file writes each passage of the call once, in its `passages` table, and every record cites it
by id (the objective, the window, the application, the beneficiaries, the areas, the expenses, the
phases, the checks...; the loader refuses a citation of no passage and a passage nobody cites). Each
passage must be a substring of the call's text as published (tests/fixtures/seeds/<call-id>.txt) once
that text is read in its reading order by `reading_text`, the one place where the extracted text is
normalised.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker import catalogue, model
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


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_every_passage_is_verbatim_text_of_the_call(call: Rules) -> None:
    text = reading_text(call.id, raw_text(call.id))
    not_verbatim = {ref: p.text for ref, p in call.passages.items()
                    if p.text != " ".join(p.text.split()) or p.text not in text}
    assert not not_verbatim, f"{call.id}: passages not in the call's text: {not_verbatim}"


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_every_record_cites_a_passage(call: Rules) -> None:
    """The walk of the citations reaches every kind of record, and each passage is written once."""
    cited = dict(model.refs(call))
    expected = {"objective.passage", "window.passage", "window.deadline_passage", "application.passage",
                "beneficiaries.passage", "beneficiaries.non_beneficiaries_passage", "areas_passage",
                "expenses_passage", "grant.passage", "managing_body_passage"}
    expected |= {f"areas[{i}].passage" for i in range(len(call.areas))}
    expected |= {f"expenses[{i}].passage" for i in range(len(call.expenses))}
    expected |= {f"checks[{i}].passage" for i, c in enumerate(call.checks) if c.kind != "window"}
    expected |= {f"phases[{i}].passage" for i in range(len(call.phases))}
    assert expected <= set(cited), expected - set(cited)
    assert set(cited.values()) == set(call.passages)
    texts = [p.text for p in call.passages.values()]
    assert len(texts) == len(set(texts)), "a passage written twice"


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_every_section_is_a_heading_of_the_text(call: Rules) -> None:
    """A `section` is cited as a heading of the call: its words are in the text and open a line there.
    A text without headings (filiere) gives none."""
    raw = raw_text(call.id)
    text = reading_text(call.id, raw)
    starts = {line.split()[0] for line in raw.splitlines() if line.split()}
    sections = {ref: p.section for ref, p in call.passages.items() if p.section}
    invented = {ref: s for ref, s in sections.items() if s not in text or s.split()[0] not in starts}
    assert not invented, f"{call.id}: not headings of the call's text: {invented}"


def test_a_call_without_headings_cites_none() -> None:
    assert not any(p.section for p in catalogue.get("filiere-2022").passages.values())
    produzione = catalogue.get("produzione-sostenibile-2024").passages.values()
    assert {p.section for p in produzione} == {"Obiettivo", "Soggetto gestore", "Scadenze", "Dotazione finanziaria",
                                               "Soggetti beneficiari", "Spese ammissibili",
                                               "Tipologia di agevolazione", "Iter di domanda"}


@pytest.mark.parametrize("call_id", sorted(DISPLACED))
def test_the_displaced_phrases_are_only_moved(call_id: str) -> None:
    """Each line of the table is a line of the text, once, and its reading order has the same characters."""
    raw_lines = [line.strip() for line in raw_text(call_id).splitlines()]
    for extracted, restored in DISPLACED[call_id]:
        assert raw_lines.count(extracted.strip()) == 1, extracted
        assert sorted(extracted.replace(" ", "")) == sorted(restored.replace(" ", "")), restored


@pytest.mark.parametrize(("rule", "call_id", "passage"), [
    (1, "filiere-2022", "fase-1"),
    (2, "filiere-2022", "beneficiari"),
    (3, "produzione-sostenibile-2024", "beneficiari"),
    (4, "produzione-sostenibile-2024", "relazione-tecnica"),
])
def test_each_rule_of_the_normalisation_is_needed(rule: int, call_id: str, passage: str) -> None:
    """Without any one rule of `reading_text`, a passage of the rules is no longer found in the text."""
    p = catalogue.get(call_id).passage(passage).text
    assert p in reading_text(call_id, raw_text(call_id))
    assert p not in reading_text(call_id, raw_text(call_id), without=frozenset({rule}))


QUOTED = re.compile(r"«([^«»]+)»")


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_what_a_reading_quotes_is_the_calls_text(call: Rules) -> None:
    """A reading says how we read a point the text leaves open: the words it gives in «» are the text's own."""
    text = reading_text(call.id, raw_text(call.id))
    quoted = {r.id: QUOTED.findall(call.render(r.text)) for r in call.readings}
    assert any(quoted.values()), f"{call.id}: no reading quotes the text (the test would check nothing)"
    not_verbatim = {rid: q for rid, qs in quoted.items() for q in qs if q not in text}
    assert not not_verbatim, f"{call.id}: quoted in a reading, not in the call's text: {not_verbatim}"
