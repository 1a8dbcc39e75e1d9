"""Helpers of the site tests (imported by the test modules of tests/site/)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def site_pages(site: Path) -> list[str]:
    """The URL path of every HTML page of the built site (directory URLs), sorted."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        pages.append("/" if rel == "." else f"/{rel}/")
    assert "/" in pages and len(pages) > 1, f"nessuna pagina trovata in {site}"
    return pages
