"""Request limits: refuse abusive requests before any resolver runs.

Depth, aliases (and introspection, when it is off) are Strawberry's own validation rules, built
once per schema and marked so that their errors carry a code too; the token limit is the
parser's; ``cost`` is our check, run with validation on every request (``validation_cache``).
A refused operation never executes (no store call, no projection build) and is answered with
an ordinary GraphQL error, ``extensions.code = LIMIT_EXCEEDED``, naming the limit (and, for
the cost, what to lower); turned-off introspection is ``FORBIDDEN``. ``time_limit`` bounds
the analytic fields at run time (applied by the schema's execution, ``api.graphql.execution``),
``body_size`` refuses oversized bodies at the HTTP layer. ``budget`` charges each operation's
cost to its token's budget (CONTRACT §11), right after validation, with the same cost.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)

from graphsvc.api.limits.budget import TokenBudget, budget_table
from graphsvc.api.limits.cost import CostCheck
from graphsvc.api.limits.tokens import TokenLimit
from graphsvc.api.validation_cache import ValidationCache, ValidationResults, with_error_code
from graphsvc.config import Settings
from graphsvc.errors import ErrorCode

__all__ = ["ExtensionFactory", "limit_extensions"]

ExtensionFactory = Callable[[], SchemaExtension]
"""What ``strawberry.Schema(extensions=...)`` takes: one fresh extension per operation."""


def limit_extensions(settings: Settings) -> list[ExtensionFactory]:
    """Factories of every limit extension configured by ``settings``, for ``strawberry.Schema``.

    Factories, not instances: Strawberry shares an instance across concurrent operations.
    """
    # Parse and document-only validation once per query text; the cost check runs always
    # (its verdict remembered per text and page sizes). The rules are built here, once: each
    # Strawberry limiter builds a new rule class when constructed, and classes made per
    # request were a measurable part of a small query's time (bench/README.md); the
    # validation cache validates them, so no extension per operation adds them. The time
    # limit is the schema's execution's (``build_schema(analytic_timeout_seconds=...)``).
    results = ValidationResults()
    rules = [
        *_coded(QueryDepthLimiter(max_depth=settings.max_depth), ErrorCode.LIMIT_EXCEEDED),
        *_coded(MaxAliasesLimiter(max_alias_count=settings.max_aliases), ErrorCode.LIMIT_EXCEEDED),
    ]
    if not settings.introspection:
        rules.extend(_coded(DisableIntrospection(), ErrorCode.FORBIDDEN))
    costs = CostCheck(settings)
    return [
        partial(ParserCache, maxsize=results.maxsize),
        partial(ValidationCache, results, costs, rules=rules),
        partial(TokenBudget, budget_table(settings), costs),  # after validation: see budget
        partial(TokenLimit, max_token_count=settings.max_tokens),
    ]


def _coded(limiter: AddValidationRules, code: ErrorCode) -> list[type[ASTValidationRule]]:
    """The validation rules of ``limiter``, reporting their errors with ``code``."""
    return [with_error_code(rule, code) for rule in limiter.validation_rules]
