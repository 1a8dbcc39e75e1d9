"""The answers as JSON text, and the spec's deep link that carries them (answers format v1, «Browser»).

A deep link's fragment is `answers=` followed by the base64url encoding, without padding, of the
answers object's UTF-8 JSON. One encoder and its decoder, for the guide's worked examples,
`make bench` and the tests; a Decimal (the rules and the test cases are read with
`parse_float=Decimal`) is written as the plain decimal string the format takes for an amount.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

KEY = "answers="


def plain_decimal(value: Any) -> str:
    """`json.dumps`'s `default`: a Decimal as a plain decimal string (`"1234.56"`, never `"1E+3"`)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"not JSON: {value!r}")


def answers_json(answers: Any) -> str:
    """The answers as JSON text (UTF-8 characters as they are), each Decimal a plain decimal string."""
    return json.dumps(answers, ensure_ascii=False, default=plain_decimal)


def fragment(answers: Any) -> str:
    """The deep link's fragment (without the `#`) of `answers`, as compact JSON."""
    text = json.dumps(answers, ensure_ascii=False, separators=(",", ":"), default=plain_decimal)
    return KEY + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def answers_of(text: str) -> Any:
    """The answers a deep link's fragment (without the `#`) carries; ValueError if it is not one."""
    code = text.removeprefix(KEY)
    if code == text or "=" in code:
        raise ValueError(f"not `{KEY}` and base64url without padding: {text[:80]!r}")
    return json.loads(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)))
