"""pydantic's verdicts in the service's own words: ``stance "FRIENDLY" is not one of …``.

No library wording (``Value error, …``, ``Input should be …``) reaches a user: every error
type a record can meet has a sentence here that names the field and echoes the offending
value, and anything unforeseen falls back to a plain sentence of the same shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from pydantic_core import ErrorDetails

from graphsvc.domain.models import id_problem

__all__ = ["field_of", "message", "shown"]

_UNIT_INTERVAL = frozenset({"strength", "ownership"})
"""Fields typed (0, 1]: one message for both bounds reads better than two."""

_SHOWN_CHARS = 60
"""An echoed value longer than this is cut, so that an issue stays one line."""


def shown(value: Any) -> str:
    """``value`` as the user wrote it in JSON (``"FRIENDLY"``, ``1.5``), cut to one line."""
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = str(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def field_of(loc: Sequence[int | str]) -> str:
    """The innermost field name of a pydantic location (``value`` when there is none)."""
    names = [part for part in loc if isinstance(part, str)]
    return names[-1] if names else "value"


def _choices(expected: Any) -> str:
    """pydantic's ``'A', 'B' or 'C'`` as ``A, B, C``."""
    return str(expected).replace("'", "").replace(" or ", ", ")


def message(error: ErrorDetails) -> str:
    """One sentence naming the field, what is wrong and (where it helps) the value given."""
    field = field_of(error["loc"])
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = shown(error.get("input"))
    if kind == "string_pattern_mismatch" and isinstance(error.get("input"), str):
        return f"{field} {id_problem(error['input'])}"  # only ids have a pattern
    if kind == "record_rule":
        return error["msg"]
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    if kind == "missing":
        return f"{field} is required"
    if kind == "enum":
        return f"{field} {value} is not one of {_choices(ctx.get('expected'))}"
    if kind == "literal_error":
        return f"{field} must be {_choices(ctx.get('expected'))}, not {value}"
    if field in _UNIT_INTERVAL and kind in {"greater_than", "less_than_equal"}:
        return f"{field} {value} is not in (0, 1]"
    simple = {
        "greater_than": f"{field} must be greater than {ctx.get('gt')}, not {value}",
        "greater_than_equal": f"{field} must be at least {ctx.get('ge')}, not {value}",
        "less_than_equal": f"{field} must be at most {ctx.get('le')}, not {value}",
        "string_too_short": f"{field} must not be blank",
        "string_too_long": f"{field} must be at most {ctx.get('max_length')} characters",
        "string_type": f"{field} must be a string, not {value}",
        "bool_type": f"{field} must be true or false, not {value}",
        "bool_parsing": f"{field} must be true or false, not {value}",
        "int_type": f"{field} must be an integer, not {value}",
        "int_parsing": f"{field} must be an integer, not {value}",
        "int_from_float": f"{field} must be an integer, not {value}",
        "float_type": f"{field} must be a number, not {value}",
        "float_parsing": f"{field} must be a number, not {value}",
        "finite_number": f"{field} must be a finite number",
        "list_type": f"{field} must be a list, not {value}",
        "tuple_type": f"{field} must be a list, not {value}",
        "model_type": f"{field} must be an object, not {value}",
        "model_attributes_type": f"{field} must be an object, not {value}",
        "dict_type": f"{field} must be an object, not {value}",
    }
    if kind in simple:
        return simple[kind]
    if kind.startswith("date"):
        return f"{field} must be a date written YYYY-MM-DD, not {value}"
    if kind == "value_error":
        return str(ctx.get("error", "is not valid"))
    return f"{field} {value} is not valid"
