"""The generic converter: parsed TOML data into the typed records of `checker.model`, strictly.

A key the record does not declare, a value of the wrong type or a missing field raises `Invalid`
with the key path and an Italian message (the loader adds the file and the line).
"""

# No `from __future__ import annotations`: the annotations are read at run time (see checker.model).
import dataclasses
import types
import typing
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from . import model
from .figures import hints, join


class Invalid(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message



_TYPE_NAMES = {str: "un testo", int: "un numero intero", bool: "true o false", Decimal: "un numero decimale",
               datetime: "una data e ora locale (es. 2025-04-03T16:00:00)"}


def _convert(hint: Any, value: Any, path: str) -> Any:  # noqa: C901, PLR0911, PLR0912 -- one branch a type
    origin = typing.get_origin(hint)
    if origin is Annotated:
        return _convert(typing.get_args(hint)[0], value, path)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(inner[0], value, path)
    if origin is Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            raise Invalid(path, f"valore «{value}» non ammesso; valori ammessi: {', '.join(map(str, allowed))}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise Invalid(path, "deve essere un elenco")
        item = typing.get_args(hint)[0]
        return tuple(_convert(item, v, join(path, i)) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise Invalid(path, "deve essere una tabella")
        item = typing.get_args(hint)[1]
        if item is Any:
            return value
        return {k: _convert(item, v, join(path, k)) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return build(hint, value, path)
    if hint is Decimal:
        if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
            raise Invalid(path, f"deve essere {_TYPE_NAMES[Decimal]}")
        return Decimal(value)
    if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise Invalid(path, f"deve essere {_TYPE_NAMES[int]}")
    if hint is datetime:
        if not isinstance(value, datetime) or value.tzinfo is not None:
            raise Invalid(path, f"deve essere {_TYPE_NAMES[datetime]}, senza fuso orario (lo indica `timezone`)")
        return value
    if hint in (str, bool) and not isinstance(value, hint):
        raise Invalid(path, f"deve essere {_TYPE_NAMES[hint]}")
    return value


def build(cls: Any, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise Invalid(path, "deve essere una tabella")
    annotations = hints(cls)
    fields = [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]
    by_key = {f.metadata.get("key", f.name): f for f in fields}
    unknown = [k for k in data if k not in by_key]
    if unknown:
        raise Invalid(join(path, unknown[0]),
                       f"chiave sconosciuta «{unknown[0]}»; chiavi ammesse: {', '.join(by_key)}")
    kwargs = {}
    for key, f in by_key.items():
        if key in data:
            kwargs[f.name] = _convert(annotations[f.name], data[key], join(path, key))
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise Invalid(join(path, key), "campo obbligatorio mancante")
    return cls(**kwargs)


def informational_paths() -> set[str]:
    """Field names of figures that no rule evaluates (shown to people only), sample answers included."""
    out = set()
    for cls in (model.Rules, model.Project):
        out |= {f.name for f in dataclasses.fields(cls) if f.metadata.get("informational")}
    return out

