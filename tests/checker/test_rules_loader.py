"""The strict rules loader, fed broken copies of a shipped rules file.

Each broken file must raise `RulesError` naming the file, the key path and, where
it can be found, the line (the expected line is found here independently, by
searching the broken text).
"""

from __future__ import annotations

import pickle
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from checker import catalogue, compiled, errors, loader
from checker.errors import RulesError
from checker.model import Rules

ROOT = Path(__file__).resolve().parents[2]
NAME = "rules/produzione-sostenibile-2024.toml"
ORIGINAL = (ROOT / "checker" / "calls" / "produzione-sostenibile-2024.toml").read_text(encoding="utf-8")
FILIERE = (ROOT / "checker" / "calls" / "filiere-2022.toml").read_text(encoding="utf-8")


def broken(old: str, new: str, text: str = ORIGINAL) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the `nth` line that starts (after indentation) with `needle`."""
    return [i for i, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(needle)][nth]


def _nth(text: str, old: str, new: str) -> int:
    """Which of the lines starting like `new` is the changed one."""
    key = new.lstrip("\n").split("=")[0].strip() + " ="
    changed = text.index(new.lstrip("\n"))
    return sum(1 for i, line in enumerate(text.splitlines(keepends=True)) if line.lstrip().startswith(key)
               and len("".join(text.splitlines(keepends=True)[:i])) < changed)


def load_error(text: str, name: str = NAME) -> RulesError:
    with pytest.raises(RulesError) as err:
        loader.loads(text, name)
    e = err.value
    assert e.file == name
    assert str(e).startswith(name)
    if e.path:
        assert e.path in str(e)
    if e.line:
        assert f"riga {e.line}" in str(e)
    return e


def test_the_shipped_files_load() -> None:
    assert loader.loads(ORIGINAL, NAME).id == "produzione-sostenibile-2024"
    assert loader.loads(FILIERE, "rules/filiere-2022.toml").id == "filiere-2022"


def test_unknown_key_names_path_and_line() -> None:
    text = broken('form = "contributo a fondo perduto"\n\n[[checks]]',
                  'form = "contributo a fondo perduto"\ncolour = "rosso"\n\n[[checks]]')
    e = load_error(text)
    assert e.path == "grant.colour"
    assert e.line == line_of(text, 'colour = "rosso"')
    assert "chiave sconosciuta «colour»" in e.message and "cap_increase" in e.message


def test_unknown_key_in_an_array_of_tables() -> None:
    text = broken('id = "relazione-tecnica"\n', 'id = "relazione-tecnica"\nweight = 3\n')
    e = load_error(text)
    assert e.path == "checks[5].weight"
    assert e.line == line_of(text, "weight = 3")


def test_unknown_top_level_key() -> None:
    text = broken('kind = "bando"\n', 'kind = "bando"\ndeadline = 2025-04-03\n')
    e = load_error(text)
    assert (e.path, e.line) == ("deadline", line_of(text, "deadline = 2025-04-03"))


def test_wrong_type() -> None:
    text = broken("parameters.cap = 300_000.00", 'parameters.cap = "300000"')
    e = load_error(text)
    assert (e.path, e.line) == ("grant.parameters.cap", line_of(text, 'parameters.cap = "300000"'))
    assert "numero decimale" in e.message


@pytest.mark.parametrize(("old", "new", "path"), [
    ("min = 5\n", "min = 5.0\n", "classes.beneficiary.min"),
    ("min = 5\n", "min = true\n", "classes.beneficiary.min"),
    ("duration_months = 18\n", 'duration_months = "18"\n', "project.duration_months"),
    ('sizes = ["micro", "small", "medium"]', 'sizes = "micro"', "classes.beneficiary.sizes"),
    ('sizes = ["micro", "small", "medium"]', 'sizes = ["micro", "tiny"]', "classes.beneficiary.sizes[1]"),
    ("format = 1\n", "format = 2\n", "format"),
    ('kind = "window"', 'kind = "sometimes"', "checks[0].kind"),
    ("opens = 2024-12-03T10:00:00", "opens = 2024-12-03T10:00:00+01:00", "window.opens"),
    ("opens = 2024-12-03T10:00:00", 'opens = "2024-12-03T10:00:00"', "window.opens"),
    ("requires = { lombardy_site = true, financial_statements = 2",
     'requires = { lombardy_site = "yes", financial_statements = 2',
     "classes.beneficiary.requires.lombardy_site"),
    ("requires = { lombardy_site = true, financial_statements = 2",
     "requires = { lombardy_site = true, financial_statements = -1",
     "classes.beneficiary.requires.financial_statements"),
    ("requires = { lombardy_site = true, financial_statements = 2",
     "requires = { lombardy_site = true, colour = true, financial_statements = 2",
     "classes.beneficiary.requires.colour"),
    ('channel = "telematica"', 'channel = ["telematica"]', "application.channel"),
])
def test_wrong_types(old: str, new: str, path: str) -> None:
    text = broken(old, new)
    e = load_error(text)
    assert e.path == path
    assert e.line == line_of(text, new.lstrip("\n").split("=")[0].strip() + " =", _nth(text, old, new))


def test_missing_field() -> None:
    text = broken('form = "contributo a fondo perduto"\n', "")
    e = load_error(text)
    assert e.path == "grant.form"
    assert e.line == line_of(text, "[grant]")  # the table that lacks it
    assert "mancante" in e.message


def test_missing_top_level_field() -> None:
    e = load_error(broken('managing_body = "Unioncamere Lombardia"\n', ""))
    assert e.path == "managing_body"


def test_missing_check_message() -> None:
    text = broken('missing = "Indica se il progetto comprende la relazione tecnica richiesta."\n', "")
    e = load_error(text)
    assert e.path == "checks[5].missing"


def test_window_closing_before_opening() -> None:
    text = broken("closes = 2025-04-03T16:00:00", "closes = 2024-12-03T09:59:00")
    e = load_error(text)
    assert (e.path, e.line) == ("window.closes", line_of(text, "closes = 2024-12-03T09:59:00"))
    e = load_error(broken("closes = 2025-04-03T16:00:00", "closes = 2024-12-03T10:00:00"))
    assert e.path == "window.closes"


def test_window_without_opening_needs_a_reason() -> None:
    e = load_error(broken('no_opening = "Il testo non indica una data di apertura: le manifestazioni di interesse si '
                          'possono presentare fino alla chiusura."\n', "", FILIERE), "rules/filiere-2022.toml")
    assert e.path == "window.no_opening"


def test_unknown_time_zone() -> None:
    e = load_error(broken('timezone = "Europe/Rome"', 'timezone = "Europe/Paris"'))
    assert e.path == "window.timezone"


@pytest.mark.parametrize(("old", "new", "path"), [
    ("parameters.rate = 0.60", "parameters.rate = 1.20", "grant.parameters.rate"),
    ("parameters.rate = 0.60", "parameters.rate = 1.01", "grant.parameters.rate"),
    ("parameters.rate = 0.60", "parameters.rate = 0", "grant.parameters.rate"),
    ("flat_rate = 0.07", "flat_rate = 7", "expenses[9].flat_rate"),
    ("max_share_of_others = 0.25", "max_share_of_others = 25", "expenses[0].max_share_of_others"),
    ("max_share_of_others = 0.25", "max_share_of_others = -0.25", "expenses[0].max_share_of_others"),
])
def test_rates_must_be_percentages(old: str, new: str, path: str) -> None:
    text = broken(old, new)
    e = load_error(text)
    assert e.path == path
    assert e.line == line_of(text, new)


def test_rate_of_exactly_100_percent_is_allowed() -> None:
    assert loader.loads(broken("rate = 0.60", "rate = 1.00"), NAME).grant.parameters.rate == Decimal("1.00")


@pytest.mark.parametrize(("old", "new", "path"), [
    ('\nclass = "beneficiary"', '\nclass = "everyone"', "checks[1].class"),
    ('cap_increase_class = "beneficiary"', 'cap_increase_class = "everyone"', "grant.parameters.cap_increase_class"),
    ('question = "technical_report"', 'question = "technical_reports"', "checks[5].question"),
    ('question = "technical_report"', 'question = "duration_months"', "checks[5].question"),
    ('limit = "project.duration_months"', 'limit = "project.durations"', "checks[6].limit"),
    ('limit = "project.duration_months"', 'limit = "title"', "checks[6].limit"),
    ('applies_to = ["consultancy"]', 'applies_to = ["consulting"]', "readings[0].applies_to[0]"),
    ('guide = "spese"', 'guide = "costi"', "checks[7].guide"),
    ('id = "low-impact-energy"', 'id = "eco-design"', "areas[1].id"),
    ('id = "durata"', 'id = "ambiti"', "checks[6].id"),
    ("min = 1\ntitle", "min = 8\ntitle", "checks[4].min"),
    ("min = 1\ntitle", 'min = 1\nquestion = "technical_report"\ntitle', "checks[4].question"),
    ('value = "answers.duration_months"', 'value = "answers.duration_months"\nmin = 3', "checks[6].min"),
    ("min = 1\ntitle", "min = 0\ntitle", "checks[4].min"),
    ("min = 5\n", "min = 0\n", "classes.beneficiary.min"),
    ('each = { sizes = ["micro", "small", "medium", "large"], requires = { signed_agreement = true } }\n', "",
     "checks[2].each"),
    ('value = "answers.duration_months"', 'value = "answers.technical_report"', "checks[6].value"),
    ('value = "answers.duration_months"', 'value = "answers.months"', "checks[6].value"),
    ('value = "grant.eligible_costs"', 'value = "grant.rate"', "checks[7].value"),
    ('value = "grant.eligible_costs"', 'value = "project.min_eligible_costs"', "checks[7].value"),
    ('operator = "<="', 'operator = "<"', "checks[6].operator"),
    ('operator = "<="\n', "", "checks[6].operator"),
    ('each = { sizes = ["micro", "small", "medium", "large"], requires = { signed_agreement = true } }',
     'each = { sizes = [], requires = { signed_agreement = true } }', "checks[2].each.sizes"),
    ('each = { sizes = ["micro", "small", "medium", "large"], requires = { signed_agreement = true } }',
     'each = { sizes = ["micro", "small", "medium", "large"], requires = {} }', "checks[2].each.requires"),
    ('each = { sizes = ["micro", "small", "medium", "large"], requires = { signed_agreement = true } }',
     'each = { sizes = ["micro", "giant"], requires = { signed_agreement = true } }', "checks[2].each.sizes[1]"),
    ('each = { sizes = ["micro", "small", "medium", "large"], requires = { signed_agreement = true } }',
     'each = { sizes = ["micro"], requires = { signed = true } }', "checks[2].each.requires.signed"),
    ('each = { sizes = ["micro", "small", "medium", "large"], requires = { signed_agreement = true } }',
     'each = { sizes = ["micro"], signed_agreement = true }', "checks[2].each.signed_agreement"),
    ('id = "relazione-tecnica"\n',
     'id = "relazione-tecnica"\neach = { sizes = ["micro"], requires = { signed_agreement = true } }\n',
     "checks[5].each"),
    ("cap = 300_000.00", "cap = -300_000.00", "grant.parameters.cap"),
    ("parameters.cap_increase = 60_000.00\n", "", "grant.parameters.cap_increase_class"),
    ("min_eligible_costs = 50_000.00", "min_eligible_costs = -1.00", "project.min_eligible_costs"),
])
def test_references_and_consistency(old: str, new: str, path: str) -> None:
    e = load_error(broken(old, new))
    assert e.path == path, e


SOME = 'cap_increase_labels.some = "Massimale: {base} + {increase} × {members} oltre le {classes.beneficiary.min}"\n'
CAP_LABEL = 'cap_label = "Massimale del Bando Filiere"\n'
GROWING = "".join(f'cap_increase_labels.{key} = "Massimale"\n' for key in ("unknown", "none", "some"))


@pytest.mark.parametrize(("old", "new", "path", "line"), [
    ('headline = "Contributo stimato: {amount}"', 'headline = "Contributo stimato"', "grant.headline", "headline ="),
    ('headline = "Contributo stimato: {amount}"', 'headline = "{amount}: contributo stimato di {amount}"',
     "grant.headline", "headline ="),
    ('headline = "Contributo stimato: {amount}"', 'headline = "Contributo stimato: {importo}"', "grant.headline",
     "headline ="),
    ("× {members} oltre", "× oltre", "grant.cap_increase_labels.some", "cap_increase_labels.some ="),
    ("(nessuna {classes", "(nessuna {members} {classes", "grant.cap_increase_labels.none",
     "cap_increase_labels.none ="),
    (SOME, "", "grant.cap_increase_labels.some", "cap_increase_labels.unknown ="),  # where the record lacks it
    (SOME, SOME + CAP_LABEL, "grant.cap_label", "cap_label ="),
    (f"filiere:{CAP_LABEL}", "", "grant.cap_label", "[grant]"),
    (f"filiere:{CAP_LABEL}", GROWING, "grant.cap_increase_labels", "cap_increase_labels.unknown ="),
])
def test_the_grant_words_are_the_calls(old: str, new: str, path: str, line: str) -> None:
    """The words of the estimate that differ by call come from the rules, strictly: a headline states the
    amount once, a fixed cap has its label and a growing one its three, each with its own placeholders."""
    filiere = old.startswith("filiere:")
    text = broken(old.removeprefix("filiere:"), new, FILIERE if filiere else ORIGINAL)
    e = load_error(text, "rules/filiere-2022.toml" if filiere else NAME)
    assert e.path == path, e
    assert e.line == line_of(text, line), e


def test_a_growing_cap_needs_its_labels() -> None:
    """Dropping all three labels of a growing cap names the record they belong to."""
    text = ORIGINAL
    for line in [x for x in ORIGINAL.splitlines(keepends=True) if x.startswith("cap_increase_labels.")]:
        text = broken(line, "", text)
    assert load_error(text).path == "grant.cap_increase_labels"


def test_headings_are_given_for_every_passage_or_none() -> None:
    """A call's text has headings or has none: one passage without its heading, where the others
    give theirs, is a slip (produzione); a heading given to one passage of a text without (filiere)."""
    e = load_error(broken('[passages.importo-minimo]\nsection = "Spese ammissibili"\n', "[passages.importo-minimo]\n"))
    assert e.path == "passages.importo-minimo.section"
    assert "indicalo anche qui" in e.message
    name = "rules/filiere-2022.toml"
    e = load_error(broken("[passages.ambiti]\n", '[passages.ambiti]\nsection = "Ambiti"\n', FILIERE), name)
    assert e.path == "passages.obiettivo.section"


def test_every_citation_names_a_passage_and_every_passage_is_cited() -> None:
    e = load_error(broken('passage = "relazione-tecnica"', 'passage = "relazione"'))
    assert e.path == "checks[5].passage" and "relazione" in e.message
    e = load_error(broken('passage = "relazione-tecnica"', 'passage = "ambiti"'))
    assert e.path == "passages.relazione-tecnica" and "nessuna regola" in e.message


def test_area_in_an_example_must_be_defined() -> None:
    text = broken('title = "Troppa consulenza – la parte oltre il limite non è ammessa"\n[examples.answers]\n',
                  'title = "Troppa consulenza – la parte oltre il limite non è ammessa"\n[examples.answers]\n'
                  'areas = ["eco-design", "space-travel"]\n')
    e = load_error(text)
    assert e.path == "examples[1].answers.areas[1]"
    assert "space-travel" in e.message


def test_unknown_placeholder_in_a_text() -> None:
    text = broken("{classes.beneficiary.min} micro, piccole e medie imprese con sede operativa",
                  "{classes.beneficiary.minimum} micro, piccole e medie imprese con sede operativa")
    e = load_error(text)
    assert e.path == "summary"
    assert e.line == line_of(text, "summary = ")
    assert "{classes.beneficiary.minimum}" in e.message


def test_unknown_placeholder_in_a_check_message() -> None:
    text = broken("MPMI beneficiarie nell’aggregazione: {count}; il minimo è {min}.",
                  "MPMI beneficiarie nell’aggregazione: {counted}; il minimo è {min}.")
    e = load_error(text)
    assert e.path == "checks[1].pass"
    assert e.line == line_of(text, "pass = \"MPMI beneficiarie nell’aggregazione: {counted}")


def test_placeholder_local_to_another_check_kind() -> None:
    """`{count}` belongs to members and areas checks: a true/false check cannot use it."""
    e = load_error(broken('pass = "Il progetto comprende la relazione tecnica."',
                          'pass = "Il progetto comprende {count} relazioni tecniche."'))
    assert e.path == "checks[5].pass"


def test_bad_toml_syntax_gives_the_line() -> None:
    text = broken("duration_months = 18\n", "duration_months = = 18\n")
    e = load_error(text)
    assert e.path == ""
    assert e.line == line_of(text, "duration_months = = 18")
    assert "TOML non valido" in e.message


def test_duplicate_key_is_a_toml_error() -> None:
    text = broken("duration_months = 18\n", "duration_months = 18\nduration_months = 19\n")
    e = load_error(text)
    assert e.line == line_of(text, "duration_months = 19")


def test_id_must_match_the_file_name() -> None:
    e = load_error(ORIGINAL, "rules/produzione-2024.toml")
    assert e.path == "id"
    assert e.line == line_of(ORIGINAL, 'id = "produzione-sostenibile-2024"')


def test_from_data_without_text_has_no_line() -> None:
    data = tomllib.loads(broken("rate = 0.60", "rate = 1.20"), parse_float=Decimal)
    with pytest.raises(RulesError) as err:
        loader.from_data(data, "dati")
    assert (err.value.file, err.value.path, err.value.line) == ("dati", "grant.parameters.rate", None)
    assert str(err.value) == f"dati: grant.parameters.rate: {err.value.message}"


def test_float_instead_of_decimal_is_refused() -> None:
    """Parsed without parse_float=Decimal, a rate would be a float: the loader refuses it."""
    data = tomllib.loads(ORIGINAL)
    with pytest.raises(RulesError) as err:
        loader.from_data(data, NAME)
    assert "numero decimale" in err.value.message


def test_unknown_call_id() -> None:
    with pytest.raises(errors.UnknownCallError):
        catalogue.get("bando-2099")


def test_the_synthetic_fixture_loads_from_disk() -> None:
    r = loader.load(ROOT / "tests" / "fixtures" / "rules" / "sintetico-2030.toml")
    assert r.id == "sintetico-2030" and r.source_file.endswith("sintetico-2030.toml") and r.version


@pytest.mark.parametrize("path", [*sorted((ROOT / "checker" / "calls").glob("*.toml")),
                                  ROOT / "tests" / "fixtures" / "rules" / "sintetico-2030.toml"], ids=lambda p: p.stem)
def test_compiled_rules_are_the_loaded_rules(path: Path) -> None:
    """What the browser's wheel ships instead of the TOML (checker.compiled) reads back equal, to the
    last nested field, and with caches empty (cached figures are never shipped)."""
    loaded = loader.load(path, f"rules/{path.name}")
    loaded.figure("grant.parameters.cap")  # fills a cache
    again = pickle.loads(compiled.compiled(loaded))
    assert again == loaded and again is not loaded
    assert "_figures" not in again.__dict__
    assert again.figure("grant.parameters.cap") == loaded.figure("grant.parameters.cap")
    assert again.version == loaded.version and again.source_file == loaded.source_file


def test_compiled_rules_older_than_their_toml_are_not_used(tmp_path: Path) -> None:
    """A compiled file is read only when made from the TOML text next to it: after an edit of the TOML
    (a stale `.pickle` left in a tree), the TOML is loaded instead."""
    (tmp_path / "produzione-sostenibile-2024.toml").write_text(ORIGINAL, encoding="utf-8")
    fresh = loader.loads(ORIGINAL, NAME)
    (tmp_path / f"produzione-sostenibile-2024{compiled.COMPILED}").write_bytes(compiled.compiled(fresh))
    parsed: list[str] = []

    def loads(text: str, name: str) -> Rules:
        parsed.append(text)
        return loader.loads(text, name)

    assert compiled.read(tmp_path, "produzione-sostenibile-2024", loads, NAME) == fresh and parsed == []
    edited = ORIGINAL.replace("cap = 300_000.00", "cap = 250_000.00")
    (tmp_path / "produzione-sostenibile-2024.toml").write_text(edited, encoding="utf-8")
    read = compiled.read(tmp_path, "produzione-sostenibile-2024", loads, NAME)
    assert parsed == [edited] and read.grant.parameters.cap == Decimal("250000.00")
    assert read.version == loader.version_of(edited) != fresh.version


def test_a_compiled_record_alone_is_read_as_the_browsers_wheel_ships_it(tmp_path: Path) -> None:
    """The browser's wheel holds the compiled record in place of its TOML (build_scripts/bundle.py): it is read
    without parsing anything, and listed as the TOML would be; a folder with neither has no record."""
    fresh = loader.loads(ORIGINAL, NAME)
    (tmp_path / f"produzione-sostenibile-2024{compiled.COMPILED}").write_bytes(compiled.compiled(fresh))
    (tmp_path / "notes.txt").write_text("not a record", encoding="utf-8")

    def loads(text: str, name: str) -> Rules:
        raise AssertionError(f"parsed {name}")

    assert compiled.read(tmp_path, "produzione-sostenibile-2024", loads, NAME) == fresh
    assert compiled.stems(tmp_path) == {"produzione-sostenibile-2024"}
    (tmp_path / "produzione-sostenibile-2024.toml").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "filiere-2022.toml").write_text(ORIGINAL, encoding="utf-8")
    assert compiled.stems(tmp_path) == {"produzione-sostenibile-2024", "filiere-2022"}
    with pytest.raises(FileNotFoundError):
        compiled.read(tmp_path, "sintetico-2030", loads, NAME)


def test_the_grant_names_a_formula_and_gives_its_parameters() -> None:
    """The formula is one of checker/formulas.py; its parameters are its own record's, strictly."""
    e = load_error(broken('formula = "capped_rate"', 'formula = "tiered"'))
    assert e.path == "grant.formula" and "capped_rate" in e.message
    e = load_error(broken("parameters.rate = 0.60", "parameters.rate = 0.60\nparameters.tiers = 3"))
    assert e.path == "grant.parameters.tiers" and "chiave sconosciuta" in e.message
    e = load_error(broken("parameters.cap = 300_000.00\n", ""))
    assert e.path == "grant.parameters.cap" and "mancante" in e.message
