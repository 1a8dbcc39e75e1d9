"""A call's status comes first: on a clock after the deadline, the checker page leads with «closed»,
says separately where the other requirements stand, and its one action judges the same answers as if
submitted in time (a simulation, and the page says so). The public verdict does not change."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from caselib import load_cases
from checkerlib import CALLS, deep_link, wait_result
from sitekit import axe_violations, describe

from checker import get

pytestmark = pytest.mark.browser
TODAY = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # both calls closed


def eligible_without_date(call_id: str) -> dict[str, Any]:
    """The answers of an eligible case, without its `submitted_at`: judged at the moment of viewing."""
    case = next(c for c in load_cases(call_id) if c.expect["verdict"] == "eligible" and "submitted_at" in c.answers)
    answers: dict[str, Any] = json.loads(case.answers_json)
    del answers["submitted_at"]
    return answers


def _lead_is_above_the_requirements(page: Any) -> bool:
    lead = page.locator("#checker-call-status").bounding_box()
    checks = page.locator("#checker-checks-title").bounding_box()
    return bool(lead and checks and lead["y"] < checks["y"])


@pytest.mark.parametrize("call_id", CALLS)
def test_a_closed_call_leads_with_its_status_then_simulates_in_time(page: Any, server: Any, call_id: str) -> None:
    page.clock.set_fixed_time(TODAY)
    page.goto(server.url(f"/verifica/{call_id}/"))
    data = wait_result(page)
    assert data["verdict"] == "not_eligible"  # the contract's verdict: the window check fails
    lead = page.locator("#checker-call-status")
    assert lead.is_visible() and _lead_is_above_the_requirements(page)
    assert lead.locator(".call-status__label").inner_text() == "Chiuso"
    assert "scaduto" in page.inner_text("#checker-verdict-text")
    assert "da completare" in page.inner_text("#checker-others")
    assert not (violations := axe_violations(page)), describe(violations)

    page.goto(deep_link(server, call_id, eligible_without_date(call_id)))
    page.wait_for_function("() => document.getElementById('checker-others').textContent.includes('tutti soddisfatti')")
    assert wait_result(page)["verdict"] == "not_eligible"
    assert lead.is_visible() and page.locator("#checker-simulation").is_hidden()
    page.click("#checker-simulate")
    assert wait_result(page, "eligible")["verdict"] == "eligible"
    closes = get(call_id).window.closes
    assert page.input_value("#f-submitted_at") == closes.strftime("%d/%m/%Y %H:%M")
    assert lead.is_hidden()
    simulation = page.locator("#checker-simulation")
    assert simulation.is_visible() and "Simulazione" in simulation.inner_text()
    assert "scaduto" in simulation.inner_text()
    assert not (violations := axe_violations(page)), describe(violations)


def test_inside_the_window_no_status_comes_first(page: Any, server: Any) -> None:
    call_id = "produzione-sostenibile-2024"
    page.clock.set_fixed_time(datetime(2025, 1, 15, 10, 0, tzinfo=UTC))  # the window is open
    page.goto(deep_link(server, call_id, eligible_without_date(call_id)))
    assert wait_result(page, "eligible")["verdict"] == "eligible"
    assert page.locator("#checker-call-status").is_hidden()
    assert page.locator("#checker-simulation").is_hidden()
