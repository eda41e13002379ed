"""Why a route search is empty (``route_reasons``), on hand-built graphs: each reason is
computed from the data, and a search that finds routes has no reason."""

from __future__ import annotations

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.routes import DecisionArea, RouteEmptyReason, search_routes
from graphsvc.domain.enums import OrganizationKind, Stance
from graphsvc.domain.models import Relationship
from tests.analytics.conftest import project
from tests.factories import document, knows, org, person, right

R = RouteEmptyReason


def graph(*relationships: Relationship, blockers=(), ours=("u",)) -> Projection:
    """Our people (Us, SELF); a, b, c, t at Acme with its subsidiary Acme Sub (s); x at Other."""
    return project(
        document(
            organizations=[
                org("us", "Us", OrganizationKind.SELF),
                org("acme", "Acme"),
                org("acme-sub", "Acme Sub", parent_id="acme", parent_relation="SUBSIDIARY"),
                org("other", "Other"),
            ],
            people=[person(p, "us") for p in ours]
            + [
                person(p, "acme", stance=Stance.BLOCKER if p in blockers else Stance.NEUTRAL)
                for p in ("a", "b", "c", "t")
            ]
            + [person("s", "acme-sub"), person("x", "other")],
            relationships=list(relationships),
            decision_rights=[right("t", "acme", "IT")],
        )
    )


def test_a_search_with_routes_has_no_reason() -> None:
    found = search_routes(graph(knows("u", "t", 0.9)), to="t")

    assert [r.people for r in found.routes] == [("u", "t")]
    assert found.empty_reason is None


def test_beyond_max_hops() -> None:
    chain = graph(knows("u", "a"), knows("a", "b"), knows("b", "t"))

    assert (
        search_routes(chain, to="t", max_hops=2).empty_reason
        is R.TARGET_UNREACHABLE_WITHIN_MAX_HOPS
    )
    assert search_routes(chain, to="t", max_hops=3).empty_reason is None


def test_only_through_a_blocker_or_an_avoided_person() -> None:
    through_a = [knows("u", "a"), knows("a", "t")]

    assert (
        search_routes(graph(*through_a, blockers=("a",)), to="t").empty_reason is R.ALL_WAYS_BLOCKED
    )
    assert search_routes(graph(*through_a), to="t", avoid=["a"]).empty_reason is R.ALL_WAYS_BLOCKED


def test_a_longer_way_round_a_blocker_is_reported_as_beyond_max_hops() -> None:
    # Given a blocked short way (u-a-t) and an open long one (u-b-c-t)
    projection = graph(
        knows("u", "a"),
        knows("a", "t"),
        knows("u", "b"),
        knows("b", "c"),
        knows("c", "t"),
        blockers=("a",),
    )

    # Then raising maxHops is the advice
    found = search_routes(projection, to="t", max_hops=2)
    assert found.empty_reason is R.TARGET_UNREACHABLE_WITHIN_MAX_HOPS


def test_no_contact_into_the_targets_group() -> None:
    # Given we know only someone at Other, and t's group (Acme with Acme Sub) is unconnected
    assert (
        search_routes(graph(knows("u", "x")), to="t").empty_reason is R.NO_CONTACT_INTO_ORGANIZATION
    )
    # A contact at the subsidiary is a contact into the group
    assert search_routes(graph(knows("u", "s")), to="t").empty_reason is R.NOT_CONNECTED


def test_no_targets_and_no_sources() -> None:
    projection = graph(knows("u", "t"))

    nobody = search_routes(projection, decision_area=DecisionArea("acme", "HR"))
    assert nobody.empty_reason is R.NO_TARGETS
    assert search_routes(projection, to="t", avoid=["u"]).empty_reason is R.NO_SOURCES
    assert search_routes(graph(knows("a", "t"), ours=()), to="t").empty_reason is R.NO_SOURCES
