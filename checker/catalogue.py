"""The calls shipped with the package: their ids and their rules (`calls/<id>.toml`)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from . import compiled
from .errors import CheckerError, UnknownCallError
from .model import Rules


def _bundled() -> resources.abc.Traversable:
    return resources.files(__package__).joinpath("calls")


def _parse(text: str, name: str) -> Rules:
    from .loader import loads  # noqa: PLC0415 -- only for a TOML: the browser's wheel has the compiled rules alone

    return loads(text, name)


@cache
def call_ids() -> tuple[str, ...]:
    """The ids of the calls shipped with the package, sorted."""
    return tuple(sorted(compiled.stems(_bundled())))


@cache
def get(call_id: str) -> Rules:
    """The rules of a shipped call."""
    if call_id not in call_ids():
        raise UnknownCallError(call_id, list(call_ids()))
    return compiled.read(_bundled(), call_id, _parse, f"calls/{call_id}.toml")


def call_asking(key: str, call_id: str) -> str | None:
    """The first shipped call but `call_id` whose answers have the key `key` (see `answers.Elsewhere`)."""
    for other in call_ids():
        if other == call_id:
            continue
        try:
            if key in get(other).answer_keys:
                return other
        except CheckerError:  # a broken rules file of another call: this call still works
            continue
    return None
