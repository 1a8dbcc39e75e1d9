"""Screening one profile against every call: checker/screen.py, `bridge.screen_json`, `python -m checker screen`.

A profile is an answers object in which the keys and area ids of every call are allowed; each
call reads its own. What each call reads is its projection (`project`), and its result is
exactly what `evaluate` gives for that projection. A key or an area id of no call is an error,
and so is a value that the call defining its key refuses.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from caselib import InvalidCase, ScreenCase, compare_screen, load_screen_cases, load_screen_invalid
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli import ELIGIBLE_PS, FIL, PS, assert_bad, run

import checker
from checker import catalogue, loader
from checker.answers import loads_json, parse_answers
from checker.bridge import evaluate_json, screen_json
from checker.engine import evaluate_parsed, result_json
from checker.errors import AnswersError, CheckerError
from checker.members import SIZES
from checker.model import Rules
from checker.screen import parse_profile, project, screen

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SYNTHETIC = loader.load(FIXTURES / "rules" / "sintetico-2030.toml")
SHIPPED = [catalogue.get(c) for c in catalogue.call_ids()]
CASES = load_screen_cases()
INVALID = load_screen_invalid()
NOW = datetime(2025, 1, 15, 11, 0)
PROFILE = {  # the eligible answers of produzione-sostenibile-2024, with the other call's keys too
    **ELIGIBLE_PS, "lead_partner": True, "shared_objectives": False, "areas": ["eco-design", "credit", "by-products"],
    "members": [m | {"size": s} for m, s in zip(ELIGIBLE_PS["members"], ("micro", "small", "medium", "small", "micro"),
                                                strict=True)],
    "expenses": {**ELIGIBLE_PS["expenses"], "sme": "1000", "large": 12.5},
}


def _now(case: ScreenCase) -> datetime | None:
    return datetime.fromisoformat(case.now) if case.now else None


def _by_projection(profile: Any, now: datetime | None, calls: list[Rules]) -> list[dict[str, Any]]:
    """What `evaluate` gives each call for its projection of `profile`."""
    return [evaluate_parsed(r, parse_answers(r, project(r, profile)), now) for r in calls]


# --- the data-driven screening cases (tests/cases/_screen/) --------------------------------------

def test_there_are_screening_cases_and_each_expects_every_call() -> None:
    assert len(CASES) >= 8 and len(INVALID) >= 8
    for case in CASES:
        assert list(case.expect) == list(checker.call_ids()), case.id
        assert case.now or "submitted_at" in case.answers, case.id
        for call_id, expect in case.expect.items():
            ids = {c.id for c in checker.get(call_id).checks}
            assert set(expect.get("checks", {})) <= ids, (case.id, call_id)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_screening_case(case: ScreenCase) -> None:
    profile = loads_json(case.answers_json)
    results = screen(profile, _now(case))["results"]
    assert compare_screen(case, results) == []
    assert [r["call"] for r in results] == list(checker.call_ids())
    # Each result is exactly the call's own result for its projection, through `checker.evaluate` too.
    assert results == _by_projection(profile, _now(case), SHIPPED)
    for rules, result in zip(SHIPPED, results, strict=True):
        expected = checker.evaluate(rules.id, project(rules, json.loads(case.answers_json)), _now(case))
        assert json.loads(result_json(result)) == expected
    # The browser's bridge writes the same JSON.
    assert screen_json(case.answers_json, case.now) == result_json({"results": results})


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.id)
def test_invalid_profile(case: InvalidCase) -> None:
    with pytest.raises(AnswersError) as err:
        screen(loads_json(case.answers_json), NOW)
    assert err.value.path == case.error
    reply = json.loads(screen_json(case.answers_json, NOW.isoformat()))
    assert reply == {"error": {"path": err.value.path, "message": err.value.message}}


# --- the projection ------------------------------------------------------------------------------

def test_each_call_reads_its_own_keys_member_keys_expenses_and_areas() -> None:
    fil, ps = checker.get(FIL), checker.get(PS)
    assert project(fil, PROFILE) == {
        "submitted_at": PROFILE["submitted_at"], "areas": ["credit"], "lead_partner": True,
        "shared_objectives": False, "expenses": {"sme": "1000", "large": 12.5},
        "members": [{"name": m["name"], "size": m["size"], "lombardy_site": True} for m in PROFILE["members"]],
    }
    assert project(ps, PROFILE) == {k: v for k, v in ELIGIBLE_PS.items() if k != "members"} | {
        "members": PROFILE["members"]}
    # Every member keeps its place (the paths of the errors are the profile's), even one that is not an object.
    assert project(fil, {"members": [{"signed_agreement": True}, "micro"]}) == {"members": [{}, "micro"]}


def test_a_profile_of_one_call_is_that_calls_answers() -> None:
    for rules in SHIPPED:
        answers = {"submitted_at": "2025-01-15T11:00:00"} | (ELIGIBLE_PS if rules.id == PS else {
            "lead_partner": True, "areas": ["credit"], "members": [{"size": "micro", "lombardy_site": True}]})
        assert project(rules, answers) == answers


def test_the_projection_follows_the_rules_of_every_call_a_synthetic_one_too() -> None:
    """Nothing of the projection is typed in screen.py: a third call's keys, member keys, expenses and areas
    are allowed as soon as its rules are screened."""
    calls = [*SHIPPED, SYNTHETIC]
    profile = {**PROFILE, "prototype": True, "months": 6, "areas": ["alpha", "credit"],
               "expenses": {"studies": "100", "sme": "1000"}}
    results = screen(profile, NOW, calls)["results"]
    assert [r["call"] for r in results] == [FIL, PS, "sintetico-2030"]
    assert results == _by_projection(profile, NOW, calls)
    assert project(SYNTHETIC, profile)["areas"] == ["alpha"]
    assert project(SYNTHETIC, profile)["expenses"] == {"studies": "100"}
    # Without the synthetic call, its keys and area ids belong to no call.
    with pytest.raises(AnswersError) as err:
        screen(profile, NOW)
    assert err.value.path == "areas[0]" and "«alpha» sconosciuto, di nessun bando" in err.value.message
    with pytest.raises(AnswersError) as err:
        screen(profile | {"areas": ["credit"], "expenses": {"sme": "1000"}}, NOW)
    assert err.value.path == "prototype"
    assert "di nessun bando" in err.value.message


# --- errors of a profile -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "path", "needle"), [
    ("[]", "", "oggetto JSON"),
    ("{", "", "JSON non valido"),
    ('{"colour": 1}', "colour", "chiave sconosciuta «colour», di nessun bando; chiavi ammesse: submitted_at, "),
    ('{"members": [{"size": "micro"}, {"colour": 1}]}', "members[1].colour", "chiavi ammesse: name, size, "),
    ('{"expenses": {"equipment": 1, "indirect": 1}}', "expenses.indirect", "chiavi ammesse: sme, large, consultancy"),
    ('{"areas": ["credit", 7]}', "areas[1]", "ambito «7» sconosciuto, di nessun bando; ambiti: sustainability,"),
    ('{"areas": ["credit", "eco-design", "credit"]}', "areas[2]", "ambito «credit» ripetuto"),
    ('{"areas": "credit"}', "areas", "elenco di ambiti"),
    ('{"lead_partner": true, "lead_partner": true}', "lead_partner", "ripetuta"),
    ('{"members": [{"size": "micro", "size": "micro"}]}', "members[0].size", "ripetuta"),
    ('{"expenses": {"sme": 1, "sme": 1}}', "expenses.sme", "ripetuta"),
    ('{"members": [{"financial_statements": -1}]}', "members[0].financial_statements", "da 0 a 999"),
    ('{"members": [{"lombardy_site": "sì"}]}', "members[0].lombardy_site", "true o false"),
    ('{"members": {"size": "micro"}}', "members", "elenco di membri"),
    ('{"members": [' + ",".join(["{}"] * 1001) + "]}", "members", "al massimo 1000 membri"),
    ('{"expenses": {"large": -1}}', "expenses.large", "negativo"),
    ('{"strategy": 1}', "strategy", "true o false"),
    ('{"duration_months": 1000}', "duration_months", "da 1 a 999"),
    ('{"submitted_at": "2022-02-30T10:00:00"}', "submitted_at", "non è una data e ora esistente"),
])
def test_profile_errors_name_the_path(text: str, path: str, needle: str) -> None:
    with pytest.raises(AnswersError) as err:
        screen(loads_json(text), NOW)
    assert err.value.path == path
    assert needle in err.value.message, err.value.message


def test_a_value_wrong_for_the_call_defining_it_gives_that_calls_message() -> None:
    """The same path and message as `evaluate` of the call that defines the key."""
    for call_id, text in [(PS, '{"duration_months": 0}'), (FIL, '{"lead_partner": "sì"}'),
                          (PS, '{"members": [{"signed_agreement": 1}]}'), (FIL, '{"expenses": {"sme": "1.005"}}')]:
        assert json.loads(screen_json(text)) == json.loads(evaluate_json(call_id, text))


def test_a_key_of_the_other_call_is_an_error_for_evaluate_and_allowed_in_a_profile() -> None:
    with pytest.raises(AnswersError, match="riguarda il bando filiere-2022"):
        checker.evaluate(PS, {"lead_partner": True})
    assert [r["verdict"] for r in screen({"lead_partner": True}, NOW)["results"]] == ["not_eligible", "incomplete"]


def test_a_bad_now_and_a_broken_rules_file_are_errors_of_the_bridge(monkeypatch: pytest.MonkeyPatch) -> None:
    assert json.loads(screen_json("{}", "ieri"))["error"]["path"] == "now"

    def broken(call_id: str) -> Rules:
        raise CheckerError("rules/filiere-2022.toml: file rotto")

    monkeypatch.setattr(catalogue, "get", broken)
    assert json.loads(screen_json("{}")) == {"error": {"path": "", "message": "rules/filiere-2022.toml: file rotto"}}


def test_every_call_is_evaluated_at_the_same_instant() -> None:
    results = screen({})["results"]
    assert len({r["window"]["evaluated_at"][:26] for r in results}) == 1


# --- properties ----------------------------------------------------------------------------------

ALL = [*SHIPPED, SYNTHETIC]
amounts = st.one_of(st.integers(0, 10**7), st.decimals(0, 10**6, places=2).map(lambda d: format(d, "f")))
members = st.lists(st.fixed_dictionaries({}, optional={
    "name": st.sampled_from(["Alfa", "Beta", "«Gamma» S.r.l."]), "size": st.sampled_from(SIZES),
    "lombardy_site": st.booleans(), "financial_statements": st.integers(0, 5), "signed_agreement": st.booleans()}),
    max_size=12)


def _question(rules: Rules, question_id: str) -> st.SearchStrategy[Any]:
    question = rules.question(question_id)
    return st.booleans() if question.type == "boolean" else st.integers(question.min or 0, 30)


profiles = st.fixed_dictionaries({}, optional={
    "submitted_at": st.sampled_from(["2022-12-01T09:00:00", "2025-01-15T11:00:00", "2025-04-03T16:00:00+02:00",
                                     "2030-06-01T12:00:00Z"]),
    "members": members,
    "areas": st.lists(st.sampled_from([a.id for r in ALL for a in r.areas]), unique=True, max_size=6),
    "expenses": st.dictionaries(st.sampled_from([e.id for r in ALL for e in r.entered_expenses]), amounts, max_size=8),
    **{q.id: _question(r, q.id) for r in ALL for q in r.questions},
})


def _without_synthetic(profile: dict[str, Any]) -> dict[str, Any]:
    """`profile` without the synthetic call's questions, areas and expenses: a profile of the shipped calls."""
    out = {k: v for k, v in profile.items() if k not in {q.id for q in SYNTHETIC.questions}}
    if "areas" in out:
        out["areas"] = [a for a in out["areas"] if a not in {x.id for x in SYNTHETIC.areas}]
    if "expenses" in out:
        out["expenses"] = {k: v for k, v in out["expenses"].items() if k not in {e.id for e in SYNTHETIC.expenses}}
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(profile=profiles)
def test_every_valid_profile_gives_each_call_its_result_for_its_projection(profile: dict[str, Any]) -> None:
    assert screen(profile, NOW, ALL)["results"] == _by_projection(profile, NOW, ALL)
    shipped = _without_synthetic(profile)
    expected = result_json({"results": _by_projection(shipped, NOW, SHIPPED)})
    assert screen_json(json.dumps(shipped), NOW.isoformat()) == expected


junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.sampled_from(["credit", "eco-design", "micro", "2025-01-15T11:00:00"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["members", "areas", "expenses", "size", "sme", "lead_partner", "duration_months", "x"]), inner, max_size=4),
    max_leaves=10)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(profile=junk)
def test_any_json_is_a_screening_or_one_named_error(profile: Any) -> None:
    try:
        results = screen(profile, NOW)["results"]
    except AnswersError as err:
        assert err.message and "\n" not in err.message
        return
    assert isinstance(profile, dict)
    assert results == _by_projection(profile, NOW, SHIPPED)


# --- the command line ----------------------------------------------------------------------------

def test_screen_prints_one_result_per_call_each_the_result_of_evaluate(tmp_path: Path) -> None:
    profile = tmp_path / "profilo.json"
    profile.write_text(json.dumps(PROFILE), encoding="utf-8")
    procs = [run("screen", str(profile)), run("screen", stdin=json.dumps(PROFILE)),
             run("screen", "-", stdin=b"\xef\xbb\xbf" + json.dumps(PROFILE).encode())]
    for proc in procs:
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    out = json.loads(procs[0].stdout)
    assert all(json.loads(p.stdout) == out for p in procs)
    assert list(out) == ["results"]
    calls = [line.split("\t")[0] for line in run("calls").stdout.splitlines()]
    assert [r["call"] for r in out["results"]] == calls
    for rules, result in zip(SHIPPED, out["results"], strict=True):
        answers = tmp_path / f"{rules.id}.json"
        answers.write_text(json.dumps(project(rules, PROFILE)), encoding="utf-8")
        evaluated = run("evaluate", rules.id, str(answers))
        assert evaluated.returncode == 0
        assert json.loads(evaluated.stdout) == result
    assert out["results"][1]["verdict"] == "eligible" and out["results"][1]["grant"]["amount"] == 115560.0


def test_screen_allows_what_evaluate_refuses_and_refuses_a_key_of_no_call() -> None:
    text = json.dumps({"submitted_at": "2025-01-15T11:00:00", "lead_partner": True})
    assert_bad(run("evaluate", PS, stdin=text), "lead_partner: «lead_partner» riguarda il bando filiere-2022")
    proc = run("screen", stdin=text)
    assert proc.returncode == 0 and proc.stderr == ""
    assert [c["status"] for c in json.loads(proc.stdout)["results"][0]["checks"] if c["id"] == "capofila"] == ["pass"]
    assert_bad(run("screen", stdin='{"members": [{}, {}, {"sise": "small"}]}'), "errore: members[2].sise: chiave "
               "sconosciuta «sise», di nessun bando")
    assert_bad(run("screen", stdin='{"areas": ["credit", "blue"]}'), "areas[1]: ambito «blue» sconosciuto")
    assert_bad(run("screen", stdin='{"duration_months": 0}'), "duration_months: deve essere un numero intero da 1")
    assert_bad(run("screen", stdin="{"), "JSON non valido")
    assert_bad(run("screen", stdin=b"\xff{}"), "standard input: il testo non è UTF-8")
    assert_bad(run("screen", "/nonexistent/profilo.json"), "/nonexistent/profilo.json")
    assert_bad(run("screen", "a", "b"))


def test_screen_in_process(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from checker.__main__ import main  # noqa: PLC0415 -- the command line in process, next to the subprocesses

    profile = tmp_path / "p.json"
    profile.write_text('{"submitted_at": "2022-12-01T09:00:00", "strategy": true, "technical_report": false}')
    assert main(["screen", str(profile)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["verdict"] for r in out["results"]] == ["incomplete", "not_eligible"]
    profile.write_text('{"strategy": true, "nothing": false}')
    assert main(["screen", str(profile)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("errore: nothing: chiave sconosciuta «nothing»")


def test_parse_profile_gives_each_call_its_answers() -> None:
    parsed = parse_profile(PROFILE)
    assert [r.id for r, _ in parsed] == [FIL, PS]
    assert parsed[0][1].questions == {"lead_partner": True, "shared_objectives": False}
    assert parsed[1][1].areas == ("eco-design", "by-products")
