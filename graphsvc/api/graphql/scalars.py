"""Custom scalars: ``Date`` (ISO ``YYYY-MM-DD``) and ``JSON`` (any JSON value)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.scalars import JSON

__all__ = ["JSON", "Date"]


def _parse_date(value: object) -> date:
    """Accept only the ISO calendar form, so that ``2026-1-5`` or a timestamp is an error."""
    if not isinstance(value, str) or len(value) != len("YYYY-MM-DD"):
        raise ValueError(f"Date must be a string YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"Date must be a valid calendar date YYYY-MM-DD, got {value!r}") from None


def _serialize_date(value: date) -> str:
    return value.isoformat()


Date = strawberry.scalar(
    name="Date",
    description="A calendar date in ISO 8601 form, YYYY-MM-DD (for example 2027-03-31).",
    serialize=_serialize_date,
    parse_value=_parse_date,
)
"""Used through ``scalar_overrides={date: Date}``: resolvers keep using ``datetime.date``."""
