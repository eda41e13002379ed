"""Typed mutation results: expected failures are data in the schema, not server errors.

Following Strawberry's "Dealing with errors" guide, every mutation returns a union of its
success payload and the error types it can meet. Every error type implements the ``Error``
interface (``code`` and ``message``), so a client can handle all of them with one
``... on Error { code message }`` fragment and still switch on ``__typename`` for detail.
Unexpected failures stay server errors, and their details are masked (``errors.py``).
"""

from __future__ import annotations

import strawberry
from typing_extensions import TypeIs

from graphsvc.errors import (
    Conflict,
    ErrorCode,
    Forbidden,
    GraphsvcError,
    InvalidDocument,
    InvalidInput,
    Issue,
    NotFound,
)

__all__ = [
    "ConflictError",
    "Error",
    "ForbiddenError",
    "IssueType",
    "NotFoundError",
    "ValidationError",
    "WriteError",
    "is_failure",
    "write_error",
]


@strawberry.interface(description="What every expected failure carries.")
class Error:
    code: ErrorCode = strawberry.field(description="Stable machine-readable code.")
    message: str = strawberry.field(
        description="One readable sentence naming the offending record."
    )


@strawberry.type(
    name="Issue",
    description="One rule a record breaks, located precisely enough to fix it.",
)
class IssueType:
    path: str = strawberry.field(
        description="Where the problem is: in a document, the list, the record's position "
        "and the field (people[3].departmentId); in a single write, the argument and the "
        "field (input.strength). Empty when the problem is the whole input."
    )
    record: str = strawberry.field(
        description="The id or key of the offending record: an id (p-cio), a relationship "
        "(KNOWS ae-1→p-cio) or a decision right (p-cio/kaito/IT/ECONOMIC_BUYER)."
    )
    message: str = strawberry.field(description="What is wrong, in words.")

    @classmethod
    def from_issue(cls, issue: Issue) -> IssueType:
        """The GraphQL view of a domain ``Issue``."""
        return cls(path=issue.path, record=issue.record, message=issue.message)


@strawberry.type(description="A record named by id does not exist in the workspace (NOT_FOUND).")
class NotFoundError(Error):
    pass


@strawberry.type(
    description="The write breaks a rule of the graph (INVALID); nothing was changed. "
    "issues lists every problem found."
)
class ValidationError(Error):
    issues: list[IssueType]


@strawberry.type(
    description="The write collides with existing data (CONFLICT): an id already taken, or a "
    "record still referenced by others. Nothing was changed."
)
class ConflictError(Error):
    pass


@strawberry.type(description="The caller's role does not allow this write (FORBIDDEN).")
class ForbiddenError(Error):
    pass


WriteError = NotFoundError | ValidationError | ConflictError | ForbiddenError
"""The failures any write can meet, each a member of every mutation's result union."""


def is_failure(result: object) -> TypeIs[WriteError]:
    """True when a write came back as one of the typed failures."""
    return isinstance(result, NotFoundError | ValidationError | ConflictError | ForbiddenError)


def write_error(exc: GraphsvcError) -> WriteError:
    """The typed result of an expected failure; anything else is re-raised (and masked)."""
    if isinstance(exc, NotFound):
        return NotFoundError(code=exc.code, message=exc.message)
    if isinstance(exc, InvalidDocument):
        return ValidationError(
            code=exc.code, message=exc.message, issues=[IssueType.from_issue(i) for i in exc.issues]
        )
    if isinstance(exc, InvalidInput):
        return ValidationError(code=exc.code, message=exc.message, issues=[])
    if isinstance(exc, Conflict):
        return ConflictError(code=exc.code, message=exc.message)
    if isinstance(exc, Forbidden):
        return ForbiddenError(code=exc.code, message=exc.message)
    raise exc
