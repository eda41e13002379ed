"""``status_of``: which GraphQL results become 429/503 with ``Retry-After`` (CONTRACT §11)."""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.types import ExecutionResult

from graphsvc.api.graphql.status import status_of
from graphsvc.errors import NotFound, Overloaded, RateLimited, StoreUnavailable


def _error(original: Exception) -> GraphQLError:
    return GraphQLError(str(original), path=["field"], original_error=original)


def test_a_request_no_field_answered_takes_the_errors_status_and_wait() -> None:
    limited = ExecutionResult(data=None, errors=[_error(RateLimited("spent", retry_after=2.2))])
    assert status_of(limited) == (429, 3)  # whole seconds, rounded up
    busy = ExecutionResult(data={"powerMap": None}, errors=[_error(Overloaded("busy"))])
    assert status_of(busy) == (503, 1)
    down = ExecutionResult(data={"person": None}, errors=[_error(StoreUnavailable("down"))])
    assert status_of(down) == (503, 1)


def test_a_field_that_answered_keeps_graphqls_200() -> None:
    partial = ExecutionResult(
        data={"person": {"id": "p-1"}, "powerMap": None}, errors=[_error(Overloaded("busy"))]
    )
    assert status_of(partial) is None


def test_errors_without_a_status_keep_200() -> None:
    assert status_of(ExecutionResult(data=None, errors=[_error(NotFound("no p-9"))])) is None
    assert status_of(ExecutionResult(data={"x": 1}, errors=None)) is None
