"""`Record` behaves as `@dataclass(frozen=True)` does, without generating code."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cached_property
from typing import Any

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


def _with_post_init() -> type:
    class Derived(Record):
        x: int

        def __post_init__(self) -> None:
            pass

    return Derived


def _inheriting_post_init() -> type:
    class Checked:
        def __post_init__(self) -> None:
            pass

    class Derived(Checked, Record):
        x: int

    return Derived


def _with_initvar() -> type:
    class Derived(Record):
        x: int
        scale: dataclasses.InitVar[int] = 1

    return Derived


def _with_field(spec: Any) -> Callable[[], type]:
    def make() -> type:
        class Derived(Record):
            x: int
            y: int = spec

        return Derived

    return make


def _with_kw_only_marker() -> type:
    class Derived(Record):
        x: int
        _: dataclasses.KW_ONLY
        y: int = 0

    return Derived


SHOWN = r"Derived\.y: a Record has no field\(repr=, compare= or hash=\)"


@pytest.mark.parametrize(("make", "message"), [
    (_with_post_init, r"Derived: a Record has no __post_init__"),
    (_inheriting_post_init, r"Derived: a Record has no __post_init__"),
    (_with_initvar, r"Derived\.scale: a Record has no InitVar"),
    (_with_field(dataclasses.field(default=0, init=False)), r"Derived\.y: a Record has no field\(init=False\)"),
    (_with_field(dataclasses.field(default=0, kw_only=True)), r"Derived\.y: a Record has no keyword-only field"),
    (_with_kw_only_marker, r"Derived\.y: a Record has no keyword-only field"),
    (_with_field(dataclasses.field(default=0, repr=False)), SHOWN),
    (_with_field(dataclasses.field(default=0, compare=False)), SHOWN),
    (_with_field(dataclasses.field(default=0, hash=False)), SHOWN),
], ids=["post_init", "inherited post_init", "InitVar", "init=False", "kw_only", "KW_ONLY", "repr=False",
        "compare=False", "hash=False"])
def test_what_record_would_ignore_is_refused_at_class_creation(make: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        make()


def test_a_record_of_a_record_is_checked_too() -> None:
    with pytest.raises(TypeError, match=r"Child\.z: a Record has no field\(init=False\)"):
        class Child(Pair):
            z: int = dataclasses.field(default=0, init=False)
    assert Pair(1, "b") == Pair(a=1, b="b")  # the parent is untouched
