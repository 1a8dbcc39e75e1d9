"""A call's status (open, closed, not yet open) is recomputed in the browser at viewing time; the status
at build time stays in the HTML as the fallback without JavaScript."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from checker import catalogue, checks

pytestmark = pytest.mark.browser

LABELS = {"open": "Aperto", "closed": "Chiuso", "not_yet_open": "Non ancora aperto"}
SECOND = timedelta(seconds=1)


def _moments(call: rules.Rules) -> list[datetime]:
    closes = call.window.closes_at()
    opens = call.window.opens_at()
    moments = [closes - SECOND, closes, closes + SECOND]
    if opens is not None:
        moments += [opens - SECOND, opens]
    return moments


def test_the_html_holds_the_build_time_status(site_dir: Path) -> None:
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    built = datetime.fromtimestamp((site_dir / "index.html").stat().st_mtime, UTC)
    for call_id in catalogue.call_ids():
        call = catalogue.get(call_id)
        element = re.search(rf'<p class="call-status" data-call-status data-state="(\w+)"[^>]*'
                            rf'data-closes="{re.escape(call.window.closes_at().isoformat())}"[^>]*>(.*?)</p>', home)
        assert element, f"stato di {call_id} mancante nella home"
        assert element.group(1) == checks.window_status(call, built)
        assert LABELS[element.group(1)] in element.group(2)


@pytest.mark.parametrize("call_id", catalogue.call_ids())
def test_the_browser_recomputes_the_status(page: Any, server: Any, call_id: str) -> None:
    call = catalogue.get(call_id)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    for moment in _moments(call):
        page.clock.set_fixed_time(moment)
        page.goto(server.url(f"/bandi/{call_id}/"))
        status = page.locator("[data-call-status]").first
        expected = checks.window_status(call, moment)
        page.wait_for_function("el => el.hasAttribute('data-live')", arg=status.element_handle())
        assert status.get_attribute("data-state") == expected, moment.isoformat()
        assert status.locator(".call-status__label").inner_text() == LABELS[expected]
        assert "data di pubblicazione" not in status.inner_text()
    assert not errors, errors
