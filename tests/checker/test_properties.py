"""Property tests (Hypothesis) of the money rules, for the shipped calls and the synthetic one.

- the amount is never above the cap, nor above the rate times the eligible costs
  (for filiere-2022: 50% of the SME expenses plus 15% of the large enterprise's),
  the only slack being the half-up rounding of the amount to the cent (< half a cent);
- an expense with a share limit (consultancy: 25% of types II-IX) is never admitted
  above that limit, nor above what was entered;
- a flat-rate type (indirect costs, 7%) is exactly its rate of the admitted types,
  rounded half up to the cent;
- the amount and the eligible costs never decrease when an expense grows;
- the result does not depend on the order of the members (messages aside: a failing
  member check names members by their position).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import catalogue, loader
from checker.engine import evaluate_rules
from checker.members import SIZES
from checker.model import Rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SYNTHETIC = loader.load(FIXTURES / "rules" / "sintetico-2030.toml")
ALL_RULES = [*(catalogue.get(c) for c in catalogue.call_ids()), SYNTHETIC]
PS = catalogue.get("produzione-sostenibile-2024")
FIL = catalogue.get("filiere-2022")
CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
NOW = {"submitted_at": "2025-01-15T11:00:00"}
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Amounts in cents up to 20 million euro, biased towards small and round figures by Hypothesis itself.
cents = st.integers(min_value=0, max_value=2_000_000_000).map(lambda n: Decimal(n) / 100)


def text(amount: Decimal) -> str:
    return format(amount.quantize(CENT), "f")


def expenses_for(rules: Rules) -> st.SearchStrategy[dict[str, Decimal]]:
    ids = [e.id for e in rules.entered_expenses]
    return st.dictionaries(st.sampled_from(ids), cents, min_size=1, max_size=len(ids))


def member_for(rules: Rules) -> st.SearchStrategy[dict[str, Any]]:
    values: dict[str, st.SearchStrategy[Any]] = {
        "name": st.sampled_from(["Alfa", "Beta", "Gamma"]),
        # Biased towards members that count, so that caps raised by many members are exercised too.
        "size": st.sampled_from((*SIZES, "micro", "small", "medium", "small")),
        "lombardy_site": st.sampled_from((True, True, True, False)),
        "financial_statements": st.sampled_from((2, 3, 2, 5, 1, 0)),
        "signed_agreement": st.sampled_from((True, True, True, False)),
    }
    fields = [f for f in rules.member_fields if f != "name"]
    # Mostly complete members (so the classes fill up), sometimes a field left unanswered.
    return st.fixed_dictionaries({f: values[f] for f in fields},
                                 optional={"name": values["name"]}).flatmap(
        lambda m: st.sets(st.sampled_from(fields), max_size=1).map(
            lambda drop: {k: v for k, v in m.items() if k not in drop}))


def answers_for(rules: Rules) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        "expenses": expenses_for(rules).map(lambda e: {k: text(v) for k, v in e.items()}),
        "members": st.lists(member_for(rules), max_size=12),
    })


def grant(rules: Rules, answers: dict[str, Any]) -> dict[str, Any]:
    result = evaluate_rules(rules, NOW | answers)
    assert result["grant"] is not None
    return result["grant"]


def dec(value: float) -> Decimal:
    return Decimal(str(value))


@pytest.mark.parametrize("rules", ALL_RULES, ids=lambda r: r.id)
@SETTINGS
@given(data=st.data())
def test_amount_never_above_cap_nor_rates(rules: Rules, data: st.DataObject) -> None:
    answers = data.draw(answers_for(rules))
    g = grant(rules, answers)
    amount, cap = dec(g["amount"]), dec(g["cap"])
    assert amount <= cap
    assert cap >= rules.grant.parameters.cap
    admitted = {e["id"]: dec(e["admitted"]) for e in g["expenses"]}
    rates = {e.id: e.rate or rules.grant.parameters.rate or Decimal(0) for e in rules.expenses}
    ceiling = sum(rates[i] * a for i, a in admitted.items())
    assert amount <= ceiling + HALF_CENT
    assert amount == min(ceiling.quantize(CENT, ROUND_HALF_UP), cap)
    assert dec(g["eligible_costs"]) == sum(admitted.values())


@pytest.mark.parametrize("rules", ALL_RULES, ids=lambda r: r.id)
@SETTINGS
@given(data=st.data())
def test_share_limits_and_flat_rates(rules: Rules, data: st.DataObject) -> None:
    answers = data.draw(answers_for(rules))
    g = grant(rules, answers)
    lines = {e["id"]: e for e in g["expenses"]}
    plain = sum((dec(lines[e.id]["admitted"]) for e in rules.entered_expenses if e.max_share_of_others is None),
                Decimal(0))
    for e in rules.entered_expenses:
        admitted, entered = dec(lines[e.id]["admitted"]), Decimal(answers["expenses"].get(e.id, "0"))
        assert admitted <= entered
        if e.max_share_of_others is None:
            assert admitted == entered
        else:
            assert admitted <= e.max_share_of_others * plain  # exactly: the limit is never exceeded, not even by a cent
            assert admitted == min(entered, (e.max_share_of_others * plain).quantize(CENT, ROUND_DOWN))
    direct = sum((dec(lines[e.id]["admitted"]) for e in rules.entered_expenses), Decimal(0))
    for e in rules.expenses:
        if e.flat_rate is not None:
            assert dec(lines[e.id]["admitted"]) == (e.flat_rate * direct).quantize(CENT, ROUND_HALF_UP)


@SETTINGS
@given(consultancy=cents, others=st.lists(cents, min_size=8, max_size=8))
def test_consultancy_and_indirect_costs_of_produzione(consultancy: Decimal, others: list[Decimal]) -> None:
    """The spec's readings 1 and 2, with the call's figures written out."""
    ids = [e.id for e in PS.entered_expenses if e.id != "consultancy"]
    expenses = {"consultancy": text(consultancy)} | {i: text(a) for i, a in zip(ids, others, strict=True)}
    g = grant(PS, {"expenses": expenses})
    lines = {e["id"]: dec(e["admitted"]) for e in g["expenses"]}
    ii_to_ix = sum(others, Decimal(0))
    assert lines["consultancy"] <= Decimal("0.25") * ii_to_ix
    assert lines["consultancy"] == min(consultancy, (Decimal("0.25") * ii_to_ix).quantize(CENT, ROUND_DOWN))
    assert lines["indirect"] == (Decimal("0.07") * (lines["consultancy"] + ii_to_ix)).quantize(CENT, ROUND_HALF_UP)
    assert dec(g["amount"]) <= Decimal("0.60") * dec(g["eligible_costs"]) + HALF_CENT
    assert dec(g["amount"]) <= dec(g["cap"])


@SETTINGS
@given(sme=cents, large=cents)
def test_filiere_amount(sme: Decimal, large: Decimal) -> None:
    g = grant(FIL, {"expenses": {"sme": text(sme), "large": text(large)}})
    amount = dec(g["amount"])
    assert amount <= Decimal("0.5") * sme + Decimal("0.15") * large + HALF_CENT
    assert amount <= Decimal("400000")
    assert amount == min((Decimal("0.5") * sme + Decimal("0.15") * large).quantize(CENT, ROUND_HALF_UP),
                         Decimal("400000"))


@pytest.mark.parametrize("rules", ALL_RULES, ids=lambda r: r.id)
@SETTINGS
@given(data=st.data())
def test_amount_never_decreases_when_an_expense_grows(rules: Rules, data: st.DataObject) -> None:
    answers = data.draw(answers_for(rules))
    grown_id = data.draw(st.sampled_from([e.id for e in rules.entered_expenses]))
    delta = data.draw(cents.filter(lambda d: d > 0))
    before = grant(rules, answers)
    expenses = dict(answers["expenses"])
    expenses[grown_id] = text(Decimal(expenses.get(grown_id, "0")) + delta)
    after = grant(rules, answers | {"expenses": expenses})
    assert dec(after["amount"]) >= dec(before["amount"])
    assert dec(after["eligible_costs"]) >= dec(before["eligible_costs"])


def _without_messages(result: dict[str, Any]) -> dict[str, Any]:
    return result | {"checks": [{k: v for k, v in c.items() if k != "message"} for c in result["checks"]]}


@pytest.mark.parametrize("rules", ALL_RULES, ids=lambda r: r.id)
@SETTINGS
@given(data=st.data())
def test_result_unchanged_by_member_order(rules: Rules, data: st.DataObject) -> None:
    answers = data.draw(answers_for(rules))
    shuffled = data.draw(st.permutations(answers["members"]))
    one = evaluate_rules(rules, NOW | answers)
    other = evaluate_rules(rules, NOW | answers | {"members": list(shuffled)})
    assert _without_messages(one) == _without_messages(other)
    if one["verdict"] != "not_eligible":  # no member named by position in the messages
        assert one == other
