"""The public address is configuration: `SITE_URL` (read by mkdocs.yml) sets every absolute link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitekit import ROOT, build_site

PUBLIC = "https://bandi.example.org/"
# Files the site ships as it got them (the Pyodide runtime, the theme's source maps): not ours to word.
THIRD_PARTY = (".wasm", ".map", ".zip", ".whl")


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    previous = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = PUBLIC
    try:
        return build_site(ROOT, tmp_path_factory.mktemp("public") / "site")
    finally:
        if previous is None:
            del os.environ["SITE_URL"]
        else:
            os.environ["SITE_URL"] = previous


def test_no_local_address_is_left(public_site: Path) -> None:
    left = []
    for path in public_site.rglob("*"):
        ours = path.is_file() and not path.name.endswith(THIRD_PARTY) and "pyodide" not in path.parts
        if ours and "127.0.0.1" in path.read_text(encoding="utf-8", errors="replace"):
            left.append(path.relative_to(public_site).as_posix())
    assert not left, left


def test_canonical_links_sitemap_and_partner_examples_use_it(public_site: Path) -> None:
    home = (public_site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PUBLIC}">' in home
    sitemap = (public_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{PUBLIC}verifica/filiere-2022/</loc>" in sitemap
    partner = (public_site / "partner" / "index.html").read_text(encoding="utf-8")
    assert f"{PUBLIC}verifica/" in partner
