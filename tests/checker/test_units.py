"""Unit tests of the pieces the cases do not look at directly: messages, formats, the JSON bridge."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import checker
from checker import catalogue, money
from checker.bridge import evaluate_json
from checker.timezone import italian, localize

PS = "produzione-sostenibile-2024"
FIL = "filiere-2022"


def members(n: int, **over: Any) -> list[dict[str, Any]]:
    base = {"size": "small", "lombardy_site": True, "financial_statements": 2, "signed_agreement": True}
    return [base | {"name": f"Impresa {i + 1}"} | over for i in range(n)]


def messages(result: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["message"] for c in result["checks"]}


@pytest.mark.parametrize(("amount", "text", "short"), [
    ("0", "€ 0,00", "€ 0"), ("12500", "€ 12.500,00", "€ 12.500"), ("1234567.8", "€ 1.234.567,80", "€ 1.234.567,80"),
    ("0.005", "€ 0,01", "€ 0,01"), ("0.004", "€ 0,00", "€ 0"), ("300000.00", "€ 300.000,00", "€ 300.000"),
])
def test_eur(amount: str, text: str, short: str) -> None:
    assert money.eur(Decimal(amount)) == text
    assert money.eur(Decimal(amount), always_cents=False) == short


def test_percent_plain_and_rounding() -> None:
    assert [money.percent(Decimal(r)) for r in ("0.60", "0.07", "0.25", "0.075", "1")] == ["60%", "7%", "25%", "7,5%",
                                                                                           "100%"]
    assert money.plain(Decimal("115560")) == "115560.00"
    assert money.cents(Decimal("0.125")) == Decimal("0.13")  # half up, not half even
    assert money.cents(Decimal("0.135")) == Decimal("0.14")
    assert money.cents_down(Decimal("25000.0075")) == Decimal("25000.00")


def test_italian_times() -> None:
    assert italian(datetime(2025, 4, 3, 16, 0)) == "3 aprile 2025, ore 16:00"
    assert italian(datetime(2025, 4, 3, 16, 0, 1)) == "3 aprile 2025, ore 16:00:01"
    assert italian(datetime(2025, 4, 3, 16, 0, 0, 500000)) == "3 aprile 2025, ore 16:00:00,5"
    assert italian(datetime(2024, 12, 3, 10, 0), time=False) == "3 dicembre 2024"


def test_rome_offsets_across_daylight_saving_time() -> None:
    def offset(*args: int) -> timedelta | None:
        return localize(datetime(*args), "Europe/Rome").utcoffset()

    assert offset(2024, 12, 3, 10) == timedelta(hours=1)
    assert offset(2025, 3, 30, 1, 59) == timedelta(hours=1)
    assert offset(2025, 3, 30, 3, 0) == timedelta(hours=2)
    assert offset(2025, 4, 3, 16) == timedelta(hours=2)
    assert offset(2025, 10, 26, 3, 0) == timedelta(hours=1)
    assert offset(2022, 12, 31, 16) == timedelta(hours=1)


def test_window_messages_and_times() -> None:
    r = checker.evaluate(PS, {"submitted_at": "2025-04-03T16:00:00.5"})
    assert r["window"] == {"status": "closed", "opens_at": "2024-12-03T10:00:00+01:00",
                           "closes_at": "2025-04-03T16:00:00+02:00",
                           "evaluated_at": "2025-04-03T16:00:00.500000+02:00"}
    assert messages(r)["finestra"] == ("Se presentata il 3 aprile 2025, ore 16:00:00,5: lo sportello ha chiuso il "
                                       "3 aprile 2025, ore 16:00; la domanda non sarebbe nei termini.")
    early = checker.evaluate(PS, {"submitted_at": "2024-12-03T08:59:59Z"})
    assert messages(early)["finestra"] == ("Se presentata il 3 dicembre 2024, ore 09:59:59: la domanda sarebbe "
                                           "in anticipo sull’apertura dello sportello, il 3 dicembre 2024, ore 10:00.")
    fil = checker.evaluate(FIL, {"submitted_at": "2022-12-31T15:00:00Z"})
    assert fil["window"]["opens_at"] is None and fil["window"]["evaluated_at"] == "2022-12-31T16:00:00+01:00"
    assert messages(fil)["finestra"] == ("Se presentata il 31 dicembre 2022, ore 16:00: entro la scadenza "
                                         "del 31 dicembre 2022, ore 16:00.")
    # «presentata» only for a date given; the moment of viewing is «ora»; «l’1», «l’8», «l’11»
    now = checker.evaluate(FIL, {}, datetime(2026, 12, 1, 13, 33, 35, 545999, tzinfo=UTC))
    assert messages(now)["finestra"] == ("Se presentata ora: la scadenza era il 31 dicembre 2022, ore 16:00; "
                                         "la manifestazione di interesse non sarebbe nei termini.")
    for day, article in ((1, "l’1"), (8, "l’8"), (11, "l’11"), (2, "il 2"), (18, "il 18")):
        given = checker.evaluate(FIL, {"submitted_at": f"2022-12-{day:02d}T10:00:00"})
        assert messages(given)["finestra"].startswith(f"Se presentata {article} dicembre 2022, ore 10:00:"), day


def test_now_defaults_to_the_current_time() -> None:
    before = datetime.now(UTC)
    r = checker.evaluate(FIL, {})
    evaluated = datetime.fromisoformat(r["window"]["evaluated_at"])
    assert before - timedelta(seconds=1) <= evaluated <= datetime.now(UTC) + timedelta(seconds=1)
    assert r["window"]["status"] == "closed"
    aware = checker.evaluate(FIL, {}, datetime(2022, 12, 31, 15, 0, tzinfo=UTC))
    assert aware["window"]["evaluated_at"] == "2022-12-31T16:00:00+01:00"


def test_member_messages_say_why_a_member_does_not_count() -> None:
    answers = {"members": [*members(3), {"name": "Zeta", "size": "small", "lombardy_site": False,
                                         "financial_statements": 1, "signed_agreement": False},
                           {"size": "large", "lombardy_site": False, "financial_statements": 0},
                           {"size": "other", "financial_statements": 0, "signed_agreement": False}]}
    msg = messages(checker.evaluate(PS, answers, datetime(2025, 1, 1)))["mpmi-beneficiarie"]
    assert msg.startswith("MPMI beneficiarie nell’aggregazione: 3, ne servono almeno 5.")
    # Every requirement an MPMI misses; of a member of another size, only its size (a university is not
    # asked for the statements or the signature an MPMI needs).
    assert ("Non contano: membro 4 (Zeta) non ha una sede operativa attiva in Lombardia, ha 1 bilancio depositato "
            "(o dichiarazione fiscale) su 2 richiesti, non ha sottoscritto l’accordo di progetto; membro 5 è una "
            "grande impresa; membro 6 è un altro soggetto (non impresa).") in msg
    few = {"members": [*members(4), {"size": "micro", "financial_statements": 0}]}
    msg = messages(checker.evaluate(PS, few, datetime(2025, 1, 1)))["mpmi-beneficiarie"]
    assert msg.endswith(" Non conta: membro 5 ha 0 bilanci depositati (o dichiarazioni fiscali) su 2 richiesti.")
    # One member left out: «Non conta», in the singular.
    alone = {"members": [*members(4), {"name": "Zeta", "size": "large"}]}
    msg = messages(checker.evaluate(PS, alone, datetime(2025, 1, 1)))["mpmi-beneficiarie"]
    assert msg.endswith(" Non conta: membro 5 (Zeta) è una grande impresa.")
    ok = messages(checker.evaluate(PS, {"members": members(6)}, datetime(2025, 1, 1)))["mpmi-beneficiarie"]
    assert ok == "MPMI beneficiarie nell’aggregazione: 6; il minimo è 5."
    # Counts are figures after a colon, never «1 MPMI beneficiarie» or «1 imprese».
    one = messages(checker.evaluate(PS, {"members": members(1)}, datetime(2025, 1, 1)))["mpmi-beneficiarie"]
    assert one.startswith("MPMI beneficiarie nell’aggregazione: 1, ne servono almeno 5.")


def test_threshold_messages_cite_the_figures() -> None:
    r = checker.evaluate(PS, {"duration_months": 19, "expenses": {"equipment": "46728.96"}, "areas": []},
                         datetime(2025, 1, 1))
    m = messages(r)
    assert m["durata"].startswith("Durata prevista, in mesi: 19; il progetto va realizzato e rendicontato entro 18 "
                                  "mesi")
    # The figure after a colon: never «1 mesi».
    one = messages(checker.evaluate(PS, {"duration_months": 1}, datetime(2025, 1, 1)))["durata"]
    assert one == "Durata prevista, in mesi: 1; entro il limite di 18 mesi."
    assert "al massimo 6 mesi" in m["durata"]
    assert m["importo-minimo"] == ("Spese ammissibili di € 49.999,99: l’importo minimo di progetto è € 50.000,00 "
                                   "(costi indiretti inclusi).")
    assert m["ambiti"] == "Il progetto deve riguardare almeno 1 degli ambiti di intervento del bando."
    for check in r["checks"]:
        assert check["source"].startswith("Sostegno all’adozione di modelli di produzione sostenibile, «")


def test_grant_breakdown_explains_the_figure() -> None:
    r = checker.evaluate(PS, {"members": members(7), "expenses": {"consultancy": "40000", "equipment": "1000000"}},
                         datetime(2025, 1, 1))
    g = r["grant"]
    labels = [s["label"] for s in g["steps"]]
    assert labels[0] == "I. Consulenza: importo ammesso"
    assert "X. Costi indiretti (spese generali): importo forfettario – 7% delle voci precedenti, così come ammesse " \
           "(€ 1.040.000,00)" in labels
    assert "Massimale: € 300.000,00 + € 60.000,00 × 2 MPMI beneficiarie oltre le 5" in labels
    assert labels[-1] == "Contributo stimato (ridotto al massimale)"
    assert g["cap_increase"] == {"per_member": 60000.0, "members": 2, "amount": 120000.0}
    assert g["estimate"] is True and "Stima informativa" in g["note"]
    assert g["steps"][-1]["amount"] == g["amount"] == 420000.0


def test_filiere_result_says_phase_1_pays_nothing() -> None:
    g = checker.evaluate(FIL, {"expenses": {"sme": "1000"}}, datetime(2022, 1, 1))["grant"]
    assert g["measure"] == "Bando Filiere"
    assert "fase 1" in g["note"] and "non prevede contributi" in g["note"]
    assert [s["label"] for s in g["steps"]] == [
        "Spese ammissibili sostenute dalle PMI: importo ammesso", "Spese ammissibili complessive",
        "Contributo: 50% di € 1.000,00 + 15% di € 0,00", "Massimale del Bando Filiere", "Contributo stimato"]


def test_the_headline_states_the_amount_in_the_words_of_the_call() -> None:
    """The amount as the checker page and the text report state it (grant.headline): for filiere, that
    phase 1 pays nothing and that the figure is an estimate of the Bando Filiere."""
    fil = catalogue.get(FIL)
    assert fil.render(fil.grant.headline, amount="€ 500,00") == \
        "Stima del contributo del Bando Filiere (la fase 1 non prevede contributi): € 500,00"
    ps = catalogue.get(PS)
    assert ps.render(ps.grant.headline, amount="€ 500,00") == "Contributo stimato: € 500,00"


def test_bridge_returns_json_strings() -> None:
    ok = json.loads(evaluate_json(FIL, '{"areas": ["credit"]}', "2022-12-31T16:00:00"))
    assert ok["result"]["window"]["status"] == "open"
    assert ok["result"] == checker.evaluate(FIL, {"areas": ["credit"]}, datetime(2022, 12, 31, 16))
    bad = json.loads(evaluate_json(PS, '{"members": [{}, {"size": "tiny"}]}'))
    assert bad["error"]["path"] == "members[1].size" and "tiny" in bad["error"]["message"]
    assert json.loads(evaluate_json("nessuno", "{}"))["error"]["path"] == ""
    assert json.loads(evaluate_json(FIL, "{", None))["error"]["path"] == ""
    assert json.loads(evaluate_json(FIL, "{}", "ieri"))["error"]["path"] == "now"
    assert json.loads(evaluate_json(FIL, '{"expenses": {"sme": NaN}}'))["error"]["path"] == "expenses.sme"


def test_result_shape_follows_the_spec() -> None:
    r = checker.evaluate(PS, {}, datetime(2025, 1, 1))
    assert set(r) == {"call", "verdict", "checks", "window", "grant", "rules_version"}
    assert all(set(c) == {"id", "status", "message", "source"} for c in r["checks"])
    assert r["rules_version"] == catalogue.get(PS).version and len(r["rules_version"]) == 12
    assert r["grant"] is None and r["verdict"] == "incomplete"


def test_negative_zero_is_zero() -> None:
    r = checker.evaluate(FIL, json.loads('{"expenses": {"sme": -0.0, "large": -0}}'), datetime(2022, 1, 1))
    assert ": -0" not in json.dumps(r)
    assert r["grant"]["amount"] == 0


def test_consultancy_note_appears_from_one_cent_over_the_limit() -> None:
    def note(consultancy: str) -> str:
        g = checker.evaluate(PS, {"expenses": {"consultancy": consultancy, "equipment": "100000"}},
                             datetime(2025, 1, 1))["grant"]
        return str(next(e["note"] for e in g["expenses"] if e["id"] == "consultancy"))

    assert note("25000.00") == ""
    g = checker.evaluate(PS, {"expenses": {"consultancy": "25000.01", "equipment": "100000"}}, datetime(2025, 1, 1))
    assert g["grant"]["steps"][0]["label"] == ("I. Consulenza: importo ammesso – ridotto al limite del 25% delle "
                                              "altre voci (€ 100.000,00): € 25.000,00; € 0,01 non ammessi")
    assert note("25000.01") == ("ridotto al limite del 25% delle altre voci (€ 100.000,00): € 25.000,00; "
                                "€ 0,01 non ammessi")
