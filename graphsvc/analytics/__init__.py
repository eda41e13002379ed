"""Pure analytics over an in-memory projection of a workspace: no I/O, no GraphQL.

One concept per module: ``projection`` (the in-memory graph), ``scope`` (organization
scope), ``paths`` (k best simple paths), ``routes`` (contactRoutes), ``decision_makers``,
``whitespace``, ``power_map`` (with ``centrality``), ``coverage``, ``displacement``.
"""

from graphsvc.analytics.coverage import Coverage, DecisionMakerCoverage, coverage
from graphsvc.analytics.decision_makers import decision_makers
from graphsvc.analytics.displacement import displacement_windows
from graphsvc.analytics.power_map import PowerScore, power_map
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.routes import DecisionArea, Route, RouteHop, RouteMetric, contact_routes
from graphsvc.analytics.scope import Scope, organization_scope
from graphsvc.analytics.whitespace import WhitespaceDepartment, whitespace

__all__ = [
    "Coverage",
    "DecisionArea",
    "DecisionMakerCoverage",
    "PowerScore",
    "Projection",
    "Route",
    "RouteHop",
    "RouteMetric",
    "Scope",
    "WhitespaceDepartment",
    "contact_routes",
    "coverage",
    "decision_makers",
    "displacement_windows",
    "organization_scope",
    "power_map",
    "whitespace",
]
