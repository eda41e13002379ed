"""The one path every mutation takes: role check, service call, typed failure.

Expected failures (``GraphsvcError`` with a client-facing code) become members of the
mutation's result union; everything else propagates and is masked by the schema's error
policy. The issues of a single write are located under its argument (``input.strength``),
those of a document import where they are in the document (``people[3].stance``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.results import ForbiddenError, WriteError, write_error
from graphsvc.domain.auth import Role
from graphsvc.errors import ErrorCode, GraphsvcError, InvalidDocument, Issue

__all__ = ["perform"]

R = TypeVar("R")
P = TypeVar("P")


async def perform(
    info: Info,
    action: Callable[[], Awaitable[R]],
    answer: Callable[[R], P],
    *,
    record: str,
    path: str | None = "input",
) -> P | WriteError:
    """Run a write for an editor (or admin) and ``answer`` with its payload, or the failure.

    ``record`` names the written record in errors; ``path`` is the argument the record came
    in (its issues' paths are put under it), or None when the issues locate themselves (a
    document).
    """
    ctx = info.context
    if not ctx.role.allows(Role.EDITOR):
        return ForbiddenError(
            code=ErrorCode.FORBIDDEN,
            message=f"writing {record} needs the editor role; this caller is {ctx.role.value}",
        )
    try:
        result = await action()
    except InvalidDocument as exc:
        return write_error(exc if path is None else _under(path, record, exc))
    except GraphsvcError as exc:
        return write_error(exc)
    ctx.loaders.clear_all()
    return answer(result)


def _under(path: str, record: str, exc: InvalidDocument) -> InvalidDocument:
    """``exc`` with its issues located under argument ``path`` (``input.strength``)."""
    return InvalidDocument(
        [
            Issue(
                f"{path}.{issue.path}" if issue.path else path,
                issue.record or record,
                issue.message,
            )
            for issue in exc.issues
        ]
    )
