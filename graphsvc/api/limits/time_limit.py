"""The time limit: stop an analytic root field that runs longer than the configured seconds.

``asyncio.timeout`` interrupts the awaiting request; the analytic computation itself runs in
the services' analytic worker thread, which the cancellation reaches too: the work stops at
its next checkpoint (``services.worker``, ``analytics.cancel``), so the worker is free again
soon after the error is answered. The cost limit still refuses the largest requests up front.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from graphsvc.api.limits.cost import ANALYTIC_FIELDS, limit_exceeded

__all__ = ["AnalyticTimeout"]


class AnalyticTimeout(SchemaExtension):
    """Stops an analytic root field that runs longer than the configured seconds."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # Synchronous pass-through for every other field: wrapping each scalar in a
        # coroutine would cost more than the analytics it guards.
        result = _next(root, info, *args, **kwargs)
        if (
            info.parent_type is info.schema.query_type
            and info.field_name in ANALYTIC_FIELDS
            and inspect.isawaitable(result)
        ):
            return self._bounded(result, info)
        return result

    async def _bounded(self, work: Awaitable[Any], info: GraphQLResolveInfo[Any]) -> Any:
        try:
            async with asyncio.timeout(self.seconds):
                return await work
        except TimeoutError:
            raise limit_exceeded(
                f"{info.field_name} took longer than {self.seconds:g} s and was stopped: narrow "
                "the organization scope (includeSubsidiaries: false) or lower k / maxHops",
                info.field_nodes,
            ) from None
