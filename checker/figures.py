"""Figures of the rules: the markers of a figure's kind, key paths, and how a figure reads in prose.

A key path names one value of a call's rules (`grant.parameters.cap`, `classes.beneficiary.min`,
`expenses.consultancy.max_share_of_others`, `checks[2].min`); prose cites a figure as `{path}`.
"""

import dataclasses
import re
import typing
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from . import money, timezone

# Markers for the converter and the formatter (see `format_value`).
Money = Annotated[Decimal, "money"]
Rate = Annotated[Decimal, "rate"]
Text = Annotated[str, "text"]
Ref = Annotated[str, "passage"]  # the id of a passage of the call (`passages.<id>`)
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.\-]*)\}")


def join(path: str, key: str | int) -> str:
    """`path` and one more key (`checks` + 2 -> `checks[2]`, `grant` + `form` -> `grant.form`)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


@cache
def template(text: str) -> list[str]:
    """A text split at its placeholders: literal, name, literal, ..., literal (split once a text)."""
    return PLACEHOLDER.split(text)


def format_value(value: Any, kind: str | None) -> str:
    """How a figure of the rules reads in Italian prose."""
    if kind == "money":
        return money.eur(value, always_cents=False)
    if kind == "rate":
        return money.percent(value)
    if isinstance(value, datetime):
        return timezone.italian(value)
    return str(value)


def resolve(root: Any, path: str) -> tuple[Any, str | None]:
    node: Any = root
    kind: str | None = None
    for part in path.split("."):
        if isinstance(node, Mapping):
            if part not in node:
                raise KeyError(path)
            node, kind = node[part], None
        elif isinstance(node, tuple):
            node = next((item for item in node if getattr(item, "id", None) == part), None)
            if node is None:
                raise KeyError(path)
            kind = None
        elif dataclasses.is_dataclass(node):
            cls: type = type(node)
            kinds = field_kinds(cls)
            if part not in kinds:
                raise KeyError(path)
            kind = kinds[part]
            node = getattr(node, part)
        else:
            raise KeyError(path)
    if node is None or dataclasses.is_dataclass(node) or isinstance(node, (tuple, Mapping)):
        raise KeyError(path)
    return node, kind


@cache
def hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a rules dataclass, once a class: `get_type_hints` compiles every
    annotation string anew, far too slow to repeat for each table of a file or each evaluation."""
    return typing.get_type_hints(cls, include_extras=True)


@cache
def field_kinds(cls: type) -> dict[str, str | None]:
    """Each field of a rules dataclass and the kind of figure its annotation marks (`money`, `rate`)."""
    annotations = hints(cls)
    return {f.name: _marker(annotations[f.name]) for f in dataclasses.fields(cls)}


def _marker(hint: Any) -> str | None:
    for arg in (hint, *typing.get_args(hint)):
        if typing.get_origin(arg) is Annotated:
            return str(arg.__metadata__[0])
    return None


