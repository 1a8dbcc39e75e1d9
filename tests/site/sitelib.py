"""Helpers of the site tests (imported by the test modules of tests/site/)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def site_pages(site: Path) -> list[str]:
    """The URL path of every HTML page of the built site (directory URLs), sorted."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        pages.append("/" if rel == "." else f"/{rel}/")
    assert "/" in pages and len(pages) > 1, f"nessuna pagina trovata in {site}"
    return pages


def root_conftest() -> ModuleType:
    """tests/conftest.py as a module (its `build_site`), whatever conftest pytest imported last."""
    spec = importlib.util.spec_from_file_location("_root_conftest", ROOT / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
