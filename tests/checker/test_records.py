"""`Record` behaves as `@dataclass(frozen=True)` does, without generating code."""

from __future__ import annotations

import dataclasses
from functools import cached_property

import pytest

from checker.records import Record


class Point(Record):
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    notes: dict[str, str] = dataclasses.field(default_factory=dict, metadata={"key": "n"})

    @cached_property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


class Pair(Record):
    a: int
    b: str = ""


@dataclasses.dataclass(frozen=True)
class Twin:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    notes: dict[str, str] = dataclasses.field(default_factory=dict, metadata={"key": "n"})


def test_constructs_like_a_dataclass() -> None:
    for args, kwargs in (((1,), {}), ((1, 2), {}), ((), {"x": 1, "tags": ("a",)}), ((1,), {"notes": {"a": "b"}})):
        p, t = Point(*args, **kwargs), Twin(*args, **kwargs)
        assert dataclasses.astuple(p) == dataclasses.astuple(t)
    assert Point(1).notes is not Point(1).notes  # a fresh default from the factory each time


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    ((), {}, "missing required argument «x»"),
    ((1,), {"x": 2}, "multiple values for argument «x»"),
    ((1,), {"z": 2}, "unexpected keyword argument «z»"),
    ((1, 2, (), {}, 5), {}, "takes 4 positional arguments, 5 given"),
])
def test_wrong_arguments_are_refused(args: tuple[object, ...], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        Point(*args, **kwargs)  # type: ignore[arg-type]


def test_frozen_equal_hashable_printable() -> None:
    p = Point(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del p.y
    assert p == Point(1, 2) != Point(1, 3)
    assert p != Twin(1, 2)
    assert hash(Pair(1, "a")) == hash(Pair(1, "a")) == hash(dataclasses.astuple(Pair(1, "a")))
    with pytest.raises(TypeError, match="unhashable"):  # as a frozen dataclass with a dict field
        hash(p)
    assert repr(p) == "Point(x=1, y=2, tags=(), notes={})"
    assert p.norm == 3 and p == Point(1, 2)  # a cached property is not a field


def test_dataclass_functions_work() -> None:
    p = Point(1, 2)
    assert dataclasses.is_dataclass(p)
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "tags", "notes"]
    assert dataclasses.fields(Point)[3].metadata["key"] == "n"
    assert dataclasses.replace(p, y=5) == Point(1, 5)
    assert Point.__doc__ == "Point"
