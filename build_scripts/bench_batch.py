"""`make bench-batch`: how fast `python -m checker batch` goes, and that its memory does not grow with the lines.

For each call (or the one of --call), generates realistic answers objects (every answer given:
5 to 12 members with every member key the call asks, one to three areas, the expenses, the
questions, a submission time around the call's window), one JSON line each, into a temporary
file; then runs `python -m checker batch CALL_ID FILE` on the first 1,000 and on all 10,000
lines (--sizes), and on an empty file (the start-up alone). Each run is its own subprocess,
started by a fresh wrapper process that reads the child's peak resident memory
(`getrusage(RUSAGE_CHILDREN).ru_maxrss`: only that one child's) and times it. Prints lines per
second (whole run, start-up included, and the marginal rate between the two sizes) and the peak
memory at each size; exits with status 1 when the peak at the largest size exceeds the peak at the
smallest by more than --max-growth (default 10%): the command holds one line at a time. Last, runs
of the same sizes made of copies of the longest line tell the lines' variety (a larger line, a more
fragmented heap: a little more peak memory) from their number (none).

Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from checker import catalogue
from checker.model import Rules

ROOT = Path(__file__).resolve().parent.parent
# A fresh process for each run: it runs the command given after the output file's name (the batch, which reads
# the file named on its own command line), times it, and prints its exit status, seconds and peak RSS (ru_maxrss
# of RUSAGE_CHILDREN, the largest of the waited children: here the only one; KiB on Linux).
WRAPPER = """
import resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    start = time.perf_counter()
    code = subprocess.run(sys.argv[2:], stdout=out, stdin=subprocess.DEVNULL, check=False).returncode
    elapsed = time.perf_counter() - start
print(code, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
SIZES = (1_000, 10_000)
SIZE_WEIGHTS = {"micro": 4, "small": 4, "medium": 3, "large": 1, "other": 1}


def _member(rules: Rules, rng: random.Random, n: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": f"Impresa {n + 1} S.r.l.",
        "size": rng.choices(list(SIZE_WEIGHTS), weights=list(SIZE_WEIGHTS.values()))[0],
        "lombardy_site": rng.random() < 0.9,
        "financial_statements": rng.choice((0, 1, 2, 2, 3, 5, 8)),
        "signed_agreement": rng.random() < 0.95,
    }
    return {key: values[key] for key in rules.member_fields}


def _amount(rng: random.Random, low: int, high: int) -> str | int:
    cents = rng.randrange(low * 100, high * 100)
    return f"{cents // 100}.{cents % 100:02d}" if rng.random() < 0.5 else cents // 100


def answers(rules: Rules, rng: random.Random) -> dict[str, Any]:
    """One realistic answers object of `rules`, every answer given (keys, ids and bounds from the rules)."""
    closes = rules.window.closes_at()
    opens = rules.window.opens_at() or closes - timedelta(days=180)
    span = int((closes - opens).total_seconds())
    moment = opens + timedelta(seconds=rng.randrange(-span // 10, span + span // 10))
    out: dict[str, Any] = {"submitted_at": moment.replace(tzinfo=None).isoformat(timespec="seconds")}
    out["members"] = [_member(rules, rng, n) for n in range(rng.randint(5, 12))]
    out["areas"] = rng.sample([a.id for a in rules.areas], rng.randint(1, min(3, len(rules.areas))))
    expenses = [e.id for e in rules.entered_expenses]
    chosen = rng.sample(expenses, rng.randint(1, len(expenses)))
    out["expenses"] = {e: _amount(rng, 1_000, 150_000) for e in expenses if e in chosen}
    for question in rules.questions:
        if question.type == "boolean":
            out[question.id] = rng.random() < 0.9
        else:
            out[question.id] = rng.randint(question.min or 0, 24)
    return out


def write_lines(rules: Rules, path: Path, count: int, seed: int) -> None:
    rng = random.Random(f"{seed}:{rules.id}")
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(count):
            handle.write(json.dumps(answers(rules, rng), ensure_ascii=False) + "\n")


def measure(python: str, call_id: str, lines: Path, form: str, expected: int) -> dict[str, float]:
    """One `batch` run in a fresh wrapper: seconds, peak RSS of the child (KiB on Linux), output lines checked."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-out-") as tmp:
        out = Path(tmp) / "out"
        command = [python, "-m", "checker", "batch", call_id, str(lines), "--format", form]
        proc = subprocess.run([python, "-c", WRAPPER, str(out), *command], cwd=ROOT, capture_output=True,
                              text=True, check=True)
        code, elapsed, rss = proc.stdout.split()
        with out.open("rb") as handle:
            produced = sum(1 for _ in handle) - (form == "csv")
    if int(code) != 0 or produced != expected:
        raise SystemExit(f"batch {call_id} on {expected} lines: exit status {code}, {produced} lines out")
    return {"seconds": float(elapsed), "peak_rss_kib": int(rss)}


def _head(source: Path, dest: Path, count: int) -> Path:
    with source.open("rb") as src, dest.open("wb") as out:
        for _, line in zip(range(count), src, strict=False):
            out.write(line)
    return dest


def _copies(source: Path, dest: Path, count: int) -> Path:
    with source.open("rb") as src:
        longest = max(src, key=len)
    with dest.open("wb") as out:
        for _ in range(count):
            out.write(longest)
    return dest


def _control(python: str, call_id: str, every: Path, *, tmp: Path, form: str, sizes: tuple[int, ...]) -> None:
    """The peak memory on copies of the longest line, at each size."""
    peaks = [measure(python, call_id, _copies(every, tmp / f"same-{n}.jsonl", n), form, n)["peak_rss_kib"] / 1024
             for n in sizes]
    print(f"  the longest line again and again, {' / '.join(f'{n:,}' for n in sizes)} times: peak RSS "
          f"{' / '.join(f'{p:.1f}' for p in peaks)} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--call", choices=catalogue.call_ids(), help="one call only (default: every call)")
    parser.add_argument("--sizes", type=lambda s: tuple(sorted(int(n) for n in s.split(","))), default=SIZES,
                        help="line counts, comma-separated (default: 1000,10000)")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs the checker")
    parser.add_argument("--max-growth", type=float, default=0.10,
                        help="largest accepted growth of the peak memory from the smallest to the largest size")
    args = parser.parse_args(argv)
    grew = False
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        for call_id in [args.call] if args.call else catalogue.call_ids():
            rules = catalogue.get(call_id)
            every = Path(tmp) / f"{call_id}.jsonl"
            write_lines(rules, every, args.sizes[-1], args.seed)
            size = every.stat().st_size
            print(f"{call_id}: {args.sizes[-1]:,} lines, {size / args.sizes[-1]:,.0f} bytes a line on average, "
                  f"--format {args.format}")
            empty = Path(tmp) / "empty.jsonl"
            empty.write_bytes(b"")
            base = measure(args.python, call_id, empty, args.format, 0)
            print(f"  {'0 (start-up)':>14}  {base['seconds']:7.3f} s  {'':>16}"
                  f"  peak RSS {base['peak_rss_kib'] / 1024:6.1f} MiB")
            runs = {}
            for count in args.sizes:
                lines = every if count == args.sizes[-1] else _head(every, Path(tmp) / f"{count}.jsonl", count)
                runs[count] = run = measure(args.python, call_id, lines, args.format, count)
                print(f"  {count:>14,}  {run['seconds']:7.3f} s  {count / run['seconds']:9,.0f} lines/s"
                      f"  peak RSS {run['peak_rss_kib'] / 1024:6.1f} MiB")
            low, high = runs[args.sizes[0]], runs[args.sizes[-1]]
            if len(args.sizes) > 1:
                marginal = (args.sizes[-1] - args.sizes[0]) / (high["seconds"] - low["seconds"])
                growth = high["peak_rss_kib"] / low["peak_rss_kib"] - 1
                print(f"  marginal rate {marginal:,.0f} lines/s; peak RSS from {args.sizes[0]:,} to "
                      f"{args.sizes[-1]:,} lines: {growth:+.1%} "
                      f"({(high['peak_rss_kib'] - low['peak_rss_kib']) / 1024:+.1f} MiB)")
                grew |= growth > args.max_growth
                _control(args.python, call_id, every, tmp=Path(tmp), form=args.format, sizes=args.sizes)
    if grew:
        print(f"the peak memory grew by more than {args.max_growth:.0%} with the lines", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
