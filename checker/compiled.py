"""Data files of the package shipped compiled: validated when the browser's wheel is built, pickled next
to their TOML, as modules ship byte-compiled (build_scripts/bundle.py).

Unpickling the rules of a call takes ~2 ms in Pyodide, where parsing and validating the TOML took
70-110 ms of the first verdict. Only the package's own files are ever unpickled, and only when compiled
from the very TOML text next to them (its hash is the record's `version`): else the TOML is read.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from importlib import resources
from typing import Any, Protocol, TypeVar

from .loader import version_of

COMPILED = ".pickle"


class Versioned(Protocol):
    @property
    def version(self) -> str: ...


V = TypeVar("V", bound=Versioned)


def compiled(record: Any) -> bytes:
    """`record` as `read` gives it back from `<name>.pickle`."""
    return pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)


def read(folder: resources.abc.Traversable, stem: str, loads: Callable[[str, str], V], name: str) -> V:
    """The record of `<folder>/<stem>.toml` (`loads(text, name)`), from its compiled file when fresh."""
    text = folder.joinpath(stem + ".toml").read_text(encoding="utf-8")
    shipped = folder.joinpath(stem + COMPILED)
    if shipped.is_file():
        record: V = pickle.loads(shipped.read_bytes())  # the package's own file (see the module's docstring)
        if record.version == version_of(text):
            return record
    return loads(text, name)
