"""The error policy of the schema: clients learn what they did wrong, never our internals.

- Errors the client caused — a malformed query, a bad argument, a ``GraphsvcError`` with a
  client-facing code raised by a resolver (``first`` too large, an unknown cursor) — keep
  their message and get ``extensions.code``.
- Anything else raised while resolving (a bug, a lost database) is logged with its traceback
  and reaches the client only as "Unexpected error." with ``extensions.code: INTERNAL``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from graphsvc.errors import ErrorCode, GraphsvcError

__all__ = ["ErrorPolicy", "error_code", "is_unexpected", "log_errors"]

logger = logging.getLogger("graphsvc.api")


def is_unexpected(error: GraphQLError) -> bool:
    """True for a failure inside a resolver that the client could not have caused."""
    original = error.original_error
    if original is None or error.path is None:
        # Parse and validation errors, and argument coercion, describe the client's request.
        return False
    if isinstance(original, GraphQLError):
        return False
    return not (isinstance(original, GraphsvcError) and original.code is not ErrorCode.INTERNAL)


def error_code(error: GraphQLError) -> str | None:
    """The ``extensions.code`` this policy gives ``error``: INTERNAL when it is masked, the
    code of a ``GraphsvcError``, else the one it carries (a limit rule's), else None (a
    query that does not parse or validate)."""
    if is_unexpected(error):
        return ErrorCode.INTERNAL.value
    if isinstance(error.original_error, GraphsvcError):
        return error.original_error.code.value
    code = (error.extensions or {}).get("code")
    return code if isinstance(code, str) else None


def log_errors(errors: list[GraphQLError]) -> None:
    """Log unexpected errors with their traceback; client errors are routine (debug)."""
    for error in errors:
        original = error.original_error
        if is_unexpected(error) and original is not None:
            logger.error(
                "unexpected error resolving %s: %s",
                ".".join(str(p) for p in error.path or ()),
                original,
                exc_info=(type(original), original, original.__traceback__),
            )
        else:
            logger.debug("client error: %s", error.message)


class ErrorPolicy(MaskErrors):
    """``MaskErrors`` masking only unexpected errors, with ``extensions.code`` on every error."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message="Unexpected error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": ErrorCode.INTERNAL.value}
        return masked

    def on_operation(self) -> Iterator[None]:
        yield from super().on_operation()
        _add_codes(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Each result of a subscription, masked and coded before it is sent."""
        masking = super().on_stream_result(result)
        next(masking)
        _add_codes(result)
        yield None
        next(masking, None)


def _add_codes(result: object) -> None:
    """Give each error of ``result`` raised as a ``GraphsvcError`` its ``extensions.code``."""
    for error in getattr(result, "errors", None) or []:
        if isinstance(error.original_error, GraphsvcError):
            error.extensions = {
                **(error.extensions or {}),
                "code": error.original_error.code.value,
            }
