"""``without_cost``: a GraphQL answer as a test compares it, without ``extensions.cost``.

Every response reports its cost (CONTRACT §11: ``extensions.cost``), and ``remaining``
moves with every request and with the clock, so tests that compare whole answers compare
them without it (``test_token_budget`` checks the cost itself).
"""

from __future__ import annotations

from typing import Any

__all__ = ["without_cost"]


def without_cost(body: Any) -> Any:
    """``body`` (a response's JSON, or a subscription message with a ``payload``) without
    ``extensions.cost``, and without ``extensions`` when nothing else was in it."""
    if not isinstance(body, dict):
        return body
    found = dict(body)
    if isinstance(found.get("payload"), dict):
        found["payload"] = without_cost(found["payload"])
    extensions = found.get("extensions")
    if isinstance(extensions, dict) and "cost" in extensions:
        rest = {name: value for name, value in extensions.items() if name != "cost"}
        if rest:
            found["extensions"] = rest
        else:
            del found["extensions"]
    return found
