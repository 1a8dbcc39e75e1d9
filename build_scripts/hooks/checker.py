"""MkDocs hook: the browser checker pages (verifica/<call-id>/) and the self-hosted Pyodide bundle.

- `on_files` adds one generated page a call (`verifica/<call-id>/index.md`, in memory: nothing is
  written into docs/); `on_page_content` replaces its content with the form and result panel
  rendered from the rules (build_scripts/checker_page, Jinja2 templates in
  build_scripts/templates/verifica/).
- `on_post_page` puts the checker's scripts (boot.js inline, starts the worker at once; lazy-search.js
  inline, holds back Material's search index until the search is used; checker.js, the page),
  stylesheet and module preload hints in the <head> of those pages only (guide pages stay light). The
  hints name every module the page's module imports, directly or not (read from the modules in
  `on_files`), so the browser fetches them all at once instead of one level of imports a round trip.
- `on_post_build` copies the Pyodide bundle into site/assets/pyodide/<key>/ (built by
  build_scripts/bundle.py, cached by content hash in .cache/ so `mkdocs serve` rebuilds are fast); the
  worker's reference to that folder is written into it in `on_files` (the key is a hash of the
  bundle's inputs: a new release of the runtime or of the rules is a new folder). The fingerprint
  hook then gives the worker and the page's scripts content-hashed names.
- `on_serve` watches the package, the rules and the templates.

Any error stops the build.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the checker package and build_scripts live at the project root
    sys.path.insert(0, str(ROOT))

from build_scripts import bundle as bundle_mod  # noqa: E402 -- needs the project root on sys.path
from build_scripts import checker_page, fingerprint, site_paths  # noqa: E402
from build_scripts.calls import load_calls  # noqa: E402
from build_scripts.hooks import offline  # noqa: E402 -- its cache names (a constant, no shared state)
from checker import model  # noqa: E402

PAGE_DIR = site_paths.CHECKER_DIR
EMBED_DIR = site_paths.EMBED_DIR
# «Quale iniziativa fa per voi?»: one profile against every call, with the same worker.
SCREEN_URI = "scegli/index.md"
EMBED = "assets/checker/embed.js"  # reports the page's height to the framing page
PYODIDE_DIR = "assets/pyodide"
# No runtime file is preloaded by the page: the worker, started by the page's first script, asks for
# them all within two round trips, while the link carries the page's own files. A preload of the stdlib
# gained nothing measurable (the bench's phone and desktop profiles), made Chromium warn that the page
# never used it (the worker did, from the HTTP cache), and would download it twice wherever that cache
# cannot keep it.
# Starts the worker; inlined in the checker pages (see `head_tags`), so not a file of the site.
BOOT = "assets/checker/boot.js"
# Holds back Material's search index until the visitor turns to the search; inlined after BOOT.
LAZY_SEARCH = "assets/checker/lazy-search.js"
WORKER = "assets/checker/worker.js"
# The page's module: the checker, or the screening.
CHECKER_MODULE = "assets/checker/checker.js"
SCREEN_MODULE = "assets/checker/screen.js"
# The worker's reference to the runtime, completed at build time with the bundle's folder (named by its
# key), its size in bytes (for the page's download progress: the standard library as Pyodide receives it, and
# the size of its gzip file should the host send only that), its WebAssembly's name and size (the worker
# asks for our wheel as that file ends), the Cache Storage it fills and our wheel (its file name and the integrity it is
# fetched with: `bundle.wheel_reference`).
RUNTIME_REFERENCE = ('{ folder: "../pyodide/", bytes: 0, stdlib: { unpacked: 0, gzip: 0 }, '
                     'wasm: { name: "", bytes: 0 }, cache: "", wheel: { name: "", integrity: "" } }')

_pages: dict[str, model.Rules] = {}
_embedded: set[str] = set()  # the uris of _pages that are embeddable checkers
_screened: list[model.Rules] = []  # the calls of the screening page (SCREEN_URI)
_boot: list[str] = []  # the texts of BOOT and LAZY_SEARCH, read with the site's files
_bundle: dict[str, str] = {}  # "key": this build's bundle_key()
_imports: dict[str, list[str]] = {}  # a page's module -> the modules it imports (fingerprint.module_graph)


def _page_uri(call_id: str, folder: str = PAGE_DIR) -> str:
    return f"{folder}/{call_id}/index.md"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _pages.clear()
    _embedded.clear()
    _boot[:] = [_inline(files, BOOT), _inline(files, LAZY_SEARCH)]
    scripts = {f.src_uri: f.content_string for f in files if f.src_uri.endswith((".js", ".mjs"))}
    _imports.clear()
    for module in (CHECKER_MODULE, SCREEN_MODULE):
        if module not in scripts:
            raise PluginError(f"checker: manca docs/{module}")
        _imports[module] = fingerprint.module_graph(scripts, module)
    try:
        cached = bundle_mod.cached_bundle()
    except bundle_mod.BundleError as err:
        raise PluginError(f"checker: bundle Pyodide: {err}") from err
    _bundle["key"] = cached.name
    worker = files.get_file_from_path(WORKER)
    if worker is None or worker.content_string.count(RUNTIME_REFERENCE) != 1:
        raise PluginError(f"checker: docs/{WORKER} deve nominare una volta sola il runtime, {RUNTIME_REFERENCE}")
    stdlib = {"unpacked": len(bundle_mod.unpacked_stdlib(cached)),
              "gzip": (cached / bundle_mod.PACKED_STDLIB).stat().st_size}
    others = [p for p in cached.iterdir() if p.name not in (bundle_mod.BROTLI_STDLIB, bundle_mod.PACKED_STDLIB)]
    runtime = {"folder": f"../pyodide/{cached.name}/",
               "bytes": sum(p.stat().st_size for p in others) + stdlib["unpacked"], "stdlib": stdlib,
               "wasm": {"name": bundle_mod.WASM, "bytes": (cached / bundle_mod.WASM).stat().st_size},
               "cache": offline.runtime_cache(cached.name), "wheel": bundle_mod.wheel_reference(cached)}
    files.remove(worker)
    files.append(File.generated(config, WORKER, content=worker.content_string.replace(
        RUNTIME_REFERENCE, json.dumps(runtime))))
    calls = load_calls("checker")
    if files.get_file_from_path(SCREEN_URI) is not None:
        raise PluginError(f"checker: «{SCREEN_URI}» è generata dalle regole: rimuovi docs/{SCREEN_URI}")
    files.append(File.generated(config, SCREEN_URI, content=checker_page.screen_markdown()))
    _screened[:] = calls
    for rules in calls:
        for folder in (PAGE_DIR, EMBED_DIR):
            uri = _page_uri(rules.id, folder)
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"checker: «{uri}» è generata dalle regole: rimuovi docs/{uri}")
            embedded = folder == EMBED_DIR
            files.append(File.generated(config, uri, content=checker_page.page_markdown(rules, embedded=embedded),
                                        inclusion=InclusionLevel.NOT_IN_NAV if embedded else InclusionLevel.UNDEFINED))
            _pages[uri] = rules
            if embedded:
                _embedded.add(uri)
    return files


def _inline(files: Files, uri: str) -> str:
    """The text of the script `uri`, to inline in the checker pages, taken out of the site's files."""
    script = files.get_file_from_path(uri)
    if script is None:
        raise PluginError(f"checker: manca docs/{uri}")
    if "</script" in script.content_string.lower():
        raise PluginError(f"checker: docs/{uri} non può contenere «</script», la chiuderebbe nella pagina")
    files.remove(script)
    # Inlined without its comment lines (they are for whoever reads the file, not for every page).
    return "\n".join(line for line in script.content_string.splitlines() if not line.lstrip().startswith("//"))


def _base(page: Page) -> str:
    """The relative path from `page` to the site root (`../../` for verifica/<id>/)."""
    depth = page.url.rstrip("/").count("/") + 1 if page.url else 0
    return "../" * depth


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    rules = _pages.get(page.file.src_uri)
    # The theme's skip link targets the first heading of the Markdown: keep its id.
    title_id = next(iter(page.toc)).id if page.toc else "checker-title"
    if page.file.src_uri == SCREEN_URI:
        try:
            return checker_page.render_screen(_screened, title_id)
        except checker_page.PageError as err:
            raise PluginError(f"checker: {err}") from err
    if rules is None:
        return html
    try:
        full_page = _base(page) + _page_uri(rules.id).removesuffix("index.md")
        return checker_page.render_page(rules, _base(page), title_id,
                                        full_page=full_page if page.file.src_uri in _embedded else None)
    except checker_page.PageError as err:
        raise PluginError(f"checker: {err}") from err


CHARSET = '<meta charset="utf-8">'


def head_tags(base: str, boot: str, embedded: bool = False, search: str = "",
              module: str = CHECKER_MODULE, *, imports: tuple[str, ...] = ()) -> tuple[str, str]:
    """What a checker page adds to its <head>: first, right after the charset, the script that starts
    the worker (inline and classic, so it runs as soon as it is parsed, before anything is fetched:
    Python loads while the rest of the page is read and built), then the one that holds back the
    search index (LAZY_SEARCH, before Material's bundle runs); at the end, the page's stylesheet,
    module script and a module preload hint for each module it `imports` (no import waterfall), at low
    priority: on a host that speaks HTTP/1.1 (six connections) the hints no longer go before the worker's
    script, so the runtime starts earlier (the bench's phone profile, 4 cold visits each: first verdict 16.35 s against
    16.58 s, the form usable at 0.80 against 0.76 s; desktop, 20 each: 1.36 against 1.34 s)."""
    first = f'<script data-worker="{base}{WORKER}">{boot}</script>' + (f"<script>{search}</script>" if search else "")
    last = [
        f'<link rel="stylesheet" href="{base}assets/checker/checker.css">',
        f'<script type="module" src="{base}{module}"></script>',  # the page's: the checker, or the screening
        *(f'<link rel="modulepreload" fetchpriority="low" href="{base}{uri}">' for uri in imports),
    ]
    if embedded:
        last.append(f'<script type="module" src="{base}{EMBED}"></script>')
    return first, "".join(last)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    screening = page.file.src_uri == SCREEN_URI
    if page.file.src_uri not in _pages and not screening:
        return output
    if CHARSET not in output or "</head>" not in output:
        raise PluginError(f"checker: {page.file.src_uri}: nessun {CHARSET} o </head> in cui inserire gli script")
    module = SCREEN_MODULE if screening else CHECKER_MODULE
    first, last = head_tags(_base(page), _boot[0], page.file.src_uri in _embedded, _boot[1], module,
                            imports=tuple(_imports[module]))
    output = output.replace(CHARSET, CHARSET + first, 1)
    return output.replace("</head>", last + "</head>", 1)


def runtime_dir() -> str:
    """The site folder of this build's Pyodide bundle."""
    return f"{PYODIDE_DIR}/{_bundle['key']}"


def on_post_build(config: MkDocsConfig) -> None:
    try:
        bundle_mod.bundle(Path(config.site_dir) / runtime_dir())
    except bundle_mod.BundleError as err:
        raise PluginError(f"checker: bundle Pyodide: {err}") from err


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    for path in (ROOT / "checker", checker_page.TEMPLATES, ROOT / "build_scripts" / "checker_page"):
        server.watch(str(path))
    return server
