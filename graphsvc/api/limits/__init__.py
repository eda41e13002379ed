"""Request limits: refuse abusive requests before any resolver runs.

Depth, aliases and tokens use Strawberry's own extensions; ``cost`` is our validation rule,
so a refused operation never executes (no store call, no projection build) and is answered
with an ordinary GraphQL error, ``extensions.code = LIMIT_EXCEEDED``, naming the limit and
how to stay under it. ``time_limit`` bounds the analytic fields at run time, ``body_size``
refuses oversized bodies at the HTTP layer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)

from graphsvc.api.limits.cost import CostLimiter
from graphsvc.api.limits.time_limit import AnalyticTimeout
from graphsvc.api.validation_cache import ValidationCache, ValidationResults
from graphsvc.config import Settings

__all__ = ["ExtensionFactory", "limit_extensions"]

ExtensionFactory = Callable[[], SchemaExtension]
"""What ``strawberry.Schema(extensions=...)`` takes: one fresh extension per operation."""


def limit_extensions(settings: Settings) -> list[ExtensionFactory]:
    """Factories of every limit extension configured by ``settings``, for ``strawberry.Schema``.

    Factories, not instances: Strawberry shares an instance across concurrent operations.
    """
    # Parse and document-only validation once per query text; the cost rule runs always.
    results = ValidationResults()
    factories: list[ExtensionFactory] = [
        partial(ParserCache, maxsize=results.maxsize),
        partial(ValidationCache, results),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(QueryDepthLimiter, max_depth=settings.max_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),
        partial(CostLimiter, settings),
        partial(AnalyticTimeout, settings.analytic_timeout_seconds),
    ]
    if not settings.introspection:
        factories.append(DisableIntrospection)
    return factories
