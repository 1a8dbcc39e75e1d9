"""Small things a visitor met, read in the built site.

- the 404 page speaks Italian and leads to the home page and to each guide;
- the hosting page («Pubblicare il sito») is built and linked from the partner page, but is not in the
  visitors' navigation;
- the home page promises of «Informazioni e avvertenze» only what that page holds (no «chi siamo»).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from sitekit import site_pages


def _html(site: Path, path: str) -> str:
    return (site / path.strip("/") / "index.html" if not path.endswith(".html") else site / path).read_text(
        encoding="utf-8")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def _nav(page: str) -> str:
    """The site navigation of a page (Material's primary sidebar)."""
    start = page.index('data-md-type="navigation"')
    return page[start:page.index('data-md-type="toc"', start)]


def _content(page: str) -> str:
    start = page.index('<article class="md-content__inner')
    return page[start:page.index("</article>", start)]


def test_the_404_page_is_in_italian_and_leads_somewhere(site_dir: Path) -> None:
    page = _html(site_dir, "404.html")
    assert '<html lang="it"' in page
    assert "Not found" not in page and "404 -" not in page
    assert "<title>Pagina non trovata - " in page
    content = _content(page)
    assert "<h1>Pagina non trovata</h1>" in content
    root = urlsplit(re.search(r'<link rel="canonical" href="([^"]+)"', _html(site_dir, "/")).group(1)).path
    links = re.findall(r'<a href="([^"]+)"', content)
    assert root in links, "a link to the home page"
    guides = [link for link in links if link.startswith(root + "bandi/")]
    assert len(guides) >= 2, f"a link to each guide: {links}"
    for link in links:  # absolute paths: the host serves this page at any address
        assert link.startswith("/"), link
        assert (site_dir / link.removeprefix(root) / "index.html").is_file(), f"{link} does not exist"


def test_the_hosting_page_is_linked_from_the_partner_page_not_from_the_navigation(site_dir: Path) -> None:
    assert (site_dir / "ospitare" / "index.html").is_file()
    for path in ("/", "/partner/", "/bandi/produzione-sostenibile-2024/", "/glossario/"):
        nav = _nav(_html(site_dir, path))
        assert "ospitare/" not in nav and "Pubblicare il sito" not in nav, f"{path}: the hosting page in the navigation"
    partner = _content(_html(site_dir, "/partner/"))
    assert re.search(r'<a href="\.\./ospitare/">Pubblicare il sito</a>', partner), "the partner page links it"
    # No other page is left out of the navigation by mistake: each one is in it, but the hosting page.
    home_nav = _nav(_html(site_dir, "/"))
    for path in site_pages(site_dir):
        if path in ("/", "/ospitare/") or path.startswith(("/incorpora/", "/schema/")):
            continue
        listed = f'href="{path.lstrip("/")}"' in home_nav or f'href=".{path}"' in home_nav
        assert listed, f"{path} not in the navigation"


def test_the_home_page_promises_only_what_the_information_page_holds(site_dir: Path) -> None:
    home = _text(_content(_html(site_dir, "/")))
    info = _text(_content(_html(site_dir, "/informazioni/")))
    assert "chi siamo" not in home.lower() or "chi siamo" in info.lower(), "«chi siamo» promised, not there"
    promise = re.search(r"Informazioni e avvertenze\s*: ([^.]+)\.", home)
    assert promise, home
    for words in ("che cos’è questo sito", "fonti ufficiali"):
        assert words in promise.group(1) and words in info.lower(), words
