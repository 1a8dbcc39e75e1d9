"""The partners' link builder: the checker's own embeddable page is the preview; the link, the HTML
button and the <iframe> snippet it writes open the same answers as the form they were built from."""

from __future__ import annotations

import re
from typing import Any

import pytest
from checkerlib import LOAD_TIMEOUT_MS, answers_in_url, stored_answers, wait_result
from sitekit import axe_violations, describe

pytestmark = pytest.mark.browser
READY = "() => document.getElementById('link-builder').dataset.ready === 'true'"
# The answers text of the builder's link, decoded in the page.
LINK_ANSWERS = ("() => { const code = document.getElementById('builder-link').value.split('#answers=')[1] || '';"
                " return new TextDecoder().decode(Uint8Array.from(atob(code.replace(/-/g, '+').replace(/_/g, '/')),"
                " (c) => c.charCodeAt(0))); }")


def _outputs(page: Any) -> dict[str, str]:
    return {key: page.input_value(f"#builder-{key}") for key in ("link", "button", "iframe")}


def test_the_builder_writes_links_that_open_the_same_answers(page: Any, server: Any) -> None:
    page.goto(server.url("/partner/"))
    page.select_option("#builder-start", index=1)  # the first example of the first call
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    frame = page.frame_locator("#builder-preview")
    preview = frame.locator("#checker-result").evaluate("e => ({...e.dataset})")
    assert preview["verdict"]
    # Edit inside the preview: the outputs follow the form.
    frame.locator("#member-add").click()
    frame.locator("#members-list input[data-field=name]").last.fill("Impresa del partner")
    frame.locator("#members-list input[data-field=name]").last.press("Tab")
    page.wait_for_function(f"() => ({LINK_ANSWERS})().includes('Impresa del partner')", timeout=LOAD_TIMEOUT_MS)
    preview = frame.locator("#checker-result").evaluate("e => ({...e.dataset})")  # after the edit
    outputs = _outputs(page)
    built = answers_in_url(outputs["link"])
    assert any(m.get("name") == "Impresa del partner" for m in built["members"])
    assert "submitted_at" in built  # opened in time: the example shows what the call meant
    button_href = re.search(r'<a href="([^"]+)">', outputs["button"]).group(1)  # type: ignore[union-attr]
    iframe_src = re.search(r'<iframe src="([^"]+)"', outputs["iframe"]).group(1)  # type: ignore[union-attr]
    assert button_href == outputs["link"]
    assert iframe_src == outputs["link"].replace("/verifica/", "/incorpora/")
    assert page.locator("#builder-qr svg").count() == 1
    # Each opens the same answers, with the same result.
    for url in (outputs["link"], iframe_src):
        other = page.context.new_page()
        other.goto(url)
        data = wait_result(other)
        assert stored_answers(other) == built
        assert (data["verdict"], data.get("grantAmount")) == (preview["verdict"], preview.get("grantAmount"))
        other.close()


def test_members_by_size_fill_the_preview(page: Any, server: Any) -> None:
    page.goto(server.url("/partner/"))
    page.check("#builder-call-filiere-2022")
    for size, count in (("micro", "6"), ("small", "3"), ("large", "1")):
        page.fill(f"#builder-size-{size}", count)
    page.click("#builder-members")
    frame = page.frame_locator("#builder-preview")
    frame.locator("#members-list > li").nth(9).wait_for(timeout=LOAD_TIMEOUT_MS)
    assert frame.locator("#members-list > li").count() == 10
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    built = answers_in_url(page.input_value("#builder-link"))
    assert [m["size"] for m in built["members"]] == ["micro"] * 6 + ["small"] * 3 + ["large"]
    assert "/verifica/filiere-2022/" in page.input_value("#builder-link")
    violations = axe_violations(page)
    assert not violations, describe(violations)
