"""Single source: change figures in a rules file (as an amended call would), rebuild, and every page and
the checker show the new figures, while the old ones appear nowhere in the built site.

One rebuild of a copy of the project (the real `mkdocs build --strict`, Pyodide bundle included).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sitekit import ROOT, build_site

CALL = "produzione-sostenibile-2024"
COPIED = ("checker", "build_scripts", "docs", "overrides", "mkdocs.yml", "pyproject.toml", "README.md",
          "package.json", "package-lock.json")
# (what the rules file says, what it says after the amendment): the figure and the call's own words.
EDITS = (
    ("cap = 300_000.00", "cap = 320_000.00"),
    ("pari a € 300.000,00 per aggregazione", "pari a € 320.000,00 per aggregazione"),
    ("rate = 0.60", "rate = 0.55"),
    ("fino ad un massimo del 60% delle spese", "fino ad un massimo del 55% delle spese"),
    ("closes = 2025-04-03T16:00:00", "closes = 2025-04-03T17:30:00"),
    ("alle ore 16:00 del 3 aprile 2025", "alle ore 17:30 del 3 aprile 2025"),
)
OLD = (r"300\.000", r"(?<![\d,])60%", r"3 aprile 2025, ore 16:00", r"16:00 del 3 aprile 2025")
NEW = ("€ 320.000", "55%", "3 aprile 2025, ore 17:30")
MEMBER = {"size": "small", "lombardy_site": True, "financial_statements": 2, "signed_agreement": True}


def _copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


def _amend(rules_file: Path) -> None:
    text = rules_file.read_text(encoding="utf-8")
    for old, new in EDITS:
        count = text.count(old)
        assert count >= 1, f"{old!r} non trovato in {rules_file.name}: il test va aggiornato insieme alle regole"
        text = text.replace(old, new)
    rules_file.write_text(text, encoding="utf-8")


def _evaluate(project: Path, answers: dict[str, Any]) -> dict[str, Any]:
    env = os.environ | {"PYTHONPATH": str(project)}
    proc = subprocess.run([sys.executable, "-m", "checker", "evaluate", CALL, "-"], input=json.dumps(answers),
                          cwd=project, env=env, capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _text_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in site.rglob("*") if p.suffix in (".html", ".json") and p.is_file()}


@pytest.fixture(scope="module")
def amended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = _copy_project(tmp_path_factory.mktemp("project"))
    _amend(project / "checker" / "calls" / f"{CALL}.toml")
    site = build_site(project, tmp_path_factory.mktemp("site") / "site")
    return project, site


def test_the_guide_shows_the_new_figures(amended: tuple[Path, Path]) -> None:
    _, site = amended
    guide = site / "bandi" / CALL
    overview = (guide / "index.html").read_text(encoding="utf-8")
    for value in NEW:
        assert value in overview, f"{value!r} manca nella panoramica"
    assert "€ 320.000" in (guide / "contributo" / "index.html").read_text(encoding="utf-8")
    assert "55%" in (guide / "contributo" / "index.html").read_text(encoding="utf-8")
    assert "3 aprile 2025, ore 17:30" in (guide / "scadenze" / "index.html").read_text(encoding="utf-8")
    assert "2025-04-03T17:30:00+02:00" in overview  # the instant the browser recomputes the status from
    comparison = (site / "confronto" / "index.html").read_text(encoding="utf-8")
    assert "€ 320.000" in comparison and "3 aprile 2025, ore 17:30" in comparison


def test_the_old_figures_appear_nowhere(amended: tuple[Path, Path]) -> None:
    _, site = amended
    files = _text_files(site)
    assert len(files) > 20
    found = [f"{name}: {pattern}" for name, text in files.items() for pattern in OLD if re.search(pattern, text)]
    assert not found, "\n".join(found)


def test_the_checker_uses_the_new_figures(amended: tuple[Path, Path]) -> None:
    project, _ = amended
    five = [MEMBER] * 5
    capped = _evaluate(project, {"members": five, "expenses": {"equipment": "1000000"},
                                 "submitted_at": "2025-04-03T17:15:00"})
    assert capped["grant"]["cap"] == 320000 and capped["grant"]["amount"] == 320000
    assert capped["window"]["closes_at"] == "2025-04-03T17:30:00+02:00"
    window = next(c for c in capped["checks"] if c["id"] == "finestra")
    assert window["status"] == "pass", window  # in time under the amended closing, late under the old one
    assert "3 aprile 2025, ore 17:30" in window["message"]

    plain = _evaluate(project, {"expenses": {"equipment": "100000"}})
    assert plain["grant"]["eligible_costs"] == 107000
    assert plain["grant"]["amount"] == 58850  # 55% of the eligible costs, the old 60% would give 64200
