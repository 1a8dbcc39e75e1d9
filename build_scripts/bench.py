"""`make bench`: how fast the browser checker is, against the usual way of running Python in a page.

In headless Chromium (the system's, as the tests use it), against the built site
served locally the way a static host serves it (the site's own `_headers`, bodies
compressed with brotli at its best quality, made before any timing), for each
call and over --runs runs:

- ours: navigation -> first verdict on a deep link (`#answers=`), cold (fresh
  browser context, service worker blocked) and warm (same context, second visit:
  HTTP cache only), and warm through the service worker (after one visit has
  filled its cache); the time until the form can be filled;
- the baseline (build_scripts/bench/baseline.*): stock Pyodide 0.29.5 from the npm
  files unmodified, on the main thread, no byte-compilation, the checker's source
  files written into the Pyodide file system and imported;
- the floor: a module worker doing only `loadPyodide()` of the site's byte-compiled
  runtime (build_scripts/bench/bare.*);
- in-page evaluation per answer change (--changes of them): the site's worker
  driven through its message protocol, timed from postMessage to the result back
  (build_scripts/bench/eval.*), with the Python call alone timed in a twin worker, the
  messaging floor (the same round trips to a worker that only echoes) and the same round trips
  after WARMED_CHANGES changes (the figure of a page that V8 has warmed up; the target reads the
  first changes, as a visitor makes them); the baseline's direct call on the main thread;
- bytes transferred (response bodies as sent, compressed) for a guide page and a
  checker page, cold;
- a deep link with a few members and with the most the answers allow (MAX_MEMBERS),
  the runtime in the HTTP cache: the first verdict, and what each member more costs.

That is the desktop profile. The phone profile (`PHONE`) visits a deep link cold, ours and the
baseline in turn, the way a new visitor on a phone would: a 390×844 mobile viewport, the page's CPU
slowed 4× (DevTools' `Emulation.setCPUThrottlingRate`; Chromium refuses it on a worker target, see
`probe_worker_throttling`), the service worker allowed, and the network emulated in the bench's own
server rather than by DevTools (whose emulation, set on the page, does not reach its workers'
requests): one token bucket for every connection, so the page, its worker and its service worker
share 1.6 Mbit/s down, and 150 ms before each response. It reports the first verdict, the form's
first usable frame, the bytes sent until the first verdict (from the server's log, by the time each
chunk went out), the transfer floor (those bytes at the profile's bandwidth) and where the bytes go,
with Pyodide's own floor: its runtime files and the standard library its start-up imports alone
(`start_up_stdlib_bytes`), which any page running this Pyodide sends before a line of ours runs.

Both profiles are served as a static host serves them: brotli or gzip by `Accept-Encoding`, compressed
at their best quality before any timing; zips (already compressed) as they are.

Times are read in the page (`performance.now()` since navigation start), not
from the test driver. Prints a table with the ratios ours / baseline and the
targets, and writes every figure to bench-results.json (`ratios`: the figures the targets name).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from build_scripts import bundle, deep_links
from build_scripts.bundle import site_runtime
from build_scripts.fingerprint import built_name
from build_scripts.serving import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Bodies,
    Link,
    SiteServer,
    Traffic,
    headers_for,
    parse_headers_file,
    precompress,
)
from checker import catalogue, schema
from checker.limits import MAX_MEMBERS

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent / "bench"
NPM_PYODIDE = bundle.NPM_DIR
STOCK_FILES = (*bundle.RUNTIME_FILES, bundle.STDLIB, bundle.LOCKFILE)  # the npm runtime, as stock Pyodide loads it
TIMEOUT_MS = 180_000
# What Netlify and Cloudflare Pages send for a file no `_headers` rule gives a Cache-Control.
HOST_DEFAULT_CACHE = "public, max-age=0, must-revalidate"
WARMUP_CHANGES = 20
# The answer changes a page makes before the «after warm-up» evaluation figure: by then its round trips no
# longer get faster (V8 has tiered up the runtime's code that only an evaluation runs: decimals, the checks).
WARMED_CHANGES = 1000

ENCODING = "br"  # of serving.ENCODINGS, what Chromium accepts here, so what the figures are measured with


@dataclass(frozen=True)
class Profile:
    """A visitor's device and link. `down`: bytes per second shared by every connection (0: unlimited);
    `latency`: seconds before each response; `cpu`: DevTools' CPU slow-down of the page."""

    name: str
    down: int = 0
    latency: float = 0.0
    cpu: float = 1.0
    viewport: tuple[int, int] | None = None


DESKTOP = Profile("desktop")
# The phone: Chromium at 390×844, 1.6 Mbit/s down, 150 ms round trip, CPU slowed 4×, empty cache.
# (The 750 kbit/s up is not emulated: the requests are a few hundred bytes, a few ms at that rate.)
PHONE = Profile("phone", down=1_600_000 // 8, latency=0.150, cpu=4.0, viewport=(390, 844))
PHONE_CHUNK = 2048  # bytes a connection sends at a time through the shared bucket (10 ms of the phone's link)
# The bucket's depth: the tokens a link keeps while nothing is sent. A few chunks, so that a server thread
# woken a little late (a busy machine) catches up instead of slowing the link down, and no real burst.
BUCKET_DEPTH = 8 * PHONE_CHUNK


# ---------------------------------------------------------------------------------------------- server


def host(root: Path, compressed: Bodies, profile: Profile = DESKTOP) -> SiteServer:
    """`root` served as a static host serves it, on the profile's link."""
    link = Link(profile.down, profile.latency, PHONE_CHUNK, BUCKET_DEPTH) if profile.down else None
    return SiteServer(root, compressed=compressed, link=link, default_cache=HOST_DEFAULT_CACHE)


def runtime_path(site: Path) -> str:
    """The URL path of the site's runtime folder (`assets/pyodide/<key>/`)."""
    return f"/{site_runtime(site).relative_to(site).as_posix()}/"


def bench_root(site: Path, dest: Path) -> None:
    """The site (linked, not copied) plus /__bench/: the harness pages, stock Pyodide, the checker's sources."""
    for entry in site.iterdir():
        if entry.name != "_headers":
            (dest / entry.name).symlink_to(entry)
    (dest / "_headers").write_text(bench_headers(site))
    bench = dest / "__bench"
    shutil.copytree(BENCH, bench)
    # The harness names the site's files by their source names; the build gave them hashed ones.
    built = {"../assets/pyodide/": ".." + runtime_path(site),
             **{f"../{uri}": "../" + built_name(site, uri)
                for uri in ("assets/checker/worker.js", "assets/checker/python-package.js")}}
    for script in bench.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        for source, name in built.items():
            text = text.replace(f'"{source}"', f'"{name}"')
        script.write_text(text, encoding="utf-8")
    (bench / "stock").mkdir()
    for name in STOCK_FILES:
        shutil.copyfile(NPM_PYODIDE / name, bench / "stock" / name)
    src = bench / "src"
    names = []
    for path in sorted((ROOT / "checker").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            name = path.relative_to(ROOT).as_posix()
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, src / name)
            names.append(name)
    (src / "manifest.json").write_text(json.dumps(names))


def bench_headers(site: Path) -> str:
    """The site's `_headers`, plus the caching the site's own runtime gets for the baseline's runtime (the
    stock files and the checker's sources): a fair warm visit."""
    text = (site / "_headers").read_text()
    rules = parse_headers_file(text)
    runtime = runtime_path(site)
    twins = [(f"/__bench/stock/{name}", runtime + name) for name in STOCK_FILES]
    twins.append(("/__bench/src/*", runtime + "pyodide.asm.js"))
    lines = [text.rstrip("\n"), "", "# make bench: the baseline's runtime, cached as the site's own"]
    for pattern, twin in twins:
        lines.append(pattern)
        lines += [f"  {name}: {value}" for name, value in headers_for(rules, twin) if name.lower() == "cache-control"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- answers


def bench_answers(call_id: str) -> dict[str, Any]:
    """The call's eligible case (tests/cases/<call>/eligible.toml), with expenses so a grant is computed."""
    data = tomllib.loads((ROOT / "tests" / "cases" / call_id / "eligible.toml").read_text(), parse_float=Decimal)
    answers: dict[str, Any] = json.loads(deep_links.answers_json(data["base"]))
    if "expenses" not in answers:
        keys = list(schema.answers_schema(catalogue.get(call_id))["properties"]["expenses"]["properties"])
        answers["expenses"] = {key: "150000" for key in keys[:1]}
    return answers


def variants(answers: dict[str, Any], count: int) -> list[str]:
    """`count` answer changes: the first expense amount typed one cent at a time, as JSON strings."""
    key = next(iter(answers["expenses"]))
    base = Decimal(answers["expenses"][key])
    out = []
    for i in range(count):
        changed = json.loads(json.dumps(answers))
        changed["expenses"][key] = format(base + Decimal(i) / 100, "f")
        out.append(json.dumps(changed, ensure_ascii=False))
    return out


def fragment(answers: dict[str, Any]) -> str:
    return "#" + deep_links.fragment(answers)


# ---------------------------------------------------------------------------------------------- browser


@dataclass
class Visit:
    verdict: float
    form: float | None
    value: str


def visit(context: Any, url: str) -> Visit:
    page = context.new_page()
    try:
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.__bench && (window.__bench.verdict !== undefined"
                               " || window.__bench.error !== undefined)", timeout=TIMEOUT_MS)
        marks = page.evaluate("window.__bench")
        if "verdict" not in marks:
            text = page.locator("#checker-result").inner_text()
            raise RuntimeError(f"{url}: the page reported an error: {text[:300]}")
        return Visit(marks["verdict"], marks.get("form"), marks["value"])
    finally:
        page.close()


def prime_service_worker(context: Any, url: str) -> None:
    """One visit, then wait until the service worker is active (its precache is complete by then)."""
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function("() => window.__bench && window.__bench.verdict !== undefined", timeout=TIMEOUT_MS)
        page.evaluate("""async () => {
            const reg = await navigator.serviceWorker.ready;
            if (reg.active.state !== "activated") {
                await new Promise((ok) => reg.active.addEventListener("statechange", () =>
                    reg.active.state === "activated" && ok()));
            }
        }""")
    finally:
        page.close()


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


@dataclass
class LinkVisit:
    """A cold visit on an emulated link: the page's marks and what the server sent until the first verdict."""

    verdict: float
    form: float | None
    bytes: int  # response bodies sent until the first verdict
    last_byte: float  # ms from navigation start to the last of those bytes
    files: list[tuple[str, int, int]]  # (path, times requested, bytes sent) until the first verdict
    worker: dict[str, Any] | None  # the worker's phases (checker.js's `checkerTiming`), ms since it started


VERDICT_OR_ERROR = ("() => window.__bench && (window.__bench.verdict !== undefined"
                    " || window.__bench.error !== undefined)")


def throttle_workers(cdp: Any, rate: float) -> dict[str, Any]:
    """Ask Chromium to slow down every worker the page starts (auto-attach through `cdp`, un-flattened so
    this session can talk to them, each worker paused until it is throttled). Returns a record of the
    answers: `{"answers": [...]}`, filled as workers start."""
    record: dict[str, Any] = {"answers": []}

    def attached(event: dict[str, Any]) -> None:
        session = event["sessionId"]
        for n, (method, params) in enumerate((("Emulation.setCPUThrottlingRate", {"rate": rate}),
                                              ("Runtime.runIfWaitingForDebugger", {}))):
            cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": json.dumps(
                {"id": n + 1, "method": method, "params": params})})

    def received(event: dict[str, Any]) -> None:
        message = json.loads(event["message"])
        if message.get("id") == 1:
            record["answers"].append(message.get("error", {}).get("message") or "ok")

    cdp.on("Target.attachedToTarget", attached)
    cdp.on("Target.receivedMessageFromTarget", received)
    cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False})
    return record


class Bench:
    def __init__(self, browser: Any, origin: str, served: Traffic, timing_js: str,
                 profile: Profile = DESKTOP) -> None:
        self.browser = browser
        self.origin = origin
        self.served = served
        self.timing_js = timing_js
        self.profile = profile
        self.worker_throttling = False  # whether Chromium slows workers down too (`probe_worker_throttling`)

    def context(self, service_workers: str = "block") -> Any:
        options: dict[str, Any] = {"service_workers": service_workers}
        if self.profile.viewport:
            width, height = self.profile.viewport
            options |= {"viewport": {"width": width, "height": height}, "is_mobile": True, "has_touch": True}
        context = self.browser.new_context(**options)
        context.add_init_script(self.timing_js)
        return context

    def _slow_page(self, context: Any) -> tuple[Any, dict[str, Any] | None]:
        page = context.new_page()
        if self.profile.cpu == 1:
            return page, None
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": self.profile.cpu})
        return page, throttle_workers(cdp, self.profile.cpu) if self.worker_throttling else None

    def probe_worker_throttling(self) -> str:
        """Whether `Emulation.setCPUThrottlingRate` works on a worker target (Chromium's answer, "ok" or
        its error): the bare page starts a module worker. The figures say which it was."""
        context = self.context()
        try:
            page = context.new_page()
            record = throttle_workers(context.new_cdp_session(page), self.profile.cpu)
            page.goto(f"{self.origin}/__bench/bare.html", timeout=TIMEOUT_MS)
            page.wait_for_function(VERDICT_OR_ERROR, timeout=TIMEOUT_MS, polling=100)
            answer = str(record["answers"][0]) if record["answers"] else "no worker target attached"
        finally:
            context.close()
        self.worker_throttling = answer == "ok"
        return answer

    def link_visit(self, url: str) -> LinkVisit:
        """A cold visit (fresh context, service worker allowed) on this profile's link."""
        context = self.context(service_workers="allow")
        try:
            page, _ = self._slow_page(context)
            self.served.take()
            page.goto(url, timeout=TIMEOUT_MS)
            page.wait_for_function(VERDICT_OR_ERROR, timeout=TIMEOUT_MS, polling=100)
            seen = page.evaluate("({marks: window.__bench, origin: performance.timeOrigin,"
                                 " worker: window.checkerTiming || null})")
            marks = seen["marks"]
            if "verdict" not in marks:
                text = page.locator("#checker-result").inner_text()
                raise RuntimeError(f"{url}: the page reported an error: {text[:300]}")
            chunks, requested = self.served.sent_until((seen["origin"] + marks["verdict"]) / 1000)
        finally:
            context.close()
        files: dict[str, int] = {}
        for _, size, path in chunks:
            files[path] = files.get(path, 0) + size
        return LinkVisit(
            verdict=marks["verdict"], form=marks.get("form"), bytes=sum(files.values()),
            last_byte=max((t * 1000 - seen["origin"] for t, _, _ in chunks), default=0.0),
            files=[(path, requested.count(path), files.get(path, 0)) for path in dict.fromkeys(requested)],
            worker=seen["worker"])

    def cold_warm(self, url: str) -> tuple[Visit, Visit]:
        context = self.context()
        try:
            return visit(context, url), visit(context, url)
        finally:
            context.close()

    def warm_sw(self, url: str) -> Visit:
        context = self.context(service_workers="allow")
        try:
            prime_service_worker(context, url)
            return visit(context, url)
        finally:
            context.close()

    def eval_times(self, url: str, call_id: str, changes: list[str], hook: str = "runEval",
                   skip: int = WARMUP_CHANGES) -> list[float]:
        context = self.context()
        try:
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("() => window.__bench && window.__bench.verdict !== undefined", timeout=TIMEOUT_MS)
            times: list[float] = page.evaluate(f"(args) => window.{hook}(args)", {"call": call_id, "variants": changes})
            return times[skip:]
        finally:
            context.close()

    def transferred(self, url: str, settle: Callable[[Any], None]) -> dict[str, Any]:
        context = self.context()
        try:
            page = context.new_page()
            self.served.take()
            page.goto(url)
            settle(page)
            page.wait_for_load_state("networkidle")
            log = self.served.take()
        finally:
            context.close()
        return {"bytes": sum(size for _, _, size in log), "requests": len(log),
                "files": sorted({path for path, _, _ in log})}


# ---------------------------------------------------------------------------------------------- run


def measure(bench: Bench, calls: list[str], runs: int, changes: int, with_checker: bool) -> dict[str, Any]:
    """Every timing: runs interleaved (bare, then each call's baseline and ours), so noise hits all alike."""
    origin = bench.origin
    series: dict[str, dict[str, list[float]]] = {c: {} for c in calls}
    bare: dict[str, list[float]] = {"cold": [], "warm": []}
    frags = {call: fragment(bench_answers(call)) for call in calls}

    def add(call: str, name: str, value: float | None) -> None:
        if value is not None:
            series[call].setdefault(name, []).append(value)

    for n in range(runs):
        print(f"run {n + 1}/{runs}", file=sys.stderr, flush=True)
        cold, warm = bench.cold_warm(f"{origin}/__bench/bare.html")
        bare["cold"].append(cold.verdict)
        bare["warm"].append(warm.verdict)
        for call in calls:
            cold, warm = bench.cold_warm(f"{origin}/__bench/baseline.html?call={call}{frags[call]}")
            add(call, "baseline_cold", cold.verdict)
            add(call, "baseline_warm", warm.verdict)
            if with_checker:
                url = f"{origin}/verifica/{call}/{frags[call]}"
                cold, warm = bench.cold_warm(url)
                add(call, "ours_cold", cold.verdict)
                add(call, "ours_warm", warm.verdict)
                add(call, "form_cold", cold.form)
                add(call, "form_warm", warm.form)
                add(call, "ours_warm_sw", bench.warm_sw(url).verdict)
    out: dict[str, Any] = {"bare_cold": stats(bare["cold"]), "bare_warm": stats(bare["warm"]), "calls": {}}
    for call in calls:
        changed = variants(bench_answers(call), WARMED_CHANGES + changes)
        first = changed[:WARMUP_CHANGES + changes]  # the changes the figures of a fresh page read
        entry: dict[str, Any] = {name: stats(values) for name, values in series[call].items()}
        entry["baseline_eval"] = stats(bench.eval_times(
            f"{origin}/__bench/baseline.html?call={call}{frags[call]}", call, first))
        if with_checker:
            page = f"{origin}/__bench/eval.html"
            entry["ours_eval"] = stats(bench.eval_times(page, call, first))
            entry["ours_eval_python"] = stats(bench.eval_times(page, call, first, hook="runPython"))
            entry["ours_eval_messaging"] = stats(bench.eval_times(page, call, first, hook="runEcho"))
            entry["ours_eval_warmed"] = stats(bench.eval_times(page, call, changed, skip=WARMED_CHANGES))
        out["calls"][call] = entry
    return out


# The parts of our checker page's bytes (`bytes_by_part`): files of the runtime's folder by name, the
# wheel by its suffix, anything else the page's own.
RUNTIME_PART = "Pyodide's runtime files, as npm ships them"
STDLIB_PART = "the standard library, packed"
WHEEL_PART = "our wheel and its lockfile"
PAGE_PART = "the page's own files"
PARTS = {**dict.fromkeys(bundle.RUNTIME_FILES, RUNTIME_PART), bundle.BROTLI_STDLIB: STDLIB_PART,
         bundle.PACKED_STDLIB: STDLIB_PART, bundle.LOCKFILE: WHEEL_PART}


def bytes_by_part(files: list[tuple[str, int, int]], runtime: str) -> dict[str, int]:
    """`files` (path, requests, bytes sent) of a visit, summed by part; `runtime`: the runtime's folder."""
    out = dict.fromkeys((PAGE_PART, RUNTIME_PART, STDLIB_PART, WHEEL_PART), 0)
    for path, _, size in files:
        name = path.removeprefix(runtime) if path.startswith(runtime) else ""
        out[WHEEL_PART if name.endswith(".whl") else PARTS.get(name, PAGE_PART)] += size
    return out


def start_up_stdlib_bytes() -> int:
    """The standard library that Pyodide's start-up imports alone (`bundle.trace_stdlib`, start-up only, on
    the npm runtime), packed as the site packs its own: what any page running this Pyodide sends of it
    before a line of ours runs (the brotli file: what this bench's host, following `_headers`, sends)."""
    with tempfile.TemporaryDirectory(prefix="bench-stdlib-") as tmp:
        bundle.build_stdlib(Path(tmp), bundle.trace_stdlib(bundle.NPM_DIR, start_up_only=True))
        return (Path(tmp) / bundle.BROTLI_STDLIB).stat().st_size


def measure_link(bench: Bench, call: str, runs: int, runtime: str | None) -> dict[str, Any]:
    """The profile's cold visits to a deep link, ours and the baseline in turn (so noise hits both alike).
    `runtime`: the site's runtime folder (URL path), None without a checker page in the build."""
    frag = fragment(bench_answers(call))
    pages = {"baseline": f"{bench.origin}/__bench/baseline.html?call={call}{frag}"}
    if runtime:
        pages = {"ours": f"{bench.origin}/verifica/{call}/{frag}"} | pages
    worker = bench.probe_worker_throttling()
    visits: dict[str, list[LinkVisit]] = {name: [] for name in pages}
    for n in range(runs):
        print(f"{bench.profile.name} run {n + 1}/{runs}", file=sys.stderr, flush=True)
        for name, url in pages.items():
            visits[name].append(bench.link_visit(url))
    profile = bench.profile
    out: dict[str, Any] = {"call": call, "down_bytes_per_s": profile.down, "latency_ms": profile.latency * 1000,
                           "cpu_slowdown": profile.cpu, "viewport": profile.viewport,
                           "worker_cpu_throttling": worker}
    for name, seen in visits.items():
        entry: dict[str, Any] = {"first_verdict": stats([v.verdict for v in seen]),
                                 "bytes_until_verdict": stats([v.bytes for v in seen]),
                                 "last_byte": stats([v.last_byte for v in seen]),
                                 "tail_after_last_byte": stats([v.verdict - v.last_byte for v in seen]),
                                 "files_first_run": seen[0].files}
        forms = [v.form for v in seen if v.form is not None]
        if forms:
            entry["form_usable"] = stats(forms)
        workers = [v.worker for v in seen if v.worker]
        if workers:
            entry["worker_phases"] = {key: stats([w[key] for w in workers if key in w]) for key in workers[0]}
        entry["transfer_floor_ms"] = entry["bytes_until_verdict"]["median"] / profile.down * 1000
        out[name] = entry
    if runtime:
        parts = bytes_by_part(out["ours"]["files_first_run"], runtime)
        out["ours"]["bytes_by_part"] = parts
        # Pyodide's own floor: its runtime files as sent, and the standard library its start-up imports.
        out["start_up_stdlib_bytes"] = start_up_stdlib_bytes()
        out["pyodide_floor_bytes"] = parts[RUNTIME_PART] + out["start_up_stdlib_bytes"]
    return out


MEMBER_COUNTS = (10, MAX_MEMBERS)
MEMBER_RUNS = 3


def with_members(answers: dict[str, Any], count: int) -> dict[str, Any]:
    """`answers` with `count` members: copies of its first member, each with a name of its own."""
    first = answers["members"][0]
    return answers | {"members": [first | {"name": f"Impresa {i + 1}"} for i in range(count)]}


def measure_members(bench: Bench, call: str) -> dict[str, Any]:
    """A deep link's first verdict with a few members and with the most the answers allow (MAX_MEMBERS), the
    runtime in the HTTP cache: what the page's own work costs as the list grows, and that cost per member."""
    page = f"{bench.origin}/verifica/{call}/"
    answers = bench_answers(call)
    urls = {n: page + fragment(with_members(answers, n)) for n in MEMBER_COUNTS}
    times: dict[int, list[float]] = {n: [] for n in MEMBER_COUNTS}
    for _ in range(MEMBER_RUNS):
        context = bench.context()
        try:
            visit(context, page)  # fills the HTTP cache
            for n, url in urls.items():
                times[n].append(visit(context, url).verdict)
        finally:
            context.close()
    few, most = MEMBER_COUNTS
    per_member = (statistics.median(times[most]) - statistics.median(times[few])) / (most - few)
    return {"call": call, "first_verdict": {str(n): stats(values) for n, values in times.items()},
            "ms_per_member": per_member}


def measure_bytes(bench: Bench, site: Path, call: str, with_checker: bool) -> dict[str, Any]:
    origin = bench.origin
    frag = fragment(bench_answers(call))

    def loaded(page: Any) -> None:
        page.wait_for_load_state("load")

    def verdict(page: Any) -> None:
        page.wait_for_function("() => window.__bench && window.__bench.verdict !== undefined", timeout=TIMEOUT_MS)

    guide = f"/bandi/{call}/" if (site / "bandi" / call / "index.html").exists() else "/"
    out = {"guide": {"url": guide, **bench.transferred(origin + guide, loaded)}}
    if with_checker:
        url = f"/verifica/{call}/"
        out["checker"] = {"url": url, **bench.transferred(origin + url + frag, verdict)}
    out["baseline"] = {"url": "/__bench/baseline.html", **bench.transferred(
        f"{origin}/__bench/baseline.html?call={call}{frag}", verdict)}
    return out


def ratios(results: dict[str, Any]) -> dict[str, Any]:
    """The figures the targets name, from one run's results."""
    out: dict[str, Any] = {}
    phone = results.get("phone", {})
    if "ours" in phone:
        ours = phone["ours"]
        verdict = ours["first_verdict"]["median"]
        out["phone_first_verdict_vs_baseline"] = verdict / phone["baseline"]["first_verdict"]["median"]
        out["phone_first_verdict_vs_transfer_floor"] = verdict / ours["transfer_floor_ms"]
        out["checker_transfer_until_verdict_mb"] = ours["bytes_until_verdict"]["median"] / 1e6
        out["pyodide_floor_mb"] = phone["pyodide_floor_bytes"] / 1e6
    for call, e in results.get("calls", {}).items():
        if "ours_cold" in e:
            out.setdefault("desktop_cold_first_verdict_vs_baseline", {})[call] = (
                e["ours_cold"]["median"] / e["baseline_cold"]["median"])
        if "ours_eval" in e:
            out.setdefault("eval_per_change_ms_median", {})[call] = e["ours_eval"]["median"]
    return out


def run(site: Path, runs: int, changes: int, phone_runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 -- only `make bench` needs it

    calls = list(catalogue.call_ids())
    with_checker = all((site / "verifica" / c / "index.html").exists() for c in calls)
    results: dict[str, Any] = {"runs": runs, "changes": changes, "encoding": ENCODING}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, sync_playwright() as pw:
        root = Path(tmp)
        bench_root(site, root)
        compressed = precompress(root)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        timing = (BENCH / "timing.js").read_text()
        try:
            with host(root, compressed) as server:
                bench = Bench(browser, server.origin, server.traffic, timing)
                results |= measure(bench, calls, runs, changes, with_checker)
                results["bytes"] = measure_bytes(bench, site, calls[0], with_checker)
                if with_checker:
                    results["members"] = measure_members(bench, calls[0])
            if phone_runs:
                with host(root, compressed, PHONE) as server:
                    results["phone"] = measure_link(Bench(browser, server.origin, server.traffic, timing, PHONE),
                                                    calls[0], phone_runs, runtime_path(site) if with_checker else None)
        finally:
            browser.close()
    results["ratios"] = ratios(results)
    return results


# ---------------------------------------------------------------------------------------------- report


def _ms(entry: dict[str, float] | None, digits: int = 0) -> str:
    if not entry:
        return "n/a"
    return (f"{entry['median']:.{digits}f} ({entry['min']:.{digits}f}–{entry['max']:.{digits}f})")


def _ratio(a: dict[str, float] | None, b: dict[str, float] | None) -> float | None:
    return a["median"] / b["median"] if a and b else None


def report(results: dict[str, Any]) -> str:
    lines = [f"Benchmark: {results['runs']} runs a figure, median (min–max), ms from navigation start; "
             f"bodies compressed with {results['encoding']}"]
    bare = results["bare_cold"]
    lines.append(f"  bare loadPyodide() of our byte-compiled runtime, in a module worker: "
                 f"cold {_ms(bare)}, warm {_ms(results['bare_warm'])}")
    targets: list[tuple[str, bool | None, str]] = []
    for call, e in results["calls"].items():
        lines += ["", f"{call}", f"  {'':42}{'ours':>26}{'baseline':>26}{'ours/baseline':>15}"]
        rows = [("first verdict, cold", "ours_cold", "baseline_cold"),
                ("first verdict, warm (HTTP cache)", "ours_warm", "baseline_warm"),
                ("first verdict, warm (service worker)", "ours_warm_sw", None),
                ("form fillable, cold", "form_cold", None),
                ("form fillable, warm", "form_warm", None)]
        for label, ours, base in rows:
            ratio = _ratio(e.get(ours), e.get(base)) if base else None
            lines.append(f"  {label:42}{_ms(e.get(ours)):>26}{_ms(e.get(base)) if base else '':>26}"
                         f"{f'{ratio:.2f}×' if ratio else '':>15}")
        ratio = _ratio(e.get("ours_eval"), e.get("baseline_eval"))
        lines.append(f"  {'evaluation per answer change (ms)':42}{_ms(e.get('ours_eval'), 3):>26}"
                     f"{_ms(e.get('baseline_eval'), 3):>26}{f'{ratio:.2f}×' if ratio else '':>15}")
        for label, key in (("  of which the Python call, in the worker", "ours_eval_python"),
                           ("  messaging floor (a worker that echoes)", "ours_eval_messaging"),
                           (f"  after {WARMED_CHANGES:,} changes (V8 warmed up)", "ours_eval_warmed")):
            lines.append(f"  {label:42}{_ms(e.get(key), 3):>26}")
        n = e.get("ours_eval", e.get("baseline_eval", {})).get("n", 0)
        lines.append(f"    (ours: worker round trip, postMessage -> result, {n} changes; "
                     "baseline: direct call on the main thread)")
        cold = _ratio(e.get("ours_cold"), e.get("baseline_cold"))
        overhead = _ratio(e.get("ours_cold"), bare)
        lines.append(f"  ours cold / bare loadPyodide cold: {f'{overhead:.2f}×' if overhead else 'n/a'}")
        targets += [
            (f"desktop, {call}: cold first verdict ≤ 0.5× baseline", cold <= 0.5 if cold else None,
             f"{cold:.2f}×" if cold else "n/a"),
            (f"{call}: overhead over bare loadPyodide ≤ 1.25×", overhead <= 1.25 if overhead else None,
             f"{overhead:.2f}×" if overhead else "n/a"),
            (f"{call}: in-page evaluation < 1 ms (median)",
             e["ours_eval"]["median"] < 1 if "ours_eval" in e else None,
             f"{e['ours_eval']['median']:.3f} ms" if "ours_eval" in e else "n/a"),
        ]
    lines += ["", "Bytes transferred, cold (response bodies as sent):"]
    for name, b in results["bytes"].items():
        lines.append(f"  {name:10} {b['url']:38} {b['bytes'] / 1024:9.1f} KB in {b['requests']} requests")
    if "members" in results:
        m = results["members"]
        counts = ", ".join(f"{int(n):,} members {_ms(e)} ms" for n, e in m["first_verdict"].items())
        lines += ["", f"Deep link with many members ({m['call']}, runtime in the HTTP cache), first verdict: {counts};",
                  f"  {m['ms_per_member']:.2f} ms a member more"]
    guide = results["bytes"]["guide"]["bytes"]
    targets.append(("guide page < 200 KB transferred", guide < 200 * 1024, f"{guide / 1024:.1f} KB"))
    if "phone" in results:
        lines += ["", *report_link(results["phone"])]
        r = results["ratios"]
        if "phone_first_verdict_vs_baseline" in r:
            base, floor = r["phone_first_verdict_vs_baseline"], r["phone_first_verdict_vs_transfer_floor"]
            mb, own = r["checker_transfer_until_verdict_mb"], r["pyodide_floor_mb"]
            targets += [("phone: first verdict ≤ 0.5× baseline", base <= 0.5, f"{base:.2f}×"),
                         ("phone: first verdict ≤ 1.3× our transfer floor", floor <= 1.3, f"{floor:.2f}×"),
                         ("checker page transfer until the first verdict ≤ 3.0 MB", mb <= 3.0,
                          f"{mb:.2f} MB, of which Pyodide's own floor {own:.2f} MB")]
    lines += ["", "Targets:"]
    for label, met, figure in targets:
        state = "n/a (no checker page in this build)" if met is None else ("met" if met else "NOT met")
        lines.append(f"  [{state}] {label}: {figure}")
    return "\n".join(lines)


def report_link(phone: dict[str, Any]) -> list[str]:
    """The profile's table: first verdict, form, bytes until the first verdict and the transfer floor."""
    down = phone["down_bytes_per_s"]
    width, height = phone["viewport"]
    lines = [f"Phone ({phone['call']}): {width}×{height}, {down * 8 / 1e6:g} Mbit/s down shared by every request, "
             f"{phone['latency_ms']:.0f} ms before each response, CPU slowed {phone['cpu_slowdown']:g}×; "
             f"cold, service worker allowed; {phone['baseline']['first_verdict']['n']} runs",
             f"  (CPU slow-down of the worker: {phone['worker_cpu_throttling']}"
             + (")" if phone["worker_cpu_throttling"] == "ok" else
                ": our worker runs at full speed, the baseline runs all on the slowed main thread)"),
             f"  {'':42}{'ours':>26}{'baseline':>26}{'ours/baseline':>15}"]
    ours, base = phone.get("ours", {}), phone["baseline"]

    def row(label: str, key: str, scale: float = 1, digits: int = 0) -> None:
        a, b = ours.get(key), base.get(key)
        fa = {k: v / scale for k, v in a.items()} if a else None
        fb = {k: v / scale for k, v in b.items()} if b else None
        ratio = _ratio(a, b)
        lines.append(f"  {label:42}{_ms(fa, digits):>26}{_ms(fb, digits) if fb else '':>26}"
                     f"{f'{ratio:.2f}×' if ratio else '':>15}")

    row("first verdict, cold (ms)", "first_verdict")
    row("form usable (ms)", "form_usable")
    row("bytes until the first verdict (MB)", "bytes_until_verdict", 1e6, 2)
    row("last of those bytes (ms)", "last_byte")
    row("first verdict after the last byte (ms)", "tail_after_last_byte")
    floors = ", ".join(f"{name} {e['transfer_floor_ms']:.0f} ms" for name, e in (("ours", ours), ("baseline", base))
                       if e)
    lines.append(f"  transfer floor (those bytes at {down * 8 / 1e6:g} Mbit/s): {floors}")
    if ours:
        lines.append(f"  ours / transfer floor: {ours['first_verdict']['median'] / ours['transfer_floor_ms']:.2f}×")
        parts = ours["bytes_by_part"]
        shares = ", ".join(f"{name} {size / 1024:.0f}" for name, size in parts.items())
        lines.append(f"  where our bytes go (KB): {shares}")
        lines.append(f"  Pyodide's own floor, sent before a line of ours runs: its runtime files "
                     f"{parts[RUNTIME_PART] / 1024:.0f} KB and the standard library its start-up imports "
                     f"{phone['start_up_stdlib_bytes'] / 1024:.0f} KB (packed as ours): "
                     f"{phone['pyodide_floor_bytes'] / 1e6:.2f} MB")
        lines.append("  files of our first run until its verdict (requests, KB):")
        lines += [f"    {path:62} {count} {size / 1024:9.1f}" for path, count, size in ours["files_first_run"]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--build", action="store_true", help="build the site into a temporary folder first")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--phone-runs", type=int, default=5, help="cold visits of the phone profile (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        site = args.site
        if args.build:
            site = Path(tmp) / "site"
            env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
            subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-d", str(site)],
                           cwd=ROOT, env=env, check=True)
        if not (site / "index.html").exists():
            parser.error(f"{site} is not a built site: run `make build` (or pass --build)")
        results = run(site, args.runs, args.changes, args.phone_runs)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    print(f"\nFigures: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
