"""Offline use: after one visit the guide and the checker work with the network cut, and a new
release replaces the old cache (the service worker written by build_scripts/hooks/offline.py).

Each test serves its own copy of the built site, so it can stop that server ("cut the
network": the origin is gone, not only emulated offline) and change files for a new release.
Like the shared `page` fixture, every context fails the test on a request to another host;
the service worker's own requests are watched too (the test checks that it saw them).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitekit import CONTEXT_ARGS, ROOT, SiteServer, build_site

from build_scripts import bundle, deep_links
from build_scripts.hooks import offline
from checker import catalogue
from checker.bridge import evaluate_json

pytestmark = pytest.mark.browser
CALLS = catalogue.call_ids()

ACTIVE = """async () => {
  const reg = await navigator.serviceWorker.ready;
  const worker = reg.active;
  if (worker.state !== "activated") {
    await new Promise((ok) => worker.addEventListener("statechange", () => worker.state === "activated" && ok()));
  }
  return (await caches.keys()).filter((name) => name.startsWith("bandi-"));
}"""
CACHED = """async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)"""
UPDATE = """async () => {
  const reg = await navigator.serviceWorker.getRegistration();
  await reg.update();
  const worker = reg.installing || reg.waiting;
  if (worker) {
    await new Promise((ok) => {
      const done = () => worker.state === "activated" && ok();
      worker.addEventListener("statechange", done);
      done();
    });
  }
  return (await caches.keys()).filter((name) => name.startsWith("bandi-"));
}"""


# Every message the service worker sends a page, recorded from the page's first script on.
RECORD_MESSAGES = ("navigator.serviceWorker && navigator.serviceWorker.addEventListener('message', "
                   "(e) => (window.__fromWorker = window.__fromWorker || []).push(e.data));")
WARMED = "(runtime) => (window.__fromWorker || []).some((m) => m.type === 'warmed' && m.runtime === runtime)"


def sw_lists(site: Path) -> tuple[str, list[str], list[str], list[str]]:
    """The worker's version and its lists: pages, assets, the runtime's files."""
    text = (site / "sw.js").read_text()

    def listed(name: str) -> list[str]:
        return json.loads(re.search(rf"const {name} = (\[.*?\]);", text, re.S).group(1))  # type: ignore[union-attr]

    version = re.search(r'const CACHE = "bandi-" \+ "([0-9a-f]+)"', text).group(1)  # type: ignore[union-attr]
    return version, listed("PAGES"), listed("ASSETS"), listed("RUNTIME")


@pytest.fixture
def own_site(site_dir: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, SiteServer]]:
    """A copy of the built site and its server; parametrized (indirect), a line of `_headers` that this
    copy's host leaves out."""
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    left_out = getattr(request, "param", None)
    if left_out:
        headers = copy / "_headers"
        text = headers.read_text()
        assert text.count(left_out) == 1, f"`_headers` should have {left_out!r} once"
        headers.write_text(text.replace(left_out, ""))
    srv = SiteServer(copy)
    yield copy, srv
    srv.close()


@pytest.fixture
def context(browser: Any, own_site: tuple[Path, SiteServer]) -> Iterator[tuple[Any, list[Any]]]:
    """A fresh browser context with service workers allowed, watching every request it makes."""
    origin = own_site[1].origin
    ctx = browser.new_context(**CONTEXT_ARGS, service_workers="allow")
    ctx.add_init_script(RECORD_MESSAGES)
    seen: list[Any] = []
    ctx.on("request", lambda request: seen.append(request))  # noqa: PLW0108 -- Playwright needs a function
    yield ctx, seen
    foreign = [r.url for r in seen if not r.url.startswith((origin, "data:", "blob:", "about:"))]
    ctx.close()
    assert not foreign, f"requests to other hosts: {foreign}"


def deep_link(call_id: str) -> tuple[str, str]:
    from caselib import load_cases  # noqa: PLC0415 -- the cases loader lives beside the tests

    case = next(c for c in load_cases(call_id) if "submitted_at" in c.answers)
    verdict = json.loads(evaluate_json(call_id, case.answers_json))["result"]["verdict"]
    return f"/verifica/{call_id}/#{deep_links.fragment(case.answers)}", verdict


def cut(server: SiteServer, ctx: Any) -> None:
    server.close()
    ctx.set_offline(True)


def first_visit(site: Path, server: SiteServer, ctx: Any, path: str = "/",
                runtime: bool = False) -> tuple[Any, tuple[str, list[str], list[str], list[str]]]:
    """A first visit to `path`, once its service worker is active with the release's cache and has
    cached the rest of the guide (and the runtime, from a checker page); and the worker's lists."""
    lists = sw_lists(site)
    page = ctx.new_page()
    page.goto(server.url(path))
    page.wait_for_function(WARMED, arg=runtime, timeout=60_000)
    expected = [f"bandi-{lists[0]}"] + ([offline.runtime_cache(offline.runtime_key(lists[3]))] if runtime else [])
    assert sorted(page.evaluate(ACTIVE)) == sorted(expected)
    return page, lists


def test_the_worker_lists_every_file(site_dir: Path) -> None:
    version, pages, assets, runtime = sw_lists(site_dir)
    expected = [offline.page_url(p.relative_to(site_dir).as_posix()) for p in site_dir.rglob("*.html")]
    assert sorted(pages) == sorted(expected)
    shipped = {p.relative_to(site_dir).as_posix() for p in bundle.site_runtime(site_dir).iterdir()}
    either = {rel for rel in shipped if rel.rpartition("/")[2] in offline.EITHER_STDLIB}
    assert len(either) == 2, "the standard library ships twice, brotli and gzip"
    assert shipped and set(runtime) == shipped - either, "the runtime is listed apart (its standard library not)"
    assert not set(runtime) & set(assets)
    assert "sw.js" not in assets and "_headers" not in assets
    assert all((site_dir / a).is_file() for a in assets + runtime)
    assert version == offline.version(site_dir, offline.shipped_files(site_dir, ["it"]))


def test_guide_and_checker_work_with_the_network_cut(own_site: tuple[Path, SiteServer],
                                                    context: tuple[Any, list[Any]]) -> None:
    site, srv = own_site
    ctx, seen = context
    link, _ = deep_link(CALLS[0])
    page, (version, pages, assets, runtime) = first_visit(site, srv, ctx, link, runtime=True)
    cached = page.evaluate(CACHED, f"bandi-{version}")
    assert len(cached) == len(pages) + len(assets)
    kept = set(page.evaluate(CACHED, offline.runtime_cache(offline.runtime_key(runtime))))
    assert kept == runtime_urls(srv, runtime, bundle.BROTLI_STDLIB), "the runtime, and the standard library it used"
    assert any(r.service_worker for r in seen), "the service worker's requests must be watched too"

    cut(srv, ctx)
    guide = next(p for p in pages if p.startswith("bandi/")) if any(p.startswith("bandi/") for p in pages) else "./"
    response = page.goto(srv.url("/" + guide.removeprefix("./")))
    assert response is not None and response.ok and response.from_service_worker
    assert page.locator("h1").first.inner_text().strip()
    for call_id in CALLS:
        link, verdict = deep_link(call_id)
        page.goto(srv.url(link))
        result = page.locator("#checker-result[data-verdict]")
        result.wait_for(state="attached", timeout=60_000)
        assert result.get_attribute("data-verdict") == verdict


def test_a_new_release_replaces_the_old_cache(own_site: tuple[Path, SiteServer],
                                              context: tuple[Any, list[Any]]) -> None:
    site, srv = own_site
    ctx, _ = context
    page, (old, _, _, _) = first_visit(site, srv, ctx)

    # The next release: one page changes, the hook writes a new worker.
    home = site / "index.html"
    home.write_text(home.read_text().replace("</main>", "<p id='release-2'>Nuova versione</p></main>", 1))
    (site / "sw.js").write_text(offline.service_worker(site, ["it"]))
    new, _, _, _ = sw_lists(site)
    assert new != old
    assert f"bandi-{old}" not in page.evaluate(UPDATE), "the old release's cache must be deleted"
    page.reload()  # online: the new release's page, kept on the way

    cut(srv, ctx)
    page.goto(srv.url("/"))
    assert page.locator("#release-2").count() == 1, "offline, the new release is served"


# The answers of a deep link whose grant is the cap: five beneficiary MPMI, 1,000,000 euro of equipment.
AT_THE_CAP = {
    "submitted_at": "2025-01-15T11:00:00", "intervention_in_lombardy": True, "technical_report": True,
    "duration_months": 12, "areas": ["green-standards"], "expenses": {"equipment": "1000000"},
    "members": [{"size": size, "lombardy_site": True, "financial_statements": 2, "signed_agreement": True}
                for size in ("micro", "small", "small", "medium", "medium")],
}
PROJECT_SOURCES = ("build_scripts", "checker", "docs", "overrides", "mkdocs.yml", "pyproject.toml", "package.json",
                   "package-lock.json")


def build_release(dest: Path, old: str, new: str) -> Path:
    """The site built from a copy of this checkout whose produzione rules read `new` for `old`."""
    project = dest / "project"
    project.mkdir(parents=True)
    for name in PROJECT_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.pickle"))
        else:
            shutil.copy2(source, project / name)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    rules_file = project / "checker" / "calls" / "produzione-sostenibile-2024.toml"
    text = rules_file.read_text(encoding="utf-8")
    assert text.count(old) == 1
    rules_file.write_text(text.replace(old, new), encoding="utf-8")
    return build_site(project, dest / "site")


def test_a_page_of_a_new_release_runs_that_release(own_site: tuple[Path, SiteServer],
                                                   context: tuple[Any, list[Any]], tmp_path: Path) -> None:
    """Release 1 visited (its service worker holds every file); release 2 raises the cap: the first
    verdict of the first online visit after the release already uses release 2's rules."""
    site, srv = own_site
    ctx, _ = context
    page, _ = first_visit(site, srv, ctx)
    link = srv.url(f"/verifica/produzione-sostenibile-2024/#{deep_links.fragment(AT_THE_CAP)}")
    page.goto(link)
    page.locator("#checker-result[data-grant-amount]").wait_for(state="attached", timeout=60_000)
    assert page.get_attribute("#checker-result", "data-grant-amount") == "300000.00"

    release = build_release(tmp_path / "release-2", "cap = 300_000.00", "cap = 350_000.00")
    port = srv.httpd.server_address[1]
    srv.close()
    shutil.rmtree(site)
    shutil.copytree(release, site)
    release_2 = SiteServer(site, port=port)  # the same origin, release 2 and its _headers
    try:
        fresh = ctx.new_page()
        fresh.goto(link)
        fresh.locator("#checker-result[data-grant-amount]").wait_for(state="attached", timeout=60_000)
        assert fresh.get_attribute("#checker-result", "data-grant-amount") == "350000.00"
    finally:
        release_2.close()


def test_a_visit_to_the_glossary_costs_the_glossary(own_site: tuple[Path, SiteServer],
                                                   context: tuple[Any, list[Any]]) -> None:
    """With an empty cache, a guide page and the worker's background caching download no Python runtime."""
    site, srv = own_site
    ctx, _ = context
    first_visit(site, srv, ctx, "/glossario/")
    runtime = [(path, size) for path, size in srv.served if path.startswith("/assets/pyodide/")]
    assert not runtime, f"runtime bytes downloaded for the glossary: {sum(s for _, s in runtime)}"
    assert any(path == "/glossario/" for path, _ in srv.served)


def test_the_runtime_is_cached_from_the_responses_the_checker_received(own_site: tuple[Path, SiteServer],
                                                                      context: tuple[Any, list[Any]]) -> None:
    """The checker's runtime crosses the network once: the worker's cache takes it from the HTTP cache."""
    site, srv = own_site
    ctx, _ = context
    link, _ = deep_link(CALLS[0])
    page, (_, _, _, runtime) = first_visit(site, srv, ctx, link, runtime=True)
    cached = set(page.evaluate(CACHED, offline.runtime_cache(offline.runtime_key(runtime))))
    assert runtime_urls(srv, runtime, bundle.BROTLI_STDLIB) == cached
    fetched = [path for path, _ in srv.served if path.startswith("/assets/pyodide/")]
    assert sorted(fetched) == sorted(set(fetched)), f"runtime files downloaded twice: {fetched}"
    assert not any(path.endswith(bundle.PACKED_STDLIB) for path in fetched), "the gzip standard library too"


@pytest.mark.parametrize("own_site", ["  Content-Encoding: br\n"], indirect=True)
def test_a_host_without_the_brotli_header_costs_the_gzip_file_and_works_offline(
        own_site: tuple[Path, SiteServer], context: tuple[Any, list[Any]]) -> None:
    """A host that sends the brotli standard library without `Content-Encoding: br` (its `_headers` rule left
    out): the worker drops it at its first bytes for the gzip file, keeps that one, and works offline."""
    site, srv = own_site
    ctx, _ = context
    link, verdict = deep_link(CALLS[0])
    page, (_, _, _, runtime) = first_visit(site, srv, ctx, link, runtime=True)
    assert page.locator("#checker-result").get_attribute("data-verdict") == verdict
    fetched = [path.rpartition("/")[2] for path, _ in srv.served if path.startswith("/assets/pyodide/")]
    assert fetched.count(bundle.BROTLI_STDLIB) == 1 and fetched.count(bundle.PACKED_STDLIB) == 1, fetched
    kept = set(page.evaluate(CACHED, offline.runtime_cache(offline.runtime_key(runtime))))
    assert kept == runtime_urls(srv, runtime, bundle.PACKED_STDLIB), "the gzip one kept, not the brotli bytes"
    cut(srv, ctx)
    page.goto(srv.url(link))
    result = page.locator("#checker-result[data-verdict]")
    result.wait_for(state="attached", timeout=60_000)
    assert result.get_attribute("data-verdict") == verdict


def runtime_urls(srv: SiteServer, runtime: list[str], stdlib: str) -> set[str]:
    """The URLs of the service worker's runtime list and of the standard library file `stdlib` beside them."""
    folder = runtime[0].rpartition("/")[0]
    return {srv.url("/" + rel) for rel in [*runtime, f"{folder}/{stdlib}"]}
