"""The composition root: every service of one store, wired together in one place.

``build_services(settings)`` is the one way the API (FastAPI's lifespan) and the CLI get
their services; ``Services.over(store)`` wires them over a store someone else opened
(tests, benchmarks, embedding). The analytics listen to the graph service's writes because
this module says so, not because a registry noticed them: there is one ``AnalyticsService``
per ``Services``, so one projection cache per process and store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Self

from graphsvc.config import Settings
from graphsvc.services.analytics import AnalyticsService
from graphsvc.services.graph import GraphService
from graphsvc.services.history import ChangeFeed, HistoryService
from graphsvc.services.listing import ListingService
from graphsvc.services.report import ReportService
from graphsvc.services.tokens import TokenService
from graphsvc.services.worker import DEFAULT_QUEUE_LIMIT
from graphsvc.store import create_store
from graphsvc.store.base import GraphStore

__all__ = ["Services", "build_services"]


@dataclass(frozen=True)
class Services:
    """The use cases over one store: reads and writes, list pages, analytics, API tokens,
    the change log, reviews, the feed of new changes and account plans.

    ``async with services:`` opens the store and closes it on the way out; services built
    ``over`` a store opened elsewhere are used without it.
    """

    store: GraphStore
    graph: GraphService
    listing: ListingService
    analytics: AnalyticsService
    tokens: TokenService
    history: HistoryService
    feed: ChangeFeed
    """New changes for the ``changed`` subscription, woken by the graph's writes."""
    report: ReportService
    """Account plans (CONTRACT §9), from the analytics and the history above."""

    @classmethod
    def over(
        cls,
        store: GraphStore,
        *,
        clock: Callable[[], date] = date.today,
        analytic_queue_limit: int = DEFAULT_QUEUE_LIMIT,
        projection_snapshots: bool = False,
    ) -> Services:
        """The services of ``store``, with analytics kept current by the graph's writes.

        ``clock`` is the analytics' today (the default ``asOf``); ``analytic_queue_limit``
        how many analytic computations may wait for the worker (more are refused);
        ``projection_snapshots``: start projections from the store's saved ones
        (``services.projection_snapshots``).
        """
        graph = GraphService(store)
        analytics = AnalyticsService(
            store,
            clock=clock,
            applying=graph.applying,
            queue_limit=analytic_queue_limit,
            snapshots=projection_snapshots,
        )
        graph.listeners.append(analytics.on_change)
        listing = ListingService(store)
        feed = ChangeFeed(store, listing)
        graph.listeners.append(feed.on_change)
        history = HistoryService(store, listing)
        return cls(
            store=store,
            graph=graph,
            listing=listing,
            analytics=analytics,
            tokens=TokenService(store),
            history=history,
            feed=feed,
            report=ReportService(analytics, history),
        )

    async def __aenter__(self) -> Self:
        await self.store.open()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.analytics.projections.stop()  # builds under way stop reading the store
        self.analytics.worker.close()  # queued analytic work is dropped; running work ends
        await self.store.close()


def build_services(settings: Settings) -> Services:
    """The services of the store ``settings`` name, not yet opened (``async with`` opens it).

    An unsupported store URL is refused here, before anything connects or reads input.
    """
    return Services.over(
        create_store(settings),
        analytic_queue_limit=settings.analytic_queue_limit,
        projection_snapshots=settings.projection_snapshots,
    )
