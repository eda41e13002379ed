"""Scores leave the API rounded: float noise of products and PageRank iterations means nothing."""

from __future__ import annotations

__all__ = ["DECIMALS", "rounded", "rounded_or_none"]

DECIMALS = 6
"""Scores leave the API rounded to this many places: products and PageRank iterations carry
float noise (0.49288200000000004) that means nothing to a reader. Ordering is decided on the
exact values before rounding."""


def rounded(value: float) -> float:
    """``value`` to ``DECIMALS`` places."""
    return round(value, DECIMALS)


def rounded_or_none(value: float | None) -> float | None:
    """``value`` to ``DECIMALS`` places; ``None`` stays ``None``."""
    return None if value is None else rounded(value)
