"""The built site is valid HTML (Nu HTML checker) and has no broken internal link or anchor (LinkChecker)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitekit import ROOT, SiteServer

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LINKCHECKER_RC = """\
[checking]
threads=8
maxrequestspersecond=1000
[filtering]
checkextern=0
[AnchorCheck]
"""
# The checker's deep links carry the answers in the fragment: not an anchor of the page (see the spec).
DEEP_LINK = "answers="


def test_nu_html_checker_finds_no_error(site_dir: Path) -> None:
    java = shutil.which("java")
    assert java, "java mancante (serve per il Nu HTML checker)"
    assert VNU.is_file(), "node_modules/vnu-jar mancante: esegui `make setup`"
    proc = subprocess.run([java, "-jar", str(VNU), "--skip-non-html", "--errors-only", str(site_dir)],
                          capture_output=True, text=True, check=False, timeout=300)
    errors = (proc.stderr + proc.stdout).strip()
    assert proc.returncode == 0 and not errors, errors


@pytest.fixture
def unthrottled_origin(site_dir: Path) -> Iterator[str]:
    """The site served like the shared `server`, plus the header that lets LinkChecker use the
    configured request rate (otherwise it waits up to 0.6 s between two requests to the same host)."""
    srv = SiteServer(site_dir, extra=(("LinkChecker", "local test server"),))
    yield srv.origin
    srv.close()


def test_linkchecker_finds_no_broken_internal_link_or_anchor(unthrottled_origin: str, tmp_path: Path) -> None:
    # As root LinkChecker drops to `nobody`: its configuration must be readable by everyone.
    tmp_path.chmod(0o755)
    rc = tmp_path / "linkcheckerrc"
    rc.write_text(LINKCHECKER_RC)
    rc.chmod(0o644)
    linkchecker = Path(sys.executable).with_name("linkchecker")
    env = os.environ | {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.run([str(linkchecker), "-f", str(rc), "--no-status", "--verbose", "-o", "csv",
                           unthrottled_origin + "/"], capture_output=True, text=True, check=False, env=env,
                          timeout=300)
    rows = list(csv.DictReader((line for line in io.StringIO(proc.stdout) if not line.startswith("# ")),
                               delimiter=";"))
    assert len(rows) > 100, f"LinkChecker ha controllato troppo poco:\n{proc.stdout[-2000:]}\n{proc.stderr}"
    broken = [f"{r['url']} (da {r['parentname']}): {r['result']}" for r in rows if r["valid"] != "True"]
    anchors = [f"{r['url']} (da {r['parentname']}): {r['warningstring']}" for r in rows
               if "Anchor" in r["warningstring"] and f"#{DEEP_LINK}" not in r["url"]]
    assert not broken and not anchors, "\n".join(broken + anchors)
    deep_links = [r for r in rows if f"#{DEEP_LINK}" in r["url"]]
    assert deep_links, "nessun link alla verifica con le risposte (esempi della guida)"
