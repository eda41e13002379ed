"""The one exception hierarchy of graphsvc.

Every failure a user can cause or meet is a ``GraphsvcError`` with a stable ``code``;
driver and sqlite exceptions are translated into these at the store boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable machine-readable codes, shared by the CLI and the GraphQL results."""

    NOT_FOUND = "NOT_FOUND"
    INVALID = "INVALID"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    STORE_UNAVAILABLE = "STORE_UNAVAILABLE"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    RATE_LIMITED = "RATE_LIMITED"
    OVERLOADED = "OVERLOADED"
    INTERNAL = "INTERNAL"


@dataclass(frozen=True)
class Issue:
    """One problem in a graph document, located precisely enough to fix it.

    ``path`` is where in the document (``people[3].departmentId``), ``record`` the id or key
    of the offending record (``p-cio``), ``message`` what is wrong in words.
    """

    path: str
    record: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path} ({self.record})" if self.record else self.path
        return f"{where}: {self.message}"


class GraphsvcError(Exception):
    """Root of every graphsvc error.

    ``http_status`` is the HTTP status of a GraphQL request that this error stopped wholly
    (no field answered: ``api.graphql.status``); None keeps GraphQL's 200. ``retry_after``
    (seconds) goes with it as ``Retry-After``: when the same request may succeed.
    """

    code: ErrorCode = ErrorCode.INTERNAL
    http_status: int | None = None
    retry_after: float | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(GraphsvcError):
    """A record named by id does not exist in the workspace."""

    code = ErrorCode.NOT_FOUND


class InvalidDocument(GraphsvcError):
    """A graph document or a single record breaks a rule of CONTRACT §3; nothing was applied."""

    code = ErrorCode.INVALID

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        first = str(issues[0]) if issues else "invalid document"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(first + more)


class InvalidInput(GraphsvcError):
    """An argument to a query or command is out of its allowed range."""

    code = ErrorCode.INVALID


class Conflict(GraphsvcError):
    """The write collides with existing data (an id already taken, a record still referenced)."""

    code = ErrorCode.CONFLICT


class VersionMoved(Conflict):
    """The workspace changed after the version a write was prepared against; nothing was applied."""


class Forbidden(GraphsvcError):
    """The caller's role does not allow this operation."""

    code = ErrorCode.FORBIDDEN


class Unauthenticated(GraphsvcError):
    """No valid credentials were presented."""

    code = ErrorCode.UNAUTHENTICATED


class StoreUnavailable(GraphsvcError):
    """The configured store cannot be reached or opened (CONTRACT §11: ``STORE_UNAVAILABLE``,
    never an internal error); a request it stopped wholly answers 503."""

    code = ErrorCode.STORE_UNAVAILABLE
    http_status = 503
    retry_after = 1.0


class Overloaded(GraphsvcError):
    """The server has more work queued than it accepts now (the analytic worker's queue
    bound); nothing was done, and the same request may succeed after ``retry_after``."""

    code = ErrorCode.OVERLOADED
    http_status = 503

    def __init__(self, message: str, retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(GraphsvcError):
    """The caller's token has spent its cost budget (CONTRACT §11); nothing was done, and a
    request of the same cost succeeds after ``retry_after`` seconds."""

    code = ErrorCode.RATE_LIMITED
    http_status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SchemaMissing(StoreUnavailable):
    """The store lacks constraints or indexes it relies on; ``graphsvc migrate`` creates them."""
