"""The one path every mutation takes: role check, service call, typed failure.

Expected failures (``GraphsvcError`` with a client-facing code, and pydantic's verdict on an
input record) become members of the mutation's result union; everything else propagates and
is masked by the schema's error policy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import ValidationError as PydanticValidationError

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.results import ForbiddenError, WriteError, issues_of, write_error
from graphsvc.domain.auth import Role
from graphsvc.errors import ErrorCode, GraphsvcError

__all__ = ["perform"]

R = TypeVar("R")


async def perform(
    info: Info, action: Callable[[], Awaitable[R]], *, record: str, path: str = "input"
) -> R | WriteError:
    """Run a write for an editor (or admin); ``record`` names the written record in errors."""
    ctx = info.context
    if not ctx.role.allows(Role.EDITOR):
        return ForbiddenError(
            code=ErrorCode.FORBIDDEN,
            message=f"writing {record} needs the editor role; this caller is {ctx.role.value}",
        )
    try:
        result = await action()
    except PydanticValidationError as exc:
        return write_error(issues_of(exc, path, record))
    except GraphsvcError as exc:
        return write_error(exc)
    ctx.loaders.clear_all()
    return result
