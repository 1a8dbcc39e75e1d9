"""Import paths of the checker tests: the package from the repository root, the case library from tests/.

`.venv/bin/pytest tests/checker` must work without the package installed, and
`tests/checker/` (a folder without `__init__.py`) must never shadow the real
`checker` package: the root goes first, tests/ last.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(TESTS) not in sys.path:
    sys.path.append(str(TESTS))
