"""The demo dataset: the generator's group of companies for one fixed seed."""

from __future__ import annotations

import io

from graphsvc.generator import base_date, write_generated

__all__ = ["DEMO_HOLDING", "DEMO_LOCALE", "DEMO_PEOPLE", "DEMO_SEED", "DEMO_TODAY", "demo_document"]

DEMO_PEOPLE = 2000
DEMO_SEED = 20260401
DEMO_LOCALE = "ja"
DEMO_TODAY = base_date(DEMO_SEED)
DEMO_HOLDING = "org1"
"""The holding company at the top of the demo group (the generator's first organization);
the demo's console link opens its overview."""
"""The demo world's "today": contract ends and last contacts are relative to it, so queries
about windows and staleness (``asOf``) give the intended answers whatever the real date."""


def demo_document() -> bytes:
    """The demo graph document as JSON bytes (about 0.6 MB; identical on every call)."""
    buffer = io.BytesIO()
    write_generated(buffer, DEMO_PEOPLE, DEMO_SEED, DEMO_LOCALE)
    return buffer.getvalue()
