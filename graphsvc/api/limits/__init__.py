"""Request limits: refuse abusive requests before any resolver runs.

Depth, aliases and tokens use Strawberry's own extensions, marked so that their errors carry
a code too; ``cost`` is our validation rule. A refused operation never executes (no store
call, no projection build) and is answered with an ordinary GraphQL error,
``extensions.code = LIMIT_EXCEEDED``, naming the limit (and, for the cost, what to lower);
turned-off introspection is ``FORBIDDEN``. ``time_limit`` bounds the analytic fields at run
time, ``body_size`` refuses oversized bodies at the HTTP layer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)

from graphsvc.api.limits.cost import CostLimiter
from graphsvc.api.limits.time_limit import AnalyticTimeout
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
    # Parse and document-only validation once per query text; the cost rule runs always.
    results = ValidationResults()
    factories: list[ExtensionFactory] = [
        partial(ParserCache, maxsize=results.maxsize),
        partial(ValidationCache, results),
        partial(TokenLimit, max_token_count=settings.max_tokens),
        partial(_coded, QueryDepthLimiter, ErrorCode.LIMIT_EXCEEDED, max_depth=settings.max_depth),
        partial(
            _coded,
            MaxAliasesLimiter,
            ErrorCode.LIMIT_EXCEEDED,
            max_alias_count=settings.max_aliases,
        ),
        partial(CostLimiter, settings),
        partial(AnalyticTimeout, settings.analytic_timeout_seconds),
    ]
    if not settings.introspection:
        factories.append(partial(_coded, DisableIntrospection, ErrorCode.FORBIDDEN))
    return factories


def _coded(
    extension: Callable[..., AddValidationRules], code: ErrorCode, **options: Any
) -> AddValidationRules:
    """``extension(**options)`` whose validation rules report errors with ``code``."""
    built = extension(**options)
    built.validation_rules = [with_error_code(rule, code) for rule in built.validation_rules]
    return built
