"""The generated guide: every page of every call, every rule beside its verbatim passage, loud failures."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from build_scripts.guide import render
from checker import catalogue, checks, model
from checker.schema import answers_schema

CALLS = [catalogue.get(call_id) for call_id in catalogue.call_ids()]


def _text(path: Path) -> str:
    """The visible text of a built page, entities decoded and spaces normalised."""
    raw = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(raw))


def _tokens(text: str) -> list[str]:
    """The words and figures of a text, lower case, without the punctuation around them."""
    found = (t.strip(".,:;()’'“”\"«»–-") for t in re.findall(r"[\w’'%€.,:/()–-]+", text.lower()))
    return [t for t in found if t]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_page_is_generated_without_placeholders() -> None:
    pages = render.render_pages(CALLS)
    expected = {render.page_uri(r.id, p) for r in CALLS for p in model.GUIDE_PAGES} | set(render.SITE_PAGES)
    assert set(pages) == expected
    for uri, text in pages.items():
        assert not render.unresolved(text), uri
        assert text.startswith(("# ", "---")), uri


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_every_rule_stands_beside_its_verbatim_passage(site_dir: Path, call: rules.Rules) -> None:
    guide = site_dir / "bandi" / call.id

    def page(name: str) -> str:
        return _text(guide / ("index.html" if name == "panoramica" else f"{name}/index.html"))

    def text(ref: str) -> str:
        return _norm(call.passage(ref).text)

    for check in call.checks:
        assert text(check.passage or call.window.passage) in page(check.guide), f"{check.id}: passo mancante in {check.guide}"
        assert _norm(checks.title(call, check)) in page(check.guide), f"{check.id}: titolo mancante"
    for expense in call.expenses:
        assert text(expense.passage) in page("spese"), expense.id
    for area in call.areas:
        assert text(area.passage) in page("ambiti"), area.id
        assert _norm(area.label) in page("ambiti"), area.id
    assert text(call.grant.passage) in page("contributo")
    assert text(call.objective.passage) in page("panoramica")
    # The managing body under the call's own word for its role (a body that «ha attivato» the call does not
    # «gestire» it), beside the passage that names it.
    overview = (guide / "index.html").read_text(encoding="utf-8")
    headings = [_norm(html.unescape(re.sub(r"<[^>]+>", "", h))).rstrip(" ¶")
                for h in re.findall(r"<h2[^>]*>(.*?)</h2>", overview, re.S)]
    assert call.words.managing in headings
    assert _norm(f"{call.words.managed_by} {call.managing_body} .") in page("panoramica")
    if call.managing_body_passage:
        assert text(call.managing_body_passage) in page("panoramica")
    assert text(call.application.passage) in page("come-presentare")
    assert text(call.beneficiaries.passage) in page("beneficiari")
    assert text(call.beneficiaries.non_beneficiaries_passage) in page("beneficiari")
    for phase in call.phases:
        assert text(phase.passage) in page("scadenze")
    for reading in call.readings:
        assert _norm(call.render(reading.text)) in page("lettura"), reading.id
    for item in call.application.prepare:
        assert _norm(call.render(item)) in page("come-presentare")


def test_the_schemas_are_published(site_dir: Path) -> None:
    for call in CALLS:
        published = json.loads((site_dir / render.schema_uri(call.id)).read_text(encoding="utf-8"))
        assert published == answers_schema(call)


def test_a_template_error_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "guide"
    shutil.copytree(render.TEMPLATES, broken)
    (broken / "ambiti.md.j2").write_text("# Ambiti\n\n{{ rules.no_such_field }}\n", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", broken)
    with pytest.raises(render.GuideError, match="ambiti"):
        render.render_pages(CALLS)


QUOTE = re.compile(r'^\?\?\? quote "([^"\n]*)"\n\n    (.*)$', re.MULTILINE)


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_the_guide_quotes_only_passages_of_the_rules(call: rules.Rules) -> None:
    """Every block the guide of a call shows as the call's text is a passage its rules record, headed
    by the call's kind and, only when the text has headings, by the heading the rules give."""
    pages = render.render_pages(CALLS)
    quoted = [m.groups() for uri, text in pages.items() if uri.startswith(f"bandi/{call.id}/")
              for m in QUOTE.finditer(text)]
    assert len(quoted) >= len(call.areas) + len(call.expenses)
    allowed = {render.md(p.text) for p in call.passages.values()}
    assert {body for _, body in quoted} <= allowed
    headed = any(p.section for p in call.passages.values())
    for header, _ in quoted:
        assert header.startswith(f"Testo {call.words.of_kind}: «") if headed else header == f"Testo {call.words.of_kind}"
    assert not any(QUOTE.search(pages[uri]) for uri in render.SITE_PAGES)


def test_a_template_quoting_its_own_words_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "guide"
    shutil.copytree(render.TEMPLATES, broken)
    (broken / "ambiti.md.j2").write_text('# Ambiti\n\n{{ quote("parole nostre, non del bando") }}\n',
                                         encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", broken)
    with pytest.raises(render.GuideError, match="parole nostre"):
        render.render_pages(CALLS)


def test_an_unresolved_placeholder_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "guide"
    shutil.copytree(render.TEMPLATES, broken)
    (broken / "lettura.md.j2").write_text("# Letture\n\nIl massimale è {grant.parameters.cap}.\n", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", broken)
    with pytest.raises(render.GuideError, match=r"\{grant\.parameters\.cap\}"):
        render.render_pages(CALLS)


SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"  # the calls' own texts, as published
URL = re.compile(r"https?://\S+")
# Words of a call's text that the guide does not repeat, each with the reason.
NOT_REPEATED = {"strutturata": "«L’iniziativa è strutturata in due fasi» restates «strutturato in due fasi»"}


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_every_word_figure_and_link_of_the_call_text_is_in_its_guide(site_dir: Path, call: rules.Rules) -> None:
    """Every fact of the call reaches the reader: each word of its text is in the call's guide pages,
    each figure together with a neighbouring word («12 milioni», «ore 16:00»), and each address is a
    link there. The filiere text, as extracted from its web page, glued displaced bold phrases to
    their neighbours («alimprese»): such a token counts when it splits into two words of the guide."""
    seed = (SEEDS / f"{call.id}.txt").read_text(encoding="utf-8")
    pages = sorted((site_dir / "bandi" / call.id).rglob("index.html"))
    markup = "".join(p.read_text(encoding="utf-8") for p in pages)
    guide = _tokens(" ".join(_text(p) for p in pages))
    words, flowing = set(guide), " " + " ".join(guide) + " "

    def present(word: str) -> bool:
        return word in words or any(word[:i] in words and word[i:] in words for i in range(1, len(word)))

    links = URL.findall(seed)
    assert links, "the call text names no address"
    missing = [u for u in links if f'href="{u}' not in markup and f'href="{html.escape(u)}' not in markup]
    sequence = _tokens(re.sub(r"-\s*\n\s*", "-", URL.sub(" ", seed)))  # «pre-⏎investimento»
    missing += sorted({t for t in sequence if len(t) > 1 and not present(t) and t not in NOT_REPEATED})
    for i, token in enumerate(sequence):
        if any(c.isdigit() for c in token):
            before = sequence[i - 1] if i else ""
            after = sequence[i + 1] if i + 1 < len(sequence) else ""
            # the word before may be glued («lofase 2»): its last letters will do
            if f" {token} {after} " not in flowing and not any(
                    f"{before[j:]} {token} " in flowing for j in range(len(before) - 1)):
                missing.append(" ".join(sequence[max(i - 1, 0):i + 2]))
    assert not missing, f"not in the guide of {call.id}: {missing}"
