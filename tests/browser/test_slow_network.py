"""Honest waiting on a slow connection: while the runtime downloads, the page says how much of how much
and that the form can be filled; it declares the checker unavailable only when the download stops. And
the wheel waits for the WebAssembly: it downloads while Python starts, not against the file Python needs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from checkerlib import deep_link
from sitekit import CONTEXT_ARGS, SiteServer

from checker import get

pytestmark = pytest.mark.browser
RATE = 1_000_000  # bytes per second of every response: the 8.6 MB WebAssembly file alone takes 8 s
STALL_MS = 3000  # the page's patience without a byte, far below the download's length
# Every state #checker-result takes, from the page's first script on.
RECORD_STATES = """
new MutationObserver(() => {
  const el = document.getElementById("checker-result");
  if (el) (window.__states = window.__states || []).push(el.dataset.state);
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-state"]});
"""


@pytest.fixture
def slow_server(site_dir: Path) -> Iterator[SiteServer]:
    srv = SiteServer(site_dir, rate=RATE)
    yield srv
    srv.close()


def test_a_slow_download_shows_its_progress_and_ends_in_a_verdict(browser: Any, slow_server: SiteServer) -> None:
    context = browser.new_context(**CONTEXT_ARGS)
    try:
        page = context.new_page()
        page.add_init_script(f"window.CHECKER_TIMEOUT_MS = {STALL_MS};")
        page.add_init_script(RECORD_STATES)
        call_id = "produzione-sostenibile-2024"
        page.goto(deep_link(slow_server, call_id, get(call_id).examples[0].answers))
        status = page.locator("#checker-status")
        status.filter(has_text=" MB di ").wait_for(timeout=60_000)
        assert "Puoi già rispondere" in status.inner_text()
        assert page.locator("#checker-progress").is_visible()
        page.locator("#checker-result[data-verdict]").wait_for(state="attached", timeout=180_000)
        states = page.evaluate("window.__states")
        assert "error" not in states, f"declared unavailable while bytes were arriving: {states}"
        assert page.get_attribute("#checker-result", "data-state") == "ready"
        assert page.locator("#checker-progress").is_hidden() and page.locator("#checker-fallback").is_hidden()
        # The server's clock: the wheel was asked for as the WebAssembly ended (within a round trip of its last
        # byte, the worker's estimate; a second here), not while most of it was still to come.
        traffic = slow_server.traffic
        wasm_done = max(t for t, _, path in traffic.sent if path.endswith("/pyodide.asm.wasm"))
        wheel_asked = min(t for t, path in traffic.begun if path.endswith(".whl"))
        assert wheel_asked > wasm_done - 1, f"the wheel was asked for {wasm_done - wheel_asked:.1f} s before the end"
    finally:
        context.close()
