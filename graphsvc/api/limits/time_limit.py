"""The time limit: stop an analytic root field that runs longer than the configured seconds.

``asyncio.timeout`` interrupts the awaiting request; the analytic computation itself runs in
the services' analytic worker thread, which the cancellation reaches too: the work stops at
its next checkpoint (``services.worker``, ``analytics.cancel``), so the worker is free again
soon after the error is answered. The cost limit still refuses the largest requests up front.

The limit is applied where the root fields are executed (``api.graphql.execution`` calls
``bound_root_field`` with the seconds its schema was built with), not through a per-field
``resolve`` hook: such a hook makes Strawberry wrap *every* field's resolver in middleware,
which cost ~15 % of a 1,978-person power map's time (bench/big_answers.py) to guard a dozen
root fields. Nor through an extension per operation: each one costs every request its hook
wrappers (bench/README.md, "Request overhead").
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from graphql import FieldNode

from graphsvc.api.limits.cost import ANALYTIC_FIELDS, limit_exceeded

__all__ = ["bound_root_field"]


def bound_root_field(
    field_name: str,
    result: Any,
    field_nodes: Sequence[FieldNode],
    seconds: float | None,
    graph_ready: Callable[[], bool] | None = None,
) -> Any:
    """``result`` of the query root field ``field_name``, bounded by ``seconds`` (None: no
    limit) if it is an analytic field still to be awaited; anything else unchanged.

    ``graph_ready`` tells, when the limit is reached, whether the request's workspace had its
    analytic graph built: if not, the time went on waiting for that build (a server just
    started, a million people take ~20 s), and the error says so instead of advising a
    smaller query."""
    if seconds is None or field_name not in ANALYTIC_FIELDS or not inspect.isawaitable(result):
        return result
    return _bounded(result, field_name, field_nodes, seconds, graph_ready)


async def _bounded(
    work: Awaitable[Any],
    field_name: str,
    field_nodes: Sequence[FieldNode],
    seconds: float,
    graph_ready: Callable[[], bool] | None,
) -> Any:
    try:
        async with asyncio.timeout(seconds):
            return await work
    except TimeoutError:
        if graph_ready is not None and not graph_ready():
            advice = (
                "while the workspace's graph was still being built (after the server started, "
                "or its change log was compacted): ask again shortly; a starting server's "
                "/readyz answers 200 once its builds are done"
            )
        else:
            advice = (
                "narrow the organization scope (includeSubsidiaries: false) or lower k / maxHops"
            )
        raise limit_exceeded(
            f"{field_name} took longer than {seconds:g} s and was stopped: {advice}",
            field_nodes,
            [field_name],
        ) from None
