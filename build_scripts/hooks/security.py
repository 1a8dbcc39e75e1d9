"""The site's HTTP security and caching headers: `site/_headers` (Netlify / Cloudflare Pages format).

After the build, every HTML page is scanned. Each inline ``<script>`` that the
browser would execute (no ``src``; no ``type``, a JavaScript type, ``module`` or
``importmap``) gets its SHA-256 hash into ``script-src``, so the policy needs no
``'unsafe-inline'`` and never ``'unsafe-eval'``; ``'wasm-unsafe-eval'`` is there
for Pyodide's WebAssembly. Inline ``<style>`` elements are hashed the same way
into ``style-src``. Markup the policy would silently break (event-handler
attributes such as ``onclick``, ``javascript:`` URLs, ``style`` attributes) fails
the build loudly, naming the page.

Caching: files whose name carries a content hash (``bundle.a5f9d56c.min.js``)
or that live under a content-hashed folder are ``immutable`` for a year;
every HTML page and the service worker are ``no-cache`` (always revalidated),
so a new release is seen at once. Other files keep the host's default, which on
Netlify and Cloudflare Pages is revalidation (``max-age=0, must-revalidate``).
``Cache-Control`` is never set on ``/*``: those hosts join the values of every
matching rule, and ``no-cache`` would cancel ``immutable``. The classes are
`CACHE_RULES`, regular expressions on the URL path: `_headers` lists the files of
each class, the nginx and Apache examples use the expressions themselves.
`ENCODING_RULES`, the same way, give ``Content-Encoding: br`` to the files the build
compressed itself with brotli (the runtime's standard library).

The policy is documented for other hosts in docs/ospitare.md, whose table and
nginx and Apache examples are generated here from the same rules (`BLOCKS`): a
``<!-- headers:NAME -->`` line of a page becomes that block. The inline hashes are
known only once every page is built, so the page is rendered with them elided and
`on_post_build` puts the real ones into its examples (the table keeps them elided).
tests/security/test_server_examples.py runs the page's nginx and Apache examples for real.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]  # no stubs; MkDocs renders pages with it
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from build_scripts.site_paths import EMBED_DIR

HEADERS_FILE = "_headers"
SERVICE_WORKER = "sw.js"

# Script types the browser executes (the HTML standard's JavaScript MIME types, plus
# module and the other script-like types CSP governs). Anything else is a data block.
JS_TYPES = {
    "", "module", "importmap", "speculationrules",
    "text/javascript", "application/javascript", "application/ecmascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript1.0", "text/javascript1.1",
    "text/javascript1.2", "text/javascript1.3", "text/javascript1.4", "text/javascript1.5",
    "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
}

# A content hash in a file or folder name: Material's `main.57a0d79d.min.css`, or a
# folder such as `pyodide/3f2a9c1b0d/`. Eight or more hex digits with at least one
# letter and one digit, so that dates and plain numbers do not count.
_HASHED = re.compile(r"(?:^|[./_-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,64}(?:[./_-]|$)")

# Powerful features the site never uses; denied to the page and to anything it embeds.
# (clipboard-write stays allowed: the checker's "copia link" button needs it.)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation",
    "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
))
IMMUTABLE = "public, max-age=31536000, immutable"
# Cloudflare Pages reads at most 100 rules from `_headers`.
MAX_RULES = 100
REVALIDATE = "no-cache"
# HTTPS only, for a year, subdomains included (browsers ignore it over plain HTTP and on IP addresses).
HSTS = "max-age=31536000; includeSubDomains"
# Cache-Control by URL path: the first expression that matches wins; "" is the host's default
# (revalidation with Last-Modified / ETag). Python's `re` and PCRE (nginx, Apache) read them alike.
CACHE_RULES: tuple[tuple[str, str], ...] = (
    (r"^/sw\.js$", REVALIDATE),       # the service worker
    (r"(?:/|\.html)$", REVALIDATE),   # pages
    (r"\.map$", ""),                  # source maps: never immutable, even with a hashed name
    (_HASHED.pattern, IMMUTABLE),     # a content hash in a file or folder name
)
# Content-Encoding by URL path: files the build compressed itself (the runtime's standard library as brotli,
# build_scripts/bundle.py), which the browser decodes only when told so. Sent as they are, never compressed again.
ENCODING_RULES: tuple[tuple[str, str], ...] = ((r"\.br$", "br"),)
# The theme's inline-script hashes, elided where the page shows the policy to people.
ELIDED_HASH = "'sha256-…'"


@dataclass
class PageScan:
    """What one HTML page needs from the policy, and what it does that the policy forbids."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._inline: str | None = None  # "script" or "style" while inside an inline element to hash
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        for name, value in values.items():
            if name.startswith("on"):
                self.scan.problems.append(f"line {line}: <{tag} {name}=...> (inline event handler)")
            elif name == "style":
                self.scan.problems.append(f"line {line}: <{tag} style=...> (inline style attribute)")
            elif name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith("javascript:"):
                self.scan.problems.append(f"line {line}: <{tag} {name}=\"javascript:...\">")
        if tag == "script" and "src" not in values and values.get("type", "").strip().lower() in JS_TYPES:
            self._inline, self._text = "script", []
        elif tag == "style":
            self._inline, self._text = "style", []

    def handle_data(self, data: str) -> None:
        if self._inline:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._inline and tag == self._inline:
            digest = csp_hash("".join(self._text))
            (self.scan.scripts if tag == "script" else self.scan.styles).add(digest)
            self._inline = None


def csp_hash(source: str) -> str:
    """The CSP source expression for an inline element's exact text: `'sha256-...'`."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def scan_html(text: str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.scan


def content_security_policy(script_hashes: Iterable[str], style_hashes: Iterable[str]) -> str:
    scripts = " ".join(sorted(set(script_hashes)))
    styles = " ".join(sorted(set(style_hashes)))
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'wasm-unsafe-eval' {scripts}".rstrip(),
        "worker-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        f"style-src 'self' {styles}".rstrip(),
        "font-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-src 'self'",  # only the site's own embeddable checker (the partners' link builder)
    ]
    return "; ".join(directives)


# Who may frame a page. Every page refuses (a frame is the usual way to trick a click), but the
# embeddable checkers under EMBED_PATH (build_scripts/hooks/checker.py), which any partner's site may
# show in an <iframe>. Each is a second Content-Security-Policy (browsers enforce every policy given:
# the first one's rules plus this frame-ancestors) with the headers that go with it, in rules that never
# both match a path: the `_headers` hosts join the values of every matching rule.
EMBED_PATH = f"/{EMBED_DIR}/"
REFUSE_FRAMING: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),  # for browsers older than frame-ancestors
    ("Cross-Origin-Resource-Policy", "same-origin"),
)
ALLOW_FRAMING: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", "frame-ancestors *"),
    ("Cross-Origin-Resource-Policy", "cross-origin"),
)


def framing_headers(url: str) -> tuple[tuple[str, str], ...]:
    """The framing headers of a URL path."""
    return ALLOW_FRAMING if url.startswith(EMBED_PATH) else REFUSE_FRAMING


def framing_patterns(site: Path) -> list[str]:
    """`_headers` paths covering every file of the site but the embeddable ones: the root and one rule
    per top-level file or folder (a `/*` rule would match EMBED_PATH too)."""
    embed = EMBED_PATH.strip("/")
    entries = {f"/{p.name}/*" if p.is_dir() else f"/{p.name}" for p in site.iterdir() if p.name != embed}
    return ["/", *sorted(entries | {f"/{HEADERS_FILE}", f"/{SERVICE_WORKER}"})]  # both written after this list


def security_headers(csp: str) -> list[tuple[str, str]]:
    """The headers of every response (`/*`), in order; the framing ones differ by path (`framing_headers`).

    Cross-Origin-Resource-Policy keeps other sites from loading the site's files into their pages;
    it does not stop a page being framed (only an embedder with Cross-Origin-Embedder-Policy checks
    it for documents): frame-ancestors and X-Frame-Options do."""
    return [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Strict-Transport-Security", HSTS),
    ]


def cache_control(url: str) -> str:
    """The Cache-Control of a URL path by `CACHE_RULES` ("" for the host's default)."""
    return next((value for pattern, value in CACHE_RULES if re.search(pattern, url)), "")


def content_encoding(url: str) -> str:
    """The Content-Encoding of a URL path by `ENCODING_RULES` ("" for none: the host compresses as it does)."""
    return next((value for pattern, value in ENCODING_RULES if re.search(pattern, url)), "")


def precompressed_files(site: Path) -> list[str]:
    """`_headers` paths of the files the build compressed itself (`content_encoding`), one rule each."""
    urls = ("/" + path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    return sorted(url for url in urls if content_encoding(url))


def is_hashed(rel_path: str) -> bool:
    """Whether a site file's URL carries a content hash (so it can be cached forever)."""
    return any(_HASHED.search(part) for part in rel_path.split("/"))


def page_url(rel_html: str) -> str:
    """The URL path that serves an HTML file: `bandi/x/index.html` -> `/bandi/x/`, `404.html` -> `/404.html`."""
    return "/" + (rel_html[: -len("index.html")] if rel_html.endswith("index.html") else rel_html)


def immutable_patterns(site: Path) -> list[str]:
    """`_headers` paths of the content-hashed files: a hashed folder as one `/folder/*` rule, else the file."""
    patterns: set[str] = set()
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or cache_control("/" + rel) != IMMUTABLE:
            continue
        parts = rel.split("/")
        folder = next((i for i, part in enumerate(parts[:-1]) if _HASHED.search(part)), None)
        patterns.add("/" + "/".join(parts[: folder + 1]) + "/*" if folder is not None else "/" + rel)
    return sorted(patterns)


def inline_hashes(site: Path) -> tuple[set[str], set[str]]:
    """The hashes of the built site's inline scripts and styles; raises PluginError on markup the CSP would break."""
    scripts: set[str] = set()
    styles: set[str] = set()
    problems: list[str] = []
    html_files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    for rel in html_files:
        scan = scan_html((site / rel).read_text(encoding="utf-8"))
        scripts |= scan.scripts
        styles |= scan.styles
        problems += [f"{rel}: {problem}" for problem in scan.problems]
    if problems:
        raise PluginError(
            "Markup that the Content-Security-Policy would block (use an external script, a class, "
            "addEventListener):\n  " + "\n  ".join(problems))
    return scripts, styles


def headers_file(site: Path, csp: str) -> str:
    """The `_headers` text for the built site in `site`, with the Content-Security-Policy `csp`."""
    lines = [
        "# Generated by build_scripts/hooks/security.py: do not edit. Documented in ospitare/.",
        "/*",
        *(f"  {name}: {value}" for name, value in security_headers(csp)),
        "",
        "# Pages and the service worker: always revalidated, so a release is seen at once.",
    ]
    refused = framing_patterns(site)
    pages = [page_url(rel) for rel in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))]
    encoded = precompressed_files(site)
    if len(pages) + len(immutable_patterns(site)) + len(encoded) + len(refused) + 3 > MAX_RULES:
        pages = []  # too many for the host: pages fall back to its default (revalidated on Netlify/Cloudflare)
    for url in [*pages, "/" + SERVICE_WORKER]:
        lines += [url, f"  Cache-Control: {REVALIDATE}"]
    lines += ["", "# Files whose URL carries a content hash never change: cached for a year."]
    for pattern in immutable_patterns(site):
        lines += [pattern, f"  Cache-Control: {IMMUTABLE}"]
    lines += ["", "# Files compressed by the build: the browser decodes them when told how."]
    for url in encoded:
        lines += [url, f"  Content-Encoding: {content_encoding(url)}"]
    lines += ["", "# Framing: refused everywhere (one rule per top-level file or folder) ..."]
    for pattern in refused:
        lines += [pattern, *(f"  {name}: {value}" for name, value in REFUSE_FRAMING)]
    lines += ["", "# ... but for the embeddable checkers, which any site may show in a frame."]
    lines += [EMBED_PATH + "*", *(f"  {name}: {value}" for name, value in ALLOW_FRAMING)]
    return "\n".join(lines) + "\n"


# The blocks a page can ask for. Every one takes the policy twice: exact (the examples, to copy) and
# with the hashes elided (the table, to read).

def headers_table(csp: str, elided: str) -> str:
    """The Markdown table of the headers of every response."""
    rows = ["| Intestazione | Valore |", "|---|---|"]
    rows += [f"| `{name}` | `{value}` |" for name, value in security_headers(elided)]
    for name, refused, allowed in _framing_pairs():
        embedded = f"`{allowed}`" if allowed else "assente"
        rows.append(f"| `{name}` | `{refused}`; nelle pagine di `{EMBED_PATH.strip('/')}/`: {embedded} |")
    return "\n".join(rows)


def _framing_pairs() -> list[tuple[str, str, str]]:
    """(name, value where framing is refused, value in EMBED_PATH or "") of each framing header."""
    allowed = dict(ALLOW_FRAMING)
    return [(name, value, allowed.get(name, "")) for name, value in REFUSE_FRAMING]


def nginx_example(csp: str, elided: str) -> str:
    """A complete nginx `server` (plus the `map` it reads, at `http` level): the headers of `_headers`."""
    cache = [f'    "~{pattern}" "{value}";' for pattern, value in CACHE_RULES]
    encoding = [f'    "~{pattern}" "{value}";' for pattern, value in ENCODING_RULES]
    headers = [f'    add_header {name} "{value}" always;' for name, value in security_headers(csp)]
    framing_maps, framing = [], []
    for i, (name, refused, allowed) in enumerate(_framing_pairs()):
        variable = f"$bandi_framing_{i}"
        framing_maps += [f"map $uri {variable} {{", f'    default "{refused}";',
                         f'    "~^{EMBED_PATH}" "{allowed}";', "}"]
        framing.append(f"    add_header {name} {variable} always;")
    return "\n".join([
        "```nginx",
        "# Generata con il sito dalle stesse regole di _headers: copiatela di nuovo a ogni aggiornamento.",
        "# Cache-Control secondo l'indirizzo (vale la prima riga che corrisponde): pagine e sw.js sempre",
        "# rivalidati, file con un'impronta nel nome per un anno, gli altri con Last-Modified ed ETag.",
        "map $uri $bandi_cache_control {",
        '    default "";',
        *cache,
        "}",
        "# File già compressi con il sito (la libreria standard del runtime, brotli): il browser li",
        "# decomprime se la risposta lo dice; nginx li invia così come sono.",
        "map $uri $bandi_content_encoding {",
        '    default "";',
        *encoding,
        "}",
        f"# Cornici: rifiutate ovunque, ammesse da ogni sito per le verifiche da incorporare ({EMBED_PATH}).",
        *framing_maps,
        "",
        "server {",
        "    listen 443 ssl;",
        "    server_name bandi.example.it;                               # il vostro dominio",
        "    ssl_certificate     /etc/ssl/certs/bandi.example.it.pem;      # e il vostro certificato",
        "    ssl_certificate_key /etc/ssl/private/bandi.example.it.key;",
        "    root /var/www/bandi-lombardia;                              # la cartella del sito (site/)",
        "    error_page 404 /404.html;",
        "    charset utf-8;",
        "",
        "    # La tabella completa dei tipi, più quelli che le mancano: un blocco types da solo",
        "    # la sostituirebbe tutta, e con nosniff HTML e CSS arriverebbero con il tipo sbagliato.",
        "    # (Se il vostro mime.types ha già wasm, nginx avvisa «duplicate extension»: è innocuo.)",
        "    include mime.types;",
        "    types {",
        "        application/wasm          wasm;",
        "        text/javascript           mjs;",
        "        application/manifest+json webmanifest;",
        "    }",
        "    gzip on;",
        "    gzip_types text/css text/javascript application/javascript application/json application/wasm",
        "               application/manifest+json image/svg+xml;",
        "",
        "    # Le intestazioni di ogni risposta. Un add_header dentro una location toglierebbe a quella",
        "    # location tutti questi: se ne aggiungete uno, ripeteteli tutti anche lì.",
        *headers,
        *framing,
        "    add_header Cache-Control $bandi_cache_control always;     # vuota: nessuna intestazione",
        "    add_header Content-Encoding $bandi_content_encoding always;",
        "",
        "    location / {",
        "        try_files $uri $uri/ =404;",
        "    }",
        "}",
        "```",
    ])


def apache_example(csp: str, elided: str) -> str:
    """The same for Apache (a `VirtualHost` or `.htaccess`; mod_headers and mod_deflate)."""
    headers = [f'Header always set {name} "{value}"' for name, value in security_headers(csp)]
    cache = []
    for i, (pattern, value) in enumerate(CACHE_RULES):
        section = "If" if i == 0 else "ElseIf"
        action = f'Header always set Cache-Control "{value}"' if value else "Header always unset Cache-Control"
        cache += [f'<{section} "%{{REQUEST_URI}} =~ m#{pattern}#">', f"    {action}", f"</{section}>"]
    encoding = []
    for pattern, value in ENCODING_RULES:
        encoding += [f'<If "%{{REQUEST_URI}} =~ m#{pattern}#">', f'    Header always set Content-Encoding "{value}"',
                     "    SetEnv no-gzip 1", "</If>"]
    refused = [f'    Header always add {name} "{value}"' for name, value in REFUSE_FRAMING]
    allowed = [f'    Header always add {name} "{value}"' for name, value in ALLOW_FRAMING]
    return "\n".join([
        "```apache",
        "# Generata con il sito dalle stesse regole di _headers: copiatela di nuovo a ogni aggiornamento.",
        "AddType application/wasm .wasm",
        "AddType text/javascript .js .mjs",
        "AddType application/manifest+json .webmanifest",
        "AddOutputFilterByType DEFLATE text/html text/css text/javascript application/json application/wasm "
        "application/manifest+json image/svg+xml",
        "ErrorDocument 404 /404.html",
        "# mod_deflate aggiunge «-gzip» all'ETag di una risposta compressa, poi non lo riconosce quando il",
        "# browser lo rimanda: senza questa riga ogni pagina rivalidata si riscaricherebbe intera.",
        'RequestHeader edit "If-None-Match" "^\\"(.*)-gzip\\"$" "\\"$1\\""',
        "# Il mime.conf di Debian legge .br come una lingua (il bretone): qui è la compressione brotli.",
        "RemoveLanguage .br",
        "",
        *headers,
        f"# Cornici: ammesse da ogni sito solo per le verifiche da incorporare ({EMBED_PATH}).",
        f'<If "%{{REQUEST_URI}} =~ m#^{EMBED_PATH}#">', *allowed, "</If>", "<Else>", *refused, "</Else>",
        "",
        "# Cache-Control secondo l'indirizzo: vale la prima condizione vera.",
        *cache,
        "",
        "# File già compressi con il sito (la libreria standard del runtime, brotli): inviati così come sono.",
        *encoding,
        "```",
    ])


BLOCKS: dict[str, Callable[[str, str], str]] = {
    "table": headers_table, "nginx": nginx_example, "apache": apache_example,
}
_MARKER = re.compile(r"^<!--\s*headers:(\S+?)\s*-->[ \t]*$", re.M)
# Per built page (its path in the site): the blocks its Markdown asked for, in order.
_blocks: dict[str, list[str]] = {}


def _placeholder_policy() -> str:
    return content_security_policy([ELIDED_HASH], [])


def _elided_policy(scripts: set[str], styles: set[str]) -> str:
    return content_security_policy([ELIDED_HASH] if scripts else [], [ELIDED_HASH] if styles else [])


def on_pre_build(config: MkDocsConfig) -> None:
    _blocks.clear()


def on_page_markdown(markdown_text: str, page: Page, config: MkDocsConfig, **kwargs: Any) -> str:
    names = _MARKER.findall(markdown_text)
    if not names:
        return markdown_text
    if unknown := sorted(set(names) - set(BLOCKS)):
        raise PluginError(f"security: {page.file.src_uri}: blocchi sconosciuti {unknown} (noti: {sorted(BLOCKS)})")
    _blocks[page.file.dest_path] = names
    placeholder = _placeholder_policy()
    return _MARKER.sub(lambda m: BLOCKS[m.group(1)](placeholder, placeholder), markdown_text)


def _render(config: MkDocsConfig, text: str) -> str:
    """A block's HTML as it is rendered inside a page (the same Markdown extensions)."""
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    html: str = md.convert(text)
    return html


def on_post_build(config: MkDocsConfig, **kwargs: Any) -> None:
    site = Path(config.site_dir)
    scripts, styles = inline_hashes(site)
    csp = content_security_policy(scripts, styles)
    (site / HEADERS_FILE).write_text(headers_file(site, csp), encoding="utf-8")
    placeholder, elided = _placeholder_policy(), _elided_policy(scripts, styles)
    for dest, names in _blocks.items():
        path = site / dest
        html = path.read_text(encoding="utf-8")
        for name in dict.fromkeys(names):
            shown = _render(config, BLOCKS[name](placeholder, placeholder))
            if html.count(shown) != names.count(name):
                raise PluginError(f"security: {dest}: il blocco «{name}» non si ritrova nella pagina generata")
            html = html.replace(shown, _render(config, BLOCKS[name](csp, elided)))
        path.write_text(html, encoding="utf-8")
