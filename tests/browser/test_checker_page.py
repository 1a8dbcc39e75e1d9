"""The browser checker end to end, in headless Chromium, against the real built site.

- each call's form filled from the keyboard only (Tab, typing, Space, Enter, arrow keys in a
  select), for an eligible and a not eligible case; the result is read from #checker-result;
- hand-built deep links (#answers= + base64url of the JSON) give the verdict and amount of CPython's
  `checker.evaluate` on the same answers;
- invalid money shows the error summary, whose link focuses the field;
- the copy-link button round-trips the answers;
- without WebAssembly, when the worker fails and when loading is too slow, the page says so and
  links to the guide's checklist;
- axe finds no violation in each state.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from caselib import load_cases
from checkerlib import (
    CALLS,
    LOAD_TIMEOUT_MS,
    active,
    answers_in_url,
    choose,
    deep_link,
    print_page,
    stored_answers,
    tab_to,
    wait_result,
    wait_stored,
)
from sitekit import SiteServer, axe_violations, describe

from build_scripts.fingerprint import built_name
from checker import evaluate, get
from checker.money import plain

pytestmark = pytest.mark.browser

SIZE_INDEX = {"micro": 1, "small": 2, "medium": 3, "large": 4, "other": 5}  # options after «non indicata»


def expected(call_id: str, answers: Any) -> tuple[str, str | None]:
    """Verdict and plain grant amount from CPython, as the page's test hooks carry them."""
    result = evaluate(call_id, json.loads(json.dumps(answers)))
    grant = result["grant"]
    return result["verdict"], None if grant is None else plain(Decimal(str(grant["amount"])))


def add_member_from_keyboard(page: Any, member: dict[str, Any], fields: tuple[str, ...]) -> None:
    """«Aggiungi un membro» with Enter, then each field of the new row with Tab."""
    tab_to(page, "#member-add")
    page.keyboard.press("Enter")
    first = active(page)
    assert first["field"] == "name", f"focus after «Aggiungi» is {first}"
    if member.get("name"):
        page.keyboard.type(member["name"])
    for previous, field in itertools.pairwise(fields):
        page.keyboard.press("Tab")
        if previous == "size":  # the SME class helper, closed, comes right after the size
            assert active(page)["tag"] == "SUMMARY", active(page)
            page.keyboard.press("Tab")
        assert active(page)["field"] == field, active(page)
        value = member.get(field)
        if value is None:
            continue
        if field == "size":
            choose(page, SIZE_INDEX[value])
        elif field == "financial_statements":
            page.keyboard.type(str(value))
        else:
            choose(page, 1 if value else 2)


def fill_from_keyboard(page: Any, plan: dict[str, Any]) -> None:
    """Fill the form with Tab, typing, Space, Enter and arrow keys only."""
    if "submitted_at" in plan:
        tab_to(page, "#f-submitted_at")
        page.keyboard.type(plan["submitted_at"])
    for member in plan.get("members", []):
        add_member_from_keyboard(page, member, plan["member_fields"])
    for area in plan.get("areas", []):
        tab_to(page, f"#f-area-{area}")
        page.keyboard.press("Space")
    for key, value in plan.get("questions", {}).items():
        if isinstance(value, bool):
            tab_to(page, f"#f-{key}-yes")
            if not value:
                page.keyboard.press("ArrowRight")  # moves to «No» and selects it
            else:
                page.keyboard.press("Space")
        else:
            tab_to(page, f"#f-{key}")
            page.keyboard.type(str(value))
    for expense, text in plan.get("expenses", {}).items():
        tab_to(page, f"#f-exp-{expense}")
        page.keyboard.type(text)
    page.keyboard.press("Tab")


PLANS: dict[str, dict[str, dict[str, Any]]] = {
    "produzione-sostenibile-2024": {
        "eligible": {
            "submitted_at": "15/01/2025 11:00",
            "members": [
                {"name": "Alfa", "size": "micro", "lombardy_site": True, "financial_statements": 2,
                 "signed_agreement": True},
                {"name": "Beta", "size": "small", "lombardy_site": True, "financial_statements": 3,
                 "signed_agreement": True},
                {"name": "Gamma", "size": "small", "lombardy_site": True, "financial_statements": 2,
                 "signed_agreement": True},
                {"name": "Delta", "size": "medium", "lombardy_site": True, "financial_statements": 5,
                 "signed_agreement": True},
                {"name": "Epsilon", "size": "medium", "lombardy_site": True, "financial_statements": 2,
                 "signed_agreement": True},
            ],
            "areas": ["eco-design", "by-products"],
            "questions": {"intervention_in_lombardy": True, "technical_report": True, "duration_months": 12},
            "expenses": {"consultancy": "20.000", "equipment": "100.000,00", "materials": "40 000",
                         "training": "€ 20.000"},
            "expect": {
                "submitted_at": "2025-01-15T11:00",
                "expenses": {"consultancy": "20000", "equipment": "100000.00", "materials": "40000",
                             "training": "20000"},
                "verdict": "eligible", "grant": "115560.00",
            },
        },
        "not_eligible": {
            "submitted_at": "15/01/2025 11:00",
            "members": [{"name": "Sola", "size": "large", "lombardy_site": True, "financial_statements": 4,
                         "signed_agreement": True}],
            "areas": ["green-standards"],
            "questions": {"intervention_in_lombardy": False, "technical_report": True, "duration_months": 24},
            "expenses": {"equipment": "10.000,50"},
            "expect": {"expenses": {"equipment": "10000.50"}, "verdict": "not_eligible"},
        },
    },
    "filiere-2022": {
        "eligible": {
            "submitted_at": "01/12/2022 09:00",
            "members": [{"size": s, "lombardy_site": True} for s in
                        ("micro", "micro", "small", "small", "small", "medium", "medium", "medium", "large", "large")],
            "areas": ["sustainability", "credit"],
            "questions": {"lead_partner": True, "shared_objectives": True, "strategy": True},
            "expenses": {"sme": "500.000", "large": "200.000,00"},
            "expect": {"expenses": {"sme": "500000", "large": "200000.00"}, "verdict": "eligible",
                       "grant": "280000.00"},
        },
        "not_eligible": {
            "submitted_at": "01/12/2022 09:00",
            "members": [{"name": "Ateneo", "size": "other", "lombardy_site": True},
                        {"size": "small", "lombardy_site": False}],
            "areas": ["innovation"],
            "questions": {"lead_partner": True, "shared_objectives": True, "strategy": False},
            "expect": {"verdict": "not_eligible"},
        },
    },
}


@pytest.mark.parametrize("case", ["eligible", "not_eligible"])
@pytest.mark.parametrize("call_id", CALLS)
def test_keyboard_only(page: Any, server: Any, call_id: str, case: str) -> None:
    plan = PLANS[call_id][case] | {"member_fields": get(call_id).member_fields}
    page.goto(server.url(f"/verifica/{call_id}/"))
    fill_from_keyboard(page, plan)
    want = plan["expect"]
    page.wait_for_function(
        "(v) => document.getElementById('checker-result').dataset.verdict === v", arg=want["verdict"],
        timeout=LOAD_TIMEOUT_MS)
    answers = stored_answers(page)
    # The tab's answers reflect the form; CPython agrees with the page on those very answers.
    verdict, grant = expected(call_id, answers)
    # The result of those very answers (an earlier evaluation of the typing may show the same verdict).
    page.wait_for_function("([v, g]) => { const d = document.getElementById('checker-result').dataset;"
                           " return d.verdict === v && (d.grantAmount || null) === g; }", arg=[verdict, grant],
                           timeout=LOAD_TIMEOUT_MS)
    data = wait_result(page, verdict)
    assert data["state"] == "ready"
    assert data.get("grantAmount") == grant
    assert verdict == want["verdict"]
    if "grant" in want:
        assert grant == want["grant"]
    for key in ("submitted_at", "expenses"):
        if key in want:
            assert answers[key] == want[key]
    assert len(answers.get("members", [])) == len(plan["members"])
    if case == "not_eligible":
        reasons = page.locator("#checker-reasons-fail li")
        assert reasons.count() >= 1
        assert reasons.first.locator("a").get_attribute("href").startswith(f"../../bandi/{call_id}/")


NAVIGATE_AND_WAIT = """(fragment) => new Promise((resolve, reject) => {
  const el = document.getElementById("checker-result");
  delete el.dataset.verdict;
  const done = () => resolve({...el.dataset, rows: document.querySelectorAll("#members-list > li").length});
  const observer = new MutationObserver(() => { if (el.dataset.verdict) { observer.disconnect(); done(); } });
  observer.observe(el, {attributes: true});
  setTimeout(() => { observer.disconnect(); reject(new Error("no verdict for " + fragment)); }, 20000);
  location.hash = fragment;
})"""


def _deep_link_answers(call_id: str) -> list[Any]:
    out: list[Any] = [{}]
    out += [example.answers for example in get(call_id).examples]
    out += [json.loads(case.answers_json) for case in load_cases(call_id)]
    unique = {json.dumps(a, sort_keys=True): a for a in out}  # the same fragment twice is no navigation
    return list(unique.values())


@pytest.mark.parametrize("call_id", CALLS)
def test_deep_links_match_cpython(page: Any, server: Any, call_id: str) -> None:
    """Every case of tests/cases and every example of the rules, as a hand-built deep link."""
    answers_list = _deep_link_answers(call_id)
    first, rest = answers_list[1], answers_list[2:] + answers_list[:1]  # the examples first, {} last
    # a fresh load of a deep link
    page.goto(deep_link(server, call_id, first))
    data = wait_result(page)
    assert (data["verdict"], data.get("grantAmount")) == expected(call_id, first)
    assert page.locator("#members-list > li").count() == len(first.get("members", []))
    for answers in rest:
        verdict, grant = expected(call_id, answers)
        fragment = deep_link(server, call_id, answers).split("#", 1)[1]
        # One round trip: change the fragment (a hashchange, as when a link is opened in the same tab)
        # and wait in the page for the new verdict.
        data = page.evaluate(NAVIGATE_AND_WAIT, fragment)
        label = json.dumps(answers)[:200]
        assert (data["verdict"], data.get("grantAmount")) == (verdict, grant), label
        assert data["rows"] == len(answers.get("members", [])), label


def test_deep_link_with_invalid_answers_names_the_field(page: Any, server: Any) -> None:
    call_id = "produzione-sostenibile-2024"
    answers = {"members": [{"size": "micro"}, {"size": "huge"}]}
    page.goto(deep_link(server, call_id, answers))
    page.wait_for_selector("#checker-result[data-error-path]", timeout=LOAD_TIMEOUT_MS)
    data = page.eval_on_selector("#checker-result", "e => ({...e.dataset})")
    assert data["errorPath"] == "members[1].size"
    assert "verdict" not in data and "grantAmount" not in data
    summary = page.locator("#checker-errors")
    assert summary.is_visible()
    assert "members[1].size" in summary.inner_text()
    assert active(page)["id"] == "checker-errors"  # focus moved to the summary
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link
    focused = active(page)
    assert focused["field"] == "size" and focused["value"] == ""
    assert page.evaluate("() => document.activeElement.closest('li').dataset.member") == "2"


def test_deep_link_that_is_not_base64url(page: Any, server: Any) -> None:
    page.goto(server.url("/verifica/filiere-2022/#answers=%%%"))
    page.wait_for_selector("#checker-errors:not([hidden])", timeout=LOAD_TIMEOUT_MS)
    assert "base64url" in page.locator("#checker-errors").inner_text()


def test_invalid_money_shows_the_error_summary(page: Any, server: Any) -> None:
    call_id = "produzione-sostenibile-2024"
    page.goto(server.url(f"/verifica/{call_id}/"))
    wait_result(page)
    tab_to(page, "#f-exp-equipment")
    page.keyboard.type("100.000")
    tab_to(page, "#f-exp-consultancy", backwards=True)
    page.keyboard.type("1.5")
    page.keyboard.press("Tab")  # validation on blur, never while typing
    summary = page.locator("#checker-errors")
    summary.wait_for(state="visible")
    assert page.get_attribute("#checker-errors", "role") == "alert"
    inline = page.locator("#f-exp-consultancy-error")
    assert inline.is_visible() and "ambiguo" in inline.inner_text()
    assert page.get_attribute("#f-exp-consultancy", "aria-invalid") == "true"
    assert "f-exp-consultancy-error" in page.get_attribute("#f-exp-consultancy", "aria-describedby")
    assert page.get_attribute("#f-exp-consultancy", "inputmode") == "decimal"
    # The result stays live on the valid answers: the ambiguous amount is left out, never guessed.
    page.wait_for_function("() => document.getElementById('checker-result').dataset.grantAmount === '64200.00'",
                           timeout=LOAD_TIMEOUT_MS)
    assert stored_answers(page)["expenses"] == {"equipment": "100000"}
    # «Controlla le risposte» moves focus to the summary; its link focuses the field.
    tab_to(page, "#checker-form button[type=submit]")
    page.keyboard.press("Enter")
    assert active(page)["id"] == "checker-errors"
    page.keyboard.press("Tab")
    assert "Consulenza" in active(page)["text"]
    page.keyboard.press("Enter")
    assert active(page)["id"] == "f-exp-consultancy"
    assert "#" not in page.url  # the in-page link moved focus, it did not navigate
    # fixing it clears the error and the summary
    page.keyboard.press("Control+A")
    page.keyboard.type("1.500,00")
    page.keyboard.press("Tab")
    summary.wait_for(state="hidden")
    wait_stored(page, "a.expenses && a.expenses.consultancy === '1500.00' && a.expenses.equipment === '100000'")


@pytest.mark.parametrize(("text", "plain_value"), [
    ("12.500,00", "12500.00"), ("12500", "12500"), ("12 500,50", "12500.50"), ("€ 12.500", "12500"),
    ("1.234.567,8", "1234567.80"), ("0,5", "0.50"),
])
def test_italian_amounts_are_understood(page: Any, server: Any, text: str, plain_value: str) -> None:
    page.goto(server.url("/verifica/filiere-2022/"))
    page.fill("#f-exp-sme", text)
    page.press("#f-exp-sme", "Tab")
    assert wait_stored(page, "a.expenses !== undefined") == {"expenses": {"sme": plain_value}}
    assert page.locator("#checker-errors").is_hidden()


@pytest.mark.parametrize("text", ["1.5", "12,500", "12.50", "-100", "dodici", "12,505", "1e5"])
def test_ambiguous_or_invalid_amounts_are_errors(page: Any, server: Any, text: str) -> None:
    page.goto(server.url("/verifica/filiere-2022/"))
    page.fill("#f-exp-sme", text)
    page.press("#f-exp-sme", "Tab")
    page.locator("#checker-errors").wait_for(state="visible")
    assert "12.500,00" in page.locator("#f-exp-sme-error").inner_text() or "1,50" in page.locator(
        "#f-exp-sme-error").inner_text()
    assert "expenses" not in stored_answers(page)


def test_copy_link_round_trips(page: Any, server: Any) -> None:
    call_id = "filiere-2022"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page.goto(server.url(f"/verifica/{call_id}/"))
    fill_from_keyboard(page, {"submitted_at": "31/12/2022 16:00", "areas": ["credit"],
                              "questions": {"lead_partner": True}, "expenses": {"sme": "1.000,10"},
                              "members": [{"name": "Caffè «Ü»", "size": "small", "lombardy_site": True}],
                              "member_fields": get(call_id).member_fields})
    first = wait_result(page)
    tab_to(page, "#tool-copy")
    page.keyboard.press("Enter")
    page.locator("#tool-feedback").filter(has_text="Link copiato").wait_for()
    url = page.evaluate("() => navigator.clipboard.readText()")
    assert "#" not in page.url, "the answers stay out of the page's address"
    assert url.split("#")[0] == page.url
    answers = answers_in_url(url)
    assert answers == stored_answers(page)
    assert answers["members"] == [{"name": "Caffè «Ü»", "size": "small", "lombardy_site": True}]
    assert answers["submitted_at"] == "2022-12-31T16:00"
    other = page.context.new_page()
    other.goto(url)
    again = wait_result(other, first["verdict"])
    assert again.get("grantAmount") == first.get("grantAmount") == "500.05"
    assert other.input_value("#f-exp-sme") == "1.000,10"
    assert other.input_value("#f-submitted_at") == "31/12/2022 16:00"
    assert other.locator("#members-list input[data-field=name]").input_value() == "Caffè «Ü»"
    assert other.is_checked("#f-area-credit") and other.is_checked("#f-lead_partner-yes")
    other.close()


def test_members_add_and_remove_manage_focus(page: Any, server: Any) -> None:
    page.goto(server.url("/verifica/produzione-sostenibile-2024/"))
    for name in ("Uno", "Due", "Tre"):
        tab_to(page, "#member-add")
        page.keyboard.press("Enter")
        page.keyboard.type(name)
    labels = page.locator("#members-list [data-role=remove]").all_inner_texts()
    assert labels == ["Rimuovi il membro 1 (Uno)", "Rimuovi il membro 2 (Due)", "Rimuovi il membro 3 (Tre)"]
    tab_to(page, "#members-list li:nth-child(2) [data-role=remove]", backwards=True)
    page.keyboard.press("Enter")
    focused = active(page)
    assert focused["field"] == "name" and focused["value"] == "Tre"  # the row that took its place
    assert "rimosso" in page.inner_text("#members-announce")
    assert page.locator("#members-list legend").all_inner_texts() == ["Membro 1", "Membro 2"]
    wait_stored(page, "a.members && a.members.map(m => m.name).join() === 'Uno,Tre'")
    for _ in range(2):
        tab_to(page, "#members-list li:last-child [data-role=remove]")
        page.keyboard.press("Enter")
    assert active(page)["id"] == "member-add"
    # every control of a member row has its own label
    tab_to(page, "#member-add", backwards=True)
    page.keyboard.press("Enter")
    unlabelled = page.evaluate(
        "() => [...document.querySelectorAll('#members-list [data-field]')].filter(e => !e.labels.length).length")
    assert unlabelled == 0


@pytest.mark.parametrize("call_id", CALLS)
def test_without_webassembly_the_page_points_to_the_checklist(page: Any, server: Any, call_id: str) -> None:
    page.add_init_script("delete window.WebAssembly;")
    page.goto(server.url(f"/verifica/{call_id}/"))
    page.wait_for_selector('#checker-result[data-state="error"]', timeout=LOAD_TIMEOUT_MS)
    fallback = page.locator("#checker-fallback")
    assert fallback.is_visible()
    assert "WebAssembly" in fallback.inner_text()
    href = fallback.locator("a").first.get_attribute("href")
    assert href == f"../../bandi/{call_id}/come-presentare/"
    assert fallback.locator("a").first.is_visible()


@pytest.fixture
def failing_server(site_dir: Any, other_origins: list[str]) -> Iterator[Callable[..., SiteServer]]:
    """The site served with some files failing (`missing` 404, `held` never answered), by the server itself:
    the worker starts before any browser hook (page.route) can attach to it, so only the server is sure
    to fail its first requests."""
    servers: list[SiteServer] = []

    def make(**failing: str) -> SiteServer:
        servers.append(SiteServer(site_dir, **failing))
        other_origins.append(servers[-1].origin)
        return servers[-1]

    yield make
    for srv in servers:
        srv.close()


@pytest.mark.parametrize(("missing", "said"), [
    ("/assets/checker/worker.*.js", "non si è avviato"),  # the worker script
    ("/assets/pyodide/*/pyodide.mjs", "non si è caricato"),  # the runtime
    ("/assets/pyodide/*/*.whl", "bandi-checker"),  # our package
])
def test_when_loading_fails_the_page_says_so(page: Any, failing_server: Any, missing: str, said: str) -> None:
    page.goto(failing_server(missing=missing).url("/verifica/filiere-2022/"))
    page.wait_for_selector('#checker-result[data-state="error"]', timeout=LOAD_TIMEOUT_MS)
    assert page.locator("#checker-fallback").is_visible()
    assert said in page.inner_text("#checker-fallback")
    assert page.locator("#checker-verdict-unavailable").is_visible()


STDLIB = "/assets/pyodide/*/python_stdlib.zip.*"  # both of its packed files


def test_a_stalled_download_ends_with_a_message(page: Any, failing_server: Any) -> None:
    page.add_init_script("window.CHECKER_TIMEOUT_MS = 500;")
    page.goto(failing_server(held=STDLIB).url("/verifica/filiere-2022/"))  # the stdlib never arrives
    page.wait_for_selector('#checker-result[data-state="error"]', timeout=LOAD_TIMEOUT_MS)
    assert "si è fermato" in page.inner_text("#checker-fallback")
    assert page.locator("#checker-fallback a").first.get_attribute("href").endswith("/come-presentare/")


def _assert_axe_clean(page: Any, state: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{state}:\n{describe(violations)}"


@pytest.mark.parametrize("call_id", CALLS)
def test_axe_in_every_state(page: Any, server: Any, failing_server: Any, call_id: str) -> None:
    url = server.url(f"/verifica/{call_id}/")
    # loading: the runtime held back
    page.goto(failing_server(held=STDLIB).url(f"/verifica/{call_id}/"))
    assert page.get_attribute("#checker-result", "data-state") == "loading"
    _assert_axe_clean(page, "loading")
    # empty: loaded, no answers
    page.goto(url)
    wait_result(page)
    _assert_axe_clean(page, "empty")
    # result: a deep link with members, a grant and every passage open; then a field error
    answers = PLANS[call_id]["eligible"]
    example = get(call_id).examples[0].answers
    page.goto(deep_link(server, call_id, example))
    wait_result(page)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    _assert_axe_clean(page, "result")
    page.fill(f"#f-exp-{next(iter(answers['expenses']))}", "1.5")
    page.keyboard.press("Tab")
    page.locator("#checker-errors").wait_for(state="visible")
    _assert_axe_clean(page, "field error")
    # error: no WebAssembly
    other = page.context.new_page()
    other.add_init_script("delete window.WebAssembly;")
    other.goto(url)
    other.wait_for_selector('#checker-result[data-state="error"]', timeout=LOAD_TIMEOUT_MS)
    _assert_axe_clean(other, "error")
    other.close()


def test_checker_pages_use_no_inline_script_and_an_italian_form(page: Any, server: Any, site_dir: Any) -> None:
    for call_id in CALLS:
        html = (site_dir / "verifica" / call_id / "index.html").read_text(encoding="utf-8")
        assert 'type="number"' not in html
        page.goto(server.url(f"/verifica/{call_id}/"))
        inline = page.evaluate(
            "() => [...document.querySelectorAll('#checker script')].length")
        assert inline == 0
        # The worker starts before the page is built: the first element after <meta charset> is the
        # inline script that starts it (assets/checker/boot.js), which handed it to the page's module.
        boot = page.evaluate("""() => {
            const s = document.head.querySelector('meta[charset]').nextElementSibling;
            return {tag: s.tagName, src: s.src, worker: s.dataset.worker, handed: typeof checkerBoot.take};
        }""")
        worker = built_name(site_dir, "assets/checker/worker.js")
        assert boot == {"tag": "SCRIPT", "src": "", "worker": f"../../{worker}", "handed": "function"}
        for money in page.locator("input[data-kind=money]").all():
            assert money.get_attribute("inputmode") == "decimal" and money.get_attribute("type") == "text"
        rules = get(call_id)
        for question in rules.questions:
            assert page.locator(f"[data-question='{question.id}']").inner_text().count(question.label) == 1
        for area in rules.areas:
            assert page.locator(f"label[for='f-area-{area.id}']").inner_text() == area.label


def test_download_and_upload_the_answers(page: Any, server: Any) -> None:
    call_id = "produzione-sostenibile-2024"
    answers = get(call_id).examples[0].answers
    page.goto(deep_link(server, call_id, answers))
    first = wait_result(page)
    with page.expect_download(timeout=LOAD_TIMEOUT_MS) as info:
        page.click("#tool-download")
    download = info.value
    assert download.suggested_filename == f"risposte-{call_id}.json"
    saved = json.loads(open(download.path(), encoding="utf-8").read())  # noqa: SIM115 -- a temp file of Playwright
    assert evaluate(call_id, saved)["grant"] == evaluate(call_id, answers)["grant"]
    assert len(saved["members"]) == len(answers["members"])
    # an invalid file: the checker's message with the field path, in the error summary
    page.goto(server.url(f"/verifica/{call_id}/"))
    wait_result(page)
    bad = json.dumps({"members": [{"size": "micro", "signed_agreement": "sì"}]}).encode()
    page.set_input_files("#tool-upload", files=[{"name": "bad.json", "mimeType": "application/json", "buffer": bad}])
    page.locator("#checker-errors").wait_for(state="visible")
    text = page.inner_text("#checker-errors")
    assert "bad.json" in text and "members[0].signed_agreement" in text
    assert active(page)["id"] == "checker-errors"
    # the saved file restores the form and the result
    page.set_input_files("#tool-upload", files=[{"name": "ok.json", "mimeType": "application/json",
                                                 "buffer": json.dumps(saved).encode()}])
    page.locator("#tool-feedback").filter(has_text="ok.json").wait_for()
    data = wait_result(page)
    assert data.get("grantAmount") == first.get("grantAmount")
    assert page.locator("#members-list > li").count() == len(answers["members"])
    assert stored_answers(page) == saved
    assert page.locator("#checker-errors").is_hidden()


def test_printing_adds_a_summary_of_the_answers(page: Any, server: Any) -> None:
    call_id = "produzione-sostenibile-2024"
    answers = get(call_id).examples[0].answers
    page.goto(deep_link(server, call_id, answers))
    wait_result(page)
    print_page(page)  # the summary is written on every print: the button's, Ctrl+P, the menu's
    summary = page.locator("#checker-print")
    assert summary.is_visible() and page.locator("#checker-form").is_hidden()
    text = summary.inner_text()
    for member in answers["members"]:
        assert member["name"] in text
    assert "€\u00a0100.000,00" in text  # the equipment amount, in the result's format
    link = page.inner_text("#checker-print-link")
    assert link in text and "Riepilogo preparato " in text  # «il 2 dicembre», «l’1 dicembre»
    assert answers_in_url(link) == stored_answers(page), "the printed link reopens these answers"
