"""The token limit: Strawberry's ``MaxTokensLimiter``, with a code on its refusal.

The parser itself stops at ``max_token_count`` tokens and reports a syntax error ("Document
contains more than N tokens"); this extension marks that error ``LIMIT_EXCEEDED`` like every
other limit, so a client can tell a query that is too long from one that is mistyped.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter

from graphsvc.errors import ErrorCode

__all__ = ["TokenLimit"]


class TokenLimit(MaxTokensLimiter):
    """Parse with at most ``max_token_count`` tokens; the refusal is ``LIMIT_EXCEEDED``."""

    def on_operation(self) -> Iterator[None]:
        # Strawberry throws the parser's error into this hook, or leaves it in the result.
        self.execution_context.parse_options["max_tokens"] = self.max_token_count
        try:
            yield
        except GraphQLError as refused:
            self._mark(refused)
            raise
        for error in getattr(self.execution_context.result, "errors", None) or []:
            self._mark(error)

    def _mark(self, error: GraphQLError) -> None:
        refusal = f"more than {self.max_token_count} tokens"
        if error.original_error is None and refusal in error.message:
            error.message = (
                f"the query has {refusal}, the limit: send a shorter query "
                "(variables instead of long literal lists, fewer fields or aliases)"
            )
            error.extensions = {**(error.extensions or {}), "code": ErrorCode.LIMIT_EXCEEDED.value}
