"""MkDocs hook: the guide pages, the site-wide pages and the JSON Schemas, generated from checker/calls/.

- `on_files` renders every page of the guide (build_scripts/templates/guide/, Jinja2) from the rules
  objects and adds them in memory with `File.generated`; nothing is written into docs/. It also
  publishes the answers' JSON Schemas at schema/v1/<call-id>.schema.json.
- a second, late `on_files` builds the navigation, once every hook has added its pages (the checker
  pages come from build_scripts/hooks/checker.py).
- `on_page_markdown` turns the `verifica:<call-id>` link markers into relative links to the checker.
- `on_serve` watches the rules, the templates and these modules.

Any error (an unknown placeholder, an undefined template variable, a missing page) stops the build.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the checker package and build_scripts live at the project root
    sys.path.insert(0, str(ROOT))

from build_scripts.calls import load_calls  # noqa: E402 -- needs the project root on sys.path
from build_scripts.guide import render  # noqa: E402
from checker import model  # noqa: E402

MARKER = re.compile(r"\]\(verifica:([^)#\s]*)(#[^)\s]*)?\)")
SITE_NAV = (
    ("Quale iniziativa fa per voi?", "scegli/index.md"),
    ("Confronto tra i bandi", "confronto.md"),
    ("Glossario", "glossario.md"),
    ("Per i partner: formato e schema", "partner.md"),
    ("Informazioni e avvertenze", "informazioni.md"),
)

_calls: list[model.Rules] = []


def _load_rules() -> list[model.Rules]:
    # The most recent call first (home page, navigation, comparison).
    return sorted(load_calls("guide"), key=lambda r: r.window.closes_at(), reverse=True)


@event_priority(0)
def _generate(files: Files, config: MkDocsConfig) -> Files:
    _calls[:] = _load_rules()
    try:
        pages = render.render_pages(_calls, site_url=config.site_url or "/")
    except render.GuideError as err:
        raise PluginError(f"guide: {err}") from err
    generated = pages | render.render_schemas(_calls)
    for uri, content in generated.items():
        existing = files.get_file_from_path(uri)
        if existing is not None:
            raise PluginError(f"guide: «{uri}» è generata dalle regole: rimuovi docs/{uri}")
        files.append(File.generated(config, uri, content=content))
    return files


def _checker_file(files: Files, call_id: str) -> File:
    for file in files:
        if file.url == f"verifica/{call_id}/" and file.is_documentation_page():
            return file
    raise PluginError(f"guide: manca la pagina della verifica verifica/{call_id}/ (build_scripts/hooks/checker.py)")


@event_priority(-100)
def _navigation(files: Files, config: MkDocsConfig) -> Files:
    nav: list[Any] = [{"Home": "index.md"}]
    for rules in _calls:
        section: list[Any] = [render.page_uri(rules.id, "panoramica")]
        section += [{render.PAGE_TITLES[p]: render.page_uri(rules.id, p)} for p in model.GUIDE_PAGES[1:]]
        section.append({"Verifica online": _checker_file(files, rules.id).src_uri})
        nav.append({rules.short_title: section})
    nav += [{title: uri} for title, uri in SITE_NAV]
    placed = set(_flatten(nav))
    nav += [f.src_uri for f in files.documentation_pages()
            if f.src_uri not in placed and f.inclusion != InclusionLevel.NOT_IN_NAV]
    config.nav = nav
    return files


def _flatten(nav: list[Any]) -> list[str]:
    out: list[str] = []
    for entry in nav:
        if isinstance(entry, str):
            out.append(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                out += _flatten(value) if isinstance(value, list) else [value]
    return out


on_files = CombinedEvent(_generate, _navigation)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    def link(match: re.Match[str]) -> str:
        call_id, anchor = match.group(1), match.group(2) or ""
        if call_id not in {r.id for r in _calls}:
            raise PluginError(f"guide: {page.file.src_uri}: marcatore verifica:{call_id} per un bando sconosciuto")
        target = _checker_file(files, call_id).src_uri
        href = render.relative_link(page.file.src_uri, target)
        if anchor.startswith("#answers="):
            # A deep link's fragment is not an anchor of the page: it is added after link validation.
            return f"]({href}){{ data-deep-link=\"{anchor[1:]}\" }}"
        return f"]({href}{anchor})"

    return MARKER.sub(link, markdown)


DEEP_LINK_TAG = re.compile(r"<a [^>]*\bdata-deep-link=\"[^\"]*\"[^>]*>")
DEEP_LINK_ATTR = re.compile(r' data-deep-link="([^"]*)"')


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    def fragment(match: re.Match[str]) -> str:
        tag = match.group(0)
        attr = DEEP_LINK_ATTR.search(tag)
        assert attr is not None  # the tag pattern requires it
        tag = DEEP_LINK_ATTR.sub("", tag)
        return re.sub(r'href="([^"#]*)"', lambda href: f'href="{href.group(1)}#{attr.group(1)}"', tag, count=1)

    html = DEEP_LINK_TAG.sub(fragment, html)
    if "data-deep-link" in html or 'href="verifica:' in html:
        raise PluginError(f"guide: {page.file.src_uri}: un collegamento alla verifica non è stato risolto")
    return html


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    for path in (ROOT / "checker" / "calls", render.TEMPLATES, ROOT / "build_scripts" / "guide"):
        server.watch(str(path))
    return server
