"""The HTTP status of a GraphQL request that an error stopped wholly (CONTRACT §11).

GraphQL answers 200 with ``errors`` whatever went wrong inside, but three refusals mean
"nothing was done, come back later", and HTTP has a status for each that clients, proxies
and load balancers act on: 429 when the caller's budget is spent (``RATE_LIMITED``), 503
when the analytic queue is full (``OVERLOADED``) or the store is unreachable
(``STORE_UNAVAILABLE``), each with ``Retry-After``. A ``GraphsvcError`` carries its status
(``http_status``, ``retry_after``); ``HttpStatusOfErrors`` gives it to the response when no
root field answered, so a request of which one field failed keeps 200 and its other fields.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from graphsvc.errors import GraphsvcError

__all__ = ["HttpStatusOfErrors", "status_of"]


def status_of(result: Any) -> tuple[int, int] | None:
    """``(status, retry-after seconds)`` for an execution ``result`` that no root field
    answered and that a status-bearing error stopped; None otherwise (GraphQL's 200)."""
    errors = getattr(result, "errors", None) or []
    data = getattr(result, "data", None)
    if not errors or (data and any(value is not None for value in data.values())):
        return None
    stopping = [
        error.original_error
        for error in errors
        if isinstance(error.original_error, GraphsvcError)
        and error.original_error.http_status is not None
    ]
    if not stopping:
        return None
    status = stopping[0].http_status
    assert status is not None
    waits = [error.retry_after for error in stopping if error.retry_after is not None]
    return status, max(1, math.ceil(max(waits, default=1.0)))


class HttpStatusOfErrors(SchemaExtension):
    """Sets the response's status and ``Retry-After`` from ``status_of`` the result (HTTP
    only: a subscription's results go over its WebSocket as they are)."""

    def on_operation(self) -> Iterator[None]:
        yield
        found = status_of(self.execution_context.result)
        response = getattr(self.execution_context.context, "response", None)
        if found is None or response is None:
            return
        status, retry_after = found
        response.status_code = status
        response.headers["Retry-After"] = str(retry_after)
