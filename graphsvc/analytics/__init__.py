"""Pure analytics over an in-memory projection of a workspace: no I/O, no GraphQL.

One concept per module: ``projection`` (the in-memory graph), ``scope`` (organization
scope), ``paths`` (k best simple paths), ``routes`` (contactRoutes, with ``route_text``
for its explanations and ``route_reasons`` for why it is empty), ``decision_makers``,
``whitespace`` (with ``category_footprint``, its companies × categories table),
``power_map`` (with ``centrality``), ``coverage``, ``displacement``,
``pipeline`` (CONTRACT §7), and
``vocabulary`` (how the free-text filters match, and which values are known). Each
declares the defaults of its query's optional arguments (``DEFAULT_*``) once; the service
and the GraphQL arguments read them from there.
"""

from graphsvc.analytics.category_footprint import (
    CategoryFootprint,
    FootprintCell,
    FootprintState,
    category_footprint,
    workspace_categories,
)
from graphsvc.analytics.coverage import (
    DEFAULT_STALE_AFTER_DAYS,
    Coverage,
    CoverageStatus,
    DecisionMakerCoverage,
    StaleContact,
    coverage,
)
from graphsvc.analytics.decision_makers import (
    DecisionAreaSummary,
    decision_areas,
    decision_makers,
)
from graphsvc.analytics.displacement import DEFAULT_WITHIN_DAYS, days_left, displacement_windows
from graphsvc.analytics.pipeline import (
    DEFAULT_STALLED_AFTER_DAYS,
    ClosedDeals,
    Pipeline,
    StageFigures,
    StalledDeal,
    pipeline,
)
from graphsvc.analytics.power_map import PowerScore, power_map
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.routes import (
    DEFAULT_K,
    DEFAULT_MAX_HOPS,
    DEFAULT_METRIC,
    MAX_HOPS,
    MAX_K,
    DecisionArea,
    ExplanationLanguage,
    Route,
    RouteEmptyReason,
    RouteHop,
    RouteMetric,
    RouteRequest,
    RouteSearch,
    contact_routes,
    search_routes,
)
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, Scope, organization_scope
from graphsvc.analytics.whitespace import WhitespaceDepartment, whitespace

__all__ = [
    "DEFAULT_INCLUDE_SUBSIDIARIES",
    "DEFAULT_K",
    "DEFAULT_MAX_HOPS",
    "DEFAULT_METRIC",
    "DEFAULT_STALE_AFTER_DAYS",
    "DEFAULT_STALLED_AFTER_DAYS",
    "DEFAULT_WITHIN_DAYS",
    "MAX_HOPS",
    "MAX_K",
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
    "Projection",
    "Route",
    "RouteEmptyReason",
    "RouteHop",
    "RouteMetric",
    "RouteRequest",
    "RouteSearch",
    "Scope",
    "StageFigures",
    "StaleContact",
    "StalledDeal",
    "WhitespaceDepartment",
    "category_footprint",
    "contact_routes",
    "coverage",
    "days_left",
    "decision_areas",
    "decision_makers",
    "displacement_windows",
    "organization_scope",
    "pipeline",
    "power_map",
    "search_routes",
    "whitespace",
    "workspace_categories",
]
