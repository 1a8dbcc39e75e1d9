"""Data files of the package shipped compiled: validated when the browser's wheel is built and pickled in
place of their TOML, as modules ship byte-compiled (build_scripts/bundle.py).

Unpickling the rules of a call takes ~2 ms in Pyodide, where parsing and validating the TOML took
70-110 ms of the first verdict. Only the package's own files are ever unpickled: the browser's wheel holds
the compiled record alone (`SOURCE` left out: the browser never parses TOML), and where both are there the
record counts only when compiled from the very TOML text next to it (its hash is the record's `version`):
else the TOML is read.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from importlib import resources
from typing import Any, Protocol, TypeVar

COMPILED = ".pickle"
SOURCE = ".toml"


class Versioned(Protocol):
    @property
    def version(self) -> str: ...


V = TypeVar("V", bound=Versioned)


def compiled(record: Any) -> bytes:
    """`record` as `read` gives it back from `<name>.pickle`."""
    return pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)


def stems(folder: resources.abc.Traversable) -> set[str]:
    """The records of `folder`: the stems of its TOML files, or of its compiled ones (the browser's wheel)."""
    return {p.name.removesuffix(suffix) for p in folder.iterdir() for suffix in (SOURCE, COMPILED)
            if p.name.endswith(suffix)}


def read(folder: resources.abc.Traversable, stem: str, loads: Callable[[str, str], V], name: str) -> V:
    """The record of `<folder>/<stem>.toml` (`loads(text, name)`), from its compiled file when fresh, or
    alone (the browser's wheel)."""
    shipped = folder.joinpath(stem + COMPILED)
    source = folder.joinpath(stem + SOURCE)
    if not source.is_file() and shipped.is_file():
        alone: V = pickle.loads(shipped.read_bytes())  # the package's own file (see the module's docstring)
        return alone
    from .loader import version_of  # noqa: PLC0415 -- beside a TOML only: the browser's wheel has none

    text = source.read_text(encoding="utf-8")
    if shipped.is_file():
        record: V = pickle.loads(shipped.read_bytes())  # the package's own file (see the module's docstring)
        if record.version == version_of(text):
            return record
    return loads(text, name)
