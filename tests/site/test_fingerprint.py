"""Content-hashed names (build_scripts/fingerprint.py): each page names the exact release of every
script and stylesheet of ours it loads, and of the Pyodide runtime."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from build_scripts import bundle
from build_scripts.fingerprint import FingerprintError, built_name, fingerprint, module_graph, rewrite_page

SOURCES = {
    "assets/checker/money.js": "export const x = 1;\n",
    "assets/checker/checker.js": 'import { x } from "./money.js";\n'
                                 'const w = new URL("./worker.js", import.meta.url);\n',
    "assets/checker/worker.js": 'const P = new URL("../pyodide/", import.meta.url);\n',
    "assets/stylesheets/site.css": "body { color: black; }\n",
}


def test_references_are_rewritten_before_the_referrer_is_hashed() -> None:
    names, texts = fingerprint(SOURCES)
    assert set(names) == set(SOURCES)
    for source, name in names.items():
        stem, ext = source.rsplit(".", 1)
        assert re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{ext}", name), name
    checker = texts[names["assets/checker/checker.js"]]
    assert f'from "./{Path(names["assets/checker/money.js"]).name}"' in checker
    assert f'new URL("./{Path(names["assets/checker/worker.js"]).name}"' in checker
    # A change in a leaf renames the files that load it, and only those.
    changed, _ = fingerprint(SOURCES | {"assets/checker/money.js": "export const x = 2;\n"})
    assert changed["assets/checker/checker.js"] != names["assets/checker/checker.js"]
    assert changed["assets/checker/worker.js"] == names["assets/checker/worker.js"]


def test_a_cycle_of_references_is_an_error() -> None:
    with pytest.raises(FingerprintError, match="circolari"):
        fingerprint({"a/x.js": 'import "./y.js";', "a/y.js": 'import "./x.js";'})


def test_pages_point_at_the_new_names() -> None:
    names = {"assets/a.js": "assets/a.0123456789ab.js"}
    html = '<script src="../../assets/a.js"></script><a href="../../assets/a.js#x">'
    assert rewrite_page(html, "verifica/x", names) == '<script src="../../assets/a.0123456789ab.js"></script>' \
                                                       '<a href="../../assets/a.js#x">'
    assert rewrite_page('<script src="/sub/assets/a.js">', "", names, "/sub/") == \
        '<script src="/sub/assets/a.0123456789ab.js">'
    assert rewrite_page('<script data-worker="assets/a.js">', "", names) == \
        '<script data-worker="assets/a.0123456789ab.js">'


def test_the_built_site_loads_only_hashed_files_of_ours(site_dir: Path) -> None:
    for source in ("assets/checker/checker.js", "assets/checker/money.js", "assets/checker/worker.js",
                   "assets/checker/checker.css", "assets/javascripts/call-status.js", "assets/offline/register.js",
                   "assets/stylesheets/site.css"):
        assert not (site_dir / source).exists(), source
        built_name(site_dir, source)  # exactly one hashed copy
    worker = (site_dir / built_name(site_dir, "assets/checker/worker.js")).read_text(encoding="utf-8")
    assert f'"../pyodide/{bundle.site_runtime(site_dir).name}/"' in worker
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for attribute in re.findall(r'(?:src|href|data-worker)="([^"]+\.(?:js|css))"', text):
            assert re.search(r"\.[0-9a-f]{8,}(?:\.min)?\.(?:js|css)$", attribute), (page, attribute)


def test_the_module_graph_is_what_static_imports_reach() -> None:
    sources = {
        "a/page.js": 'import { x } from "./x.js";\nimport {\n  y,\n} from "../b/y.js";\nimport "./side.js";\n'
                     'const later = () => import("./lazy.js");\n// import { no } from "./comment.js"\n',
        "a/x.js": 'export * from "./z.js";\nimport { p } from "./page.js";\nexport const s = "./not.js";\n',
        "b/y.js": 'import { z } from "../a/z.js";\nimport v from "./vendor/v.mjs";\n',
        "a/z.js": "export const z = 1;\n",
        "a/side.js": "",
        "a/lazy.js": 'import "./never.js";\n',
    }
    assert module_graph(sources, "a/page.js") == ["a/x.js", "b/y.js", "a/side.js", "a/z.js", "b/vendor/v.mjs"]


@pytest.mark.parametrize("page", ["verifica/filiere-2022/index.html", "incorpora/filiere-2022/index.html",
                                  "scegli/index.html"])
def test_a_checker_page_preloads_every_module_its_module_imports(site_dir: Path, page: str) -> None:
    """No chain of round trips on a slow link: the page names each module of its graph at once."""
    html = (site_dir / page).read_text(encoding="utf-8")

    def named(pattern: str) -> list[str]:  # the site paths of the files the page names so
        return [posixpath.normpath(posixpath.join(posixpath.dirname(page), ref)) for ref in re.findall(pattern, html)]

    preloaded = named(r'<link rel="modulepreload" fetchpriority="low" href="([^"]+)">')
    (entry,) = named(r'<script type="module" src="([^"]+/(?:checker|screen)\.[^"]+)">')
    built = {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
             for p in (site_dir / "assets").rglob("*.*js")}
    graph = module_graph(built, entry)
    assert graph and sorted(preloaded) == sorted(graph)
    assert built_name(site_dir, "assets/checker/worker-client.js") in preloaded
