"""contactRouteSearch costs what contactRoutes costs: it is an analytic field whose routes are
the k it is asked for (not a list of unknown length under it)."""

from __future__ import annotations

from graphql import OperationDefinitionNode, parse

from graphsvc.api.graphql.schema import schema
from graphsvc.api.limits.cost import estimate_cost
from graphsvc.config import Settings


def _cost(query: str) -> int:
    document = parse(query)
    [operation] = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    return estimate_cost(schema._schema, operation, {}, {}, Settings()).cost


def test_route_search_costs_like_contact_routes() -> None:
    routes = _cost('{ contactRoutes(to: "p", k: 7) { score people { id } } }')
    search = _cost(
        '{ contactRouteSearch(to: "p", k: 7) { emptyReason routes { score people { id } } } }'
    )

    assert routes > Settings().analytic_cost  # the analytic base cost applies to both
    assert routes <= search <= routes + 2 * 7  # + routes and emptyReason, k times at most
