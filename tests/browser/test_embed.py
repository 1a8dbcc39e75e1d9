"""The embeddable checker, framed by a partner's page on another origin (127.0.0.2), under the headers
the site ships: it loads, gives the verdict of a deep link, reports its height, links the full page;
a normal page of the site refuses to be framed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest
from checkerlib import LOAD_TIMEOUT_MS, deep_link
from sitekit import axe_violations, describe, parse_headers_file

from build_scripts.serving import headers_for
from checker import evaluate, get

pytestmark = pytest.mark.browser
CALL = "produzione-sostenibile-2024"
PARTNER = """<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Camera di commercio</title></head>
<body><h1>Il sito di un partner</h1>
<iframe id="checker" title="Verifica" src="{src}" style="width: 100%; height: 200px; border: 0"></iframe>
<script>
window.heights = [];
window.addEventListener("message", (event) => {{
  if (event.data && event.data.type === "bandi-lombardia:height") {{
    window.heights.push(event.data.height);
    document.getElementById("checker").style.height = event.data.height + "px";
  }}
}});
</script></body></html>"""


@pytest.fixture
def partner(tmp_path: Path, other_origins: list[str]) -> Iterator[Any]:
    """A partner's site on another loopback address (another origin): `partner(src)` is its page's URL."""
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.2", 0), lambda *a: Handler(*a, directory=str(tmp_path)))
    Thread(target=httpd.serve_forever, daemon=True).start()
    other_origins.append(f"http://127.0.0.2:{httpd.server_address[1]}/")

    def page_for(src: str, name: str = "partner.html") -> str:
        (tmp_path / name).write_text(PARTNER.format(src=src), encoding="utf-8")
        return f"http://127.0.0.2:{httpd.server_address[1]}/{name}"

    yield page_for
    httpd.shutdown()
    httpd.server_close()


def test_a_partner_frames_the_checker(page: Any, server: Any, partner: Any) -> None:
    answers = {"submitted_at": get(CALL).window.closes.isoformat(timespec="minutes")} | get(CALL).examples[0].answers
    link = deep_link(server, CALL, answers).replace("/verifica/", "/incorpora/")
    page.goto(partner(link))
    frame = page.frame_locator("#checker")
    result = frame.locator("#checker-result[data-verdict]")
    result.wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
    expected = evaluate(CALL, answers)
    assert result.get_attribute("data-verdict") == expected["verdict"]
    assert result.get_attribute("data-grant-amount") == f"{expected['grant']['amount']:.2f}"
    # No site chrome; the link to the full page carries the answers when followed.
    assert frame.locator(".md-header, .md-footer, .md-sidebar").count() == 0
    assert frame.locator("#checker-full-page").get_attribute("target") == "_blank"
    # The height message sized the frame to its content.
    page.wait_for_function("() => window.heights.length > 0 && window.heights.at(-1) > 600")
    height = page.evaluate("() => window.heights.at(-1)")
    assert page.evaluate("() => document.getElementById('checker').getBoundingClientRect().height") == height
    inner = frame.locator("#checker").evaluate("e => e.getBoundingClientRect().bottom")
    assert inner <= height
    frame.locator("#member-add").click()  # a change of content: a new height
    page.wait_for_function("(h) => window.heights.at(-1) !== h", arg=height)
    with page.context.expect_page() as opened:
        frame.locator("#checker-full-page").click()
    full = opened.value
    full.wait_for_load_state()
    assert full.url.startswith(server.url(f"/verifica/{CALL}/"))
    assert json.loads(full.evaluate("() => sessionStorage.getItem('bandi-lombardia:answers:' + '" + CALL + "')"))
    full.close()


def test_the_embed_is_accessible(page: Any, server: Any) -> None:
    page.goto(server.url(f"/incorpora/{CALL}/"))
    page.locator("#checker-result[data-verdict]").wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_normal_page_refuses_to_be_framed(page: Any, server: Any, partner: Any) -> None:
    for path in (f"/verifica/{CALL}/", "/"):
        page.goto(partner(server.url(path), "other.html"))
        page.wait_for_load_state("load")
        frame = next(f for f in page.frames if f is not page.main_frame)
        assert frame.url != server.url(path) or frame.locator("body").inner_text(timeout=5000) == "", path
        assert not frame.locator("#checker, .md-header").count(), f"{path} was shown in another site's frame"


def test_the_headers_allow_framing_only_for_the_embed(site_dir: Path) -> None:


    rules = parse_headers_file((site_dir / "_headers").read_text())
    def framing(url: str) -> set[str]:
        return {f"{n}: {v}" for n, v in headers_for(rules, url)
                if v.startswith("frame-ancestors") or n == "X-Frame-Options"}
    assert framing(f"/incorpora/{CALL}/") == {"Content-Security-Policy: frame-ancestors *"}
    for url in ("/", f"/verifica/{CALL}/", "/bandi/filiere-2022/", "/404.html", "/index.html"):
        assert framing(url) == {"Content-Security-Policy: frame-ancestors 'none'", "X-Frame-Options: DENY"}, url
