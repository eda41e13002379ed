"""The analytic use cases: CONTRACT §4's six queries (and ``decision_areas``), and §7's
``pipeline``, over a workspace's cached projection.

``AnalyticsService`` takes arguments in domain terms, reads the workspace's projection from
its ``ProjectionCache`` and calls the pure functions of ``graphsvc.analytics``; it returns
their domain results, which the GraphQL layer maps to types. ``asOf`` defaults to today
(``clock``). Results of the costly whole-scope queries (power map, whitespace, coverage,
category footprint) are memoised per projection version and computed once however many
ask at a time (``services.memo``), so a repeated query is a dict lookup until the next write.

The API reaches the analytics only through this module: it re-exports the argument and
result types, the defaults and the limits of the queries (``__all__``).

The composition root (``services.container``) makes it the change listener of its
``GraphService``, so every write through that service updates the projection in place.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar, Unpack

from graphsvc import analytics
from graphsvc.analytics import (
    DEFAULT_INCLUDE_SUBSIDIARIES,
    DEFAULT_K,
    DEFAULT_MAX_HOPS,
    DEFAULT_METRIC,
    DEFAULT_STALE_AFTER_DAYS,
    DEFAULT_STALLED_AFTER_DAYS,
    DEFAULT_WITHIN_DAYS,
    MAX_HOPS,
    MAX_K,
    CategoryFootprint,
    ClosedDeals,
    Coverage,
    CoverageStatus,
    DecisionArea,
    DecisionAreaSummary,
    DecisionMakerCoverage,
    ExplanationLanguage,
    FootprintCell,
    FootprintState,
    Pipeline,
    PowerScore,
    Projection,
    Route,
    RouteEmptyReason,
    RouteHop,
    RouteMetric,
    RouteRequest,
    RouteSearch,
    StageFigures,
    StaleContact,
    StalledDeal,
    WhitespaceDepartment,
    days_left,
)
from graphsvc.analytics.centrality import EXACT_UP_TO, PIVOTS
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.models import DecisionRight, InstalledSystem
from graphsvc.domain.pipeline import DEFAULT_STAGES
from graphsvc.services.memo import AnswerMemo
from graphsvc.services.projection_cache import ProjectionCache
from graphsvc.services.worker import DEFAULT_QUEUE_LIMIT, AnalyticWorker
from graphsvc.store.base import GraphStore

__all__ = [
    "DEFAULT_INCLUDE_SUBSIDIARIES",
    "DEFAULT_K",
    "DEFAULT_MAX_HOPS",
    "DEFAULT_METRIC",
    "DEFAULT_STALE_AFTER_DAYS",
    "DEFAULT_STALLED_AFTER_DAYS",
    "DEFAULT_WITHIN_DAYS",
    "EXACT_UP_TO",
    "MAX_HOPS",
    "MAX_K",
    "PIVOTS",
    "AnalyticsService",
    "CategoryFootprint",
    "ClosedDeals",
    "Coverage",
    "CoverageStatus",
    "DecisionArea",
    "DecisionAreaSummary",
    "DecisionMakerCoverage",
    "ExplanationLanguage",
    "FootprintCell",
    "FootprintState",
    "Pipeline",
    "PowerScore",
    "Route",
    "RouteEmptyReason",
    "RouteHop",
    "RouteMetric",
    "RouteSearch",
    "StageFigures",
    "StaleContact",
    "StalledDeal",
    "WhitespaceDepartment",
    "days_left",
]

T = TypeVar("T")


class AnalyticsService:
    """Contact routes, decision makers, whitespace, power map, coverage, displacement."""

    def __init__(
        self,
        store: GraphStore,
        clock: Callable[[], date] = date.today,
        applying: Callable[[str], bool] = lambda workspace: False,
        *,
        queue_limit: int = DEFAULT_QUEUE_LIMIT,
        snapshots: bool = False,
    ) -> None:
        self.store = store
        self.projections = ProjectionCache(
            store, applying, queue_limit=queue_limit, snapshots=snapshots
        )
        self.clock = clock
        self.answers = AnswerMemo()
        """The whole-scope answers, per projection version, each computed once."""
        self.worker: AnalyticWorker = self.projections.worker
        """Where every analytic computation runs: off the event loop (``services.worker``);
        at most ``queue_limit`` wait for it, more are refused (``Overloaded``)."""

    async def warm_up(self) -> None:
        """Build every workspace's projection now (the server's start-up; see
        ``ProjectionCache.warm_up``), so the first analytic request need not wait as long."""
        await self.projections.warm_up()

    @property
    def warming(self) -> list[str]:
        """The workspaces whose start-up projection build has not finished (``/readyz``)."""
        return self.projections.warming

    async def on_change(self, workspace: str, changes: ChangeSet, version: int) -> None:
        """GraphService listener: keep the workspace's projection current."""
        await self.projections.on_change(workspace, changes, version)

    async def contact_routes(self, workspace: str, **request: Unpack[RouteRequest]) -> list[Route]:
        """CONTRACT §5 contactRoutes (``distinct_entry``: one route per way into the account)."""
        projection = await self._served(workspace)
        return await self.worker.run(lambda: analytics.contact_routes(projection, **request))

    async def contact_route_search(
        self, workspace: str, **request: Unpack[RouteRequest]
    ) -> RouteSearch:
        """``contact_routes`` with the reason the answer is empty, when it is."""
        projection = await self._served(workspace)
        return await self.worker.run(lambda: analytics.search_routes(projection, **request))

    async def decision_makers(
        self,
        workspace: str,
        organization_id: str,
        *,
        area: str | None = None,
        include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
    ) -> list[DecisionRight]:
        """CONTRACT §5 decisionMakers."""
        projection = await self._served(workspace)
        return await self.worker.run(
            lambda: analytics.decision_makers(
                projection, organization_id, area=area, include_subsidiaries=include_subsidiaries
            )
        )

    async def decision_areas(
        self,
        workspace: str,
        organization_id: str,
        *,
        include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
    ) -> list[DecisionAreaSummary]:
        """The decision areas of an organization scope (an extension of CONTRACT §4)."""
        projection = await self._served(workspace)
        return await self.worker.run(
            lambda: analytics.decision_areas(
                projection, organization_id, include_subsidiaries=include_subsidiaries
            )
        )

    async def whitespace(
        self,
        workspace: str,
        organization_id: str,
        *,
        category: str | None = None,
        include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
        as_of: date | None = None,
    ) -> list[WhitespaceDepartment]:
        """CONTRACT §5 whitespace (``as_of`` dates the expiring contracts; default today)."""
        day = as_of or self.clock()
        return await self._memoised(
            workspace,
            ("whitespace", organization_id, category, include_subsidiaries, day),
            lambda projection: analytics.whitespace(
                projection,
                organization_id,
                as_of=day,
                category=category,
                include_subsidiaries=include_subsidiaries,
            ),
        )

    async def categories(self, workspace: str) -> list[str]:
        """The categories of the workspace's systems and opportunities (an extension of
        CONTRACT §4: the values whitespace's and displacementWindows' category accept)."""
        projection = await self._served(workspace)
        return await self.worker.run(lambda: analytics.workspace_categories(projection))

    async def category_footprint(
        self,
        workspace: str,
        organization_id: str,
        *,
        include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
    ) -> CategoryFootprint:
        """The scope's companies × the workspace's categories (an extension of CONTRACT §4),
        memoised like whitespace."""
        return await self._memoised(
            workspace,
            ("category_footprint", organization_id, include_subsidiaries),
            lambda projection: analytics.category_footprint(
                projection, organization_id, include_subsidiaries=include_subsidiaries
            ),
        )

    async def power_map(
        self,
        workspace: str,
        organization_id: str,
        *,
        include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
    ) -> list[PowerScore]:
        """CONTRACT §5 powerMap."""
        return await self._memoised(
            workspace,
            ("power_map", organization_id, include_subsidiaries),
            lambda projection: analytics.power_map(
                projection, organization_id, include_subsidiaries=include_subsidiaries
            ),
        )

    async def coverage(
        self,
        workspace: str,
        organization_id: str,
        *,
        include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
        stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
        as_of: date | None = None,
    ) -> Coverage:
        """CONTRACT §5 coverage (memoised like whitespace: ``as_of`` is resolved to the day)."""
        day = as_of or self.clock()
        return await self._memoised(
            workspace,
            ("coverage", organization_id, include_subsidiaries, stale_after_days, day),
            lambda projection: analytics.coverage(
                projection,
                organization_id,
                as_of=day,
                include_subsidiaries=include_subsidiaries,
                stale_after_days=stale_after_days,
            ),
        )

    async def displacement_windows(
        self,
        workspace: str,
        organization_id: str,
        *,
        within_days: int = DEFAULT_WITHIN_DAYS,
        include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
        as_of: date | None = None,
        category: str | None = None,
        vendor: str | None = None,
    ) -> list[InstalledSystem]:
        """CONTRACT §5 displacementWindows, optionally of one category and/or vendor."""
        projection = await self._served(workspace)
        day = as_of or self.clock()
        return await self.worker.run(
            lambda: analytics.displacement_windows(
                projection,
                organization_id,
                as_of=day,
                within_days=within_days,
                include_subsidiaries=include_subsidiaries,
                category=category,
                vendor=vendor,
            )
        )

    async def pipeline(
        self,
        workspace: str,
        organization_id: str,
        *,
        include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
        as_of: date | None = None,
        stalled_after_days: int = DEFAULT_STALLED_AFTER_DAYS,
    ) -> Pipeline:
        """CONTRACT §7 pipeline, under the workspace's stage model (default: DEFAULT_STAGES).

        The model is read from the store after the projection: a model replaced in between
        is the newer one, which only ever regroups the same deals.
        """
        projection = await self._served(workspace)
        stages = await self.store.pipeline_stages(workspace) or list(DEFAULT_STAGES)
        day = as_of or self.clock()
        return await self.worker.run(
            lambda: analytics.pipeline(
                projection,
                organization_id,
                stages,
                as_of=day,
                include_subsidiaries=include_subsidiaries,
                stalled_after_days=stalled_after_days,
            )
        )

    async def _served(self, workspace: str) -> Projection:
        """The workspace's projection for a computation in the worker (which applies the
        writes queued for it first: ``ProjectionCache.served``)."""
        projection, _ = await self.projections.served(workspace)
        return projection

    async def _memoised(
        self, workspace: str, key: tuple[Hashable, ...], compute: Callable[[Projection], T]
    ) -> T:
        """``compute(projection)`` in the worker, once per question and projection version,
        however many ask (``services.memo``)."""
        projection, version = await self.projections.served(workspace)
        # The projection's identity and version both belong to the key: a rebuilt projection
        # starts again at the store's version, and must not inherit answers of the old one.
        return await self.answers.answer(
            workspace,
            (projection.serial, version),
            key,
            lambda: self.worker.run(lambda: compute(projection)),
        )
