"""Frozen records: dataclasses whose methods are written once, here, instead of generated per class.

`@dataclass` writes each class's `__init__`, `__eq__`, `__repr__`, `__hash__` and the frozen
`__setattr__` as source text and compiles it when the module is imported. Under Pyodide that
compiling was most of the checker's start-up in the browser (17 classes, 110-170 ms of a 160-210 ms
import in Node; more on a cold page). A `Record` subclass is still a dataclass for everything that
reads one (`dataclasses.fields`, `replace`, `is_dataclass`, `field(default=..., metadata=...)`), and
behaves like `@dataclass(frozen=True)`: keyword or positional construction with defaults, equality
and hash by value, a field-by-field repr, assignment refused.

What `dataclass` would honour and these shared methods would not (`__post_init__`, an `InitVar`,
a field's `init=False`, `kw_only`, `repr=False`, `compare=False` or `hash=`) is refused with a
TypeError when the class is created, never ignored.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, cast, dataclass_transform

_NO_DEFAULT = dataclasses.MISSING
_INITVAR = dataclasses._FIELD_INITVAR  # type: ignore[attr-defined]  # how `dataclass` marks an InitVar


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
class Record:
    """Base of the frozen records (see the module's docstring)."""

    __slots__ = ()
    # (name, default, default_factory) of each field, in order: what `__init__` needs, read once a class.
    _record_fields: ClassVar[tuple[tuple[str, Any, Any], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("__doc__"):
            cls.__doc__ = cls.__name__  # else `dataclass` makes one from `inspect.signature`, slow too
        # Fields only: no method to generate, so nothing to compile.
        dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
        fields = dataclasses.fields(cast(Any, cls))
        _refuse_unsupported(cls, fields)
        cls._record_fields = tuple((f.name, f.default, f.default_factory) for f in fields)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spec = self._record_fields
        if len(args) > len(spec):
            raise TypeError(f"{type(self).__name__}() takes {len(spec)} positional arguments, {len(args)} given")
        used = 0
        for i, (name, default, factory) in enumerate(spec):
            if i < len(args):
                if name in kwargs:
                    raise TypeError(f"{type(self).__name__}() got multiple values for argument «{name}»")
                value = args[i]
            elif name in kwargs:
                value = kwargs[name]
                used += 1
            elif default is not _NO_DEFAULT:
                value = default
            elif factory is not _NO_DEFAULT:
                value = factory()
            else:
                raise TypeError(f"{type(self).__name__}() missing required argument «{name}»")
            object.__setattr__(self, name, value)
        if used != len(kwargs):
            names = {name for name, _, _ in spec}
            unknown = next(k for k in kwargs if k not in names)
            raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument «{unknown}»")

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        """Pickled as the class and its field values (cached properties are not state)."""
        return type(self), self._field_values()

    def _field_values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name, _, _ in self._record_fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._field_values() == other._field_values()

    def __hash__(self) -> int:
        return hash(self._field_values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name, _, _ in self._record_fields)
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _refuse_unsupported(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> None:
    """Raise TypeError if `cls` asks for something `dataclass` would honour and Record's methods ignore."""
    name = cls.__qualname__
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{name}: a Record has no __post_init__ (Record.__init__ never calls it); "
                        "compute derived values in a property or a function")
    for f in cast(Any, cls).__dataclass_fields__.values():
        if f._field_type is _INITVAR:
            raise TypeError(f"{name}.{f.name}: a Record has no InitVar (it has no __post_init__ to pass it to)")
    for f in fields:
        if not f.init:
            raise TypeError(f"{name}.{f.name}: a Record has no field(init=False): its __init__ takes every field")
        if f.kw_only is True:
            raise TypeError(f"{name}.{f.name}: a Record has no keyword-only field: its __init__ takes every "
                            "field by position or by keyword")
        if not f.repr or not f.compare or f.hash is not None:
            raise TypeError(f"{name}.{f.name}: a Record has no field(repr=, compare= or hash=): every field is "
                            "shown, compared and hashed")
