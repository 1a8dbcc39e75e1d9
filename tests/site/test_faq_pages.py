"""The frequent questions of each call (bandi/<call-id>/domande/): generated from the rules, in the guide's
navigation, and every answer carries, verbatim, a passage of the call that its rules record."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from build_scripts.guide import render
from checker import catalogue, model

CALLS = [catalogue.get(call_id) for call_id in catalogue.call_ids()]
PAGE = "domande"
ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.DOTALL)
SECTION = re.compile(r'<h2 id="[^"]*">(.*?)</h2>(.*?)(?=<h2 id=|$)', re.DOTALL)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
QUOTE = re.compile(r'<details class="quote">\s*<summary>(.*?)</summary>\s*<p>(.*?)</p>\s*</details>', re.DOTALL)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _sections(call: rules.Rules, site_dir: Path) -> dict[str, str]:
    """The questions of the built page of `call`, each with the HTML of its answer."""
    built = (site_dir / "bandi" / call.id / PAGE / "index.html").read_text(encoding="utf-8")
    article = ARTICLE.search(built)
    assert article, f"{call.id}: nessun contenuto nella pagina delle domande frequenti"
    # Only the questions: the footer (after the rule) is the guide's common one.
    body = article.group(1).split("<hr", 1)[0]
    return {_text(HEADERLINK.sub("", title)): answer for title, answer in SECTION.findall(body)}


def test_the_page_is_one_of_the_guide_pages() -> None:
    assert PAGE in model.GUIDE_PAGES and PAGE in render.PAGE_TITLES
    pages = render.render_pages(CALLS)
    for call in CALLS:
        assert render.page_uri(call.id, PAGE) in pages
        overview = pages[render.page_uri(call.id, "panoramica")]
        assert f"]({PAGE}.md)" in overview, f"{call.id}: la panoramica non rimanda alle domande frequenti"


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_every_answer_carries_a_verbatim_passage_of_the_rules(site_dir: Path, call: rules.Rules) -> None:
    sections = _sections(call, site_dir)
    assert len(sections) >= 6, sorted(sections)
    passages = {_text(html.escape(p.text)) for p in call.passages.values()}
    for question, answer in sections.items():
        assert question.endswith("?"), question
        quoted = QUOTE.findall(answer)
        assert quoted, f"{call.id}: «{question}» non riporta alcun passo del testo"
        for header, body in quoted:
            assert _text(header).startswith(f"Testo {call.words.of_kind}"), header
            assert _text(body) in passages, f"{call.id}: «{question}» cita un testo che non è un passo delle regole"


@pytest.mark.parametrize("call", CALLS, ids=lambda r: r.id)
def test_the_answers_come_from_the_rules(site_dir: Path, call: rules.Rules) -> None:
    """Who counts, the other bodies, how much at most, the deadline, who submits and where: each answer
    says what the rules say, with their figures; nothing of another call."""
    sections = _sections(call, site_dir)
    text = {q: _text(a) for q, a in sections.items()}
    everything = " ".join(text.values())
    for cls in call.classes.values():
        answer = text[f"Chi conta tra le {cls.label_plural}?"]
        assert f"almeno {cls.min}" in answer
    assert call.render(call.beneficiaries.non_beneficiaries) in text["Che cosa possono fare gli altri soggetti?"]
    most = text["Quanto si può ottenere al massimo?"]
    assert call.figure("grant.parameters.cap") in most
    noun = call.words.application
    assert call.figure("window.closes") in text[f"Entro quando si presenta {noun}?"]
    assert call.application.submitter in text[f"Chi presenta {noun}, e dove?"]
    assert call.application.platform_url in sections[f"Chi presenta {noun}, e dove?"]
    others = [r for r in CALLS if r.id != call.id]
    for other in others:
        assert other.short_title not in everything and other.application.platform not in everything


def test_the_consultancy_limit_is_explained_from_the_expense_data(site_dir: Path) -> None:
    """The question on a share limit comes from an expense that has one (never from the call's id): the
    call with such an expense explains it with a worked example; the other call has no such question."""
    for call in CALLS:
        limited = [e for e in call.entered_expenses if e.max_share_of_others is not None]
        sections = {q: _text(a) for q, a in _sections(call, site_dir).items()}
        share_questions = [q for q in sections if q.startswith("Che cosa vuol dire il ")]
        assert len(share_questions) == len(limited), (call.id, share_questions)
        for expense in limited:
            question = f"Che cosa vuol dire il {call.figure(f'expenses.{expense.id}.max_share_of_others')} " \
                       f"della {expense.label[:1].lower()}{expense.label[1:]}?"
            answer = sections[question]
            assert "Un esempio calcolato dalla verifica" in answer
            assert "non sono ammessi" in answer
        statements = [c for c in call.classes.values() if "financial_statements" in c.requires]
        assert bool(statements) == any("bilanci" in q for q in sections), call.id
