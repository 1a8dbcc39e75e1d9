"""Instants and local times of the calls, with the one time zone file the package ships.

Pyodide has no time-zone database; shipping the single zone the rules use (about
2 KB, read with ``ZoneInfo.from_file``) makes CPython and Pyodide compute the same
offsets, daylight saving time included.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

MONTHS = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)


def available(name: str) -> bool:
    """Whether the package ships the zone `name` (e.g. ``Europe/Rome``)."""
    return _zone_file(name).is_file()


def _zone_file(name: str) -> resources.abc.Traversable:
    node = resources.files(__package__).joinpath("zones")
    for part in name.split("/"):
        node = node.joinpath(part)
    return node


@cache
def zone(name: str) -> tzinfo:
    with _zone_file(name).open("rb") as handle:
        return ZoneInfo.from_file(handle, key=name)


def localize(moment: datetime, name: str) -> datetime:
    """An aware instant; a naive `moment` is local time in zone `name`."""
    return moment.replace(tzinfo=zone(name)) if moment.tzinfo is None else moment


# Days whose number is read with a vowel first: «l’1», «l’8», «l’11» (not «il 1»).
_ELIDED_DAYS = (1, 8, 11)


def on_day(moment: datetime) -> str:
    """`il 3 aprile 2025, ore 16:00`, `l’1 dicembre 2026, ore 13:33`: the date with its article."""
    return ("l’" if moment.day in _ELIDED_DAYS else "il ") + italian(moment)


@lru_cache(maxsize=64)  # the calls' deadlines are formatted on every evaluation
def italian(moment: datetime, *, time: bool = True) -> str:
    """`3 aprile 2025, ore 16:00` (the moment as shown, in its own offset)."""
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    if time:
        text += f", ore {moment.hour:02d}:{moment.minute:02d}"  # not strftime: several times slower in Pyodide
        if moment.second or moment.microsecond:
            text += f":{moment.second:02d}"
        if moment.microsecond:  # 16:00:00,5 is after 16:00: never print it as 16:00
            text += "," + f"{moment.microsecond:06d}".rstrip("0")
    return text
