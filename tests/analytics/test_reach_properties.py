"""Property: one search from our people (``reach``) finds, for every person, exactly the score
of the best route ``contact_routes`` finds to them alone (coverage relies on it)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from graphsvc.analytics.reach import best_paths, path_score
from graphsvc.analytics.routes import contact_routes
from tests.analytics.test_routes_properties import build, scenario


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_one_search_scores_every_person_as_their_own_best_route_does(case: dict) -> None:
    projection = build(case)
    ours = projection.self_people()
    found = best_paths(
        projection.walk, ours, max_hops=case["max_hops"], blocked=projection.blockers
    )
    for target in case["people"]:
        if target in ours:
            continue  # an origin's own answer is left to contact_routes (see reach)
        routes = contact_routes(projection, to=target, k=1, max_hops=case["max_hops"])
        path = found.get(target)
        assert (path_score(projection.walk, path) if path else None) == (
            routes[0].score if routes else None
        ), (target, path, routes)
        if path is not None:
            assert path[0] in ours
            assert path[-1] == target
            assert 1 <= len(path) - 1 <= case["max_hops"]
            assert not set(path[1:-1]) & projection.blockers
