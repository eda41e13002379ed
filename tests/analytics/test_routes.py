"""contactRoutes (CONTRACT §5) on hand-built graphs whose answers are worked out by hand."""

from __future__ import annotations

import pytest

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.routes import (
    DecisionArea,
    ExplanationLanguage,
    RouteMetric,
    contact_routes,
)
from graphsvc.domain.enums import OrganizationKind, RelationshipType, Stance
from graphsvc.errors import InvalidInput, NotFound
from tests.analytics.conftest import project
from tests.factories import document, influences, knows, org, person, reports_to, right


def tiny(*relationships, blockers=(), ours=("u",), others=("a", "b", "c", "d", "t")) -> Projection:
    """Our people ``ours`` (org us, SELF) and people ``others`` (org acme), related as given."""
    return project(
        document(
            organizations=[org("us", "Us", OrganizationKind.SELF), org("acme", "Acme")],
            people=[person(p, "us", p.upper()) for p in ours]
            + [
                person(p, "acme", p.upper(), stance=Stance.BLOCKER if p in blockers else "NEUTRAL")
                for p in others
            ],
            relationships=list(relationships),
        )
    )


def paths(routes) -> list[tuple[str, ...]]:
    return [r.people for r in routes]


# --- Kaito ----------------------------------------------------------------------------


def test_kaito_best_route_to_the_cio_goes_through_the_champion(kaito: Projection) -> None:
    # Given Ken knows the IT director (0.9), who knows the engineer (0.8), who influences the
    # CIO (0.95): 0.9 × 0.8 × 0.95 = 0.684 beats the director's solid line up (0.9 × 0.7 = 0.63)
    [best] = contact_routes(kaito, to="p-cio", k=1)

    assert best.people == ("ae-1", "p-itdir", "p-eng", "p-cio")
    assert best.score == pytest.approx(0.684)
    assert [(h.type, h.strength) for h in best.hops] == [
        (RelationshipType.KNOWS, 0.9),
        (RelationshipType.KNOWS, 0.8),
        (RelationshipType.INFLUENCES, 0.95),
    ]
    assert best.weakest_link.to_id == "p-eng"
    # Most names on the route are Japanese: the explanation is Japanese (AUTO); English on ask.
    assert (
        best.explanation
        == best.explanations[ExplanationLanguage.JA]
        == (
            "Ken Ueda（BDR、Nexa Systems）は高橋 誠を知っており（0.90）、"
            "高橋 誠は伊藤 翔を知っており（0.80）、"
            "伊藤 翔は佐藤 健（CIO）に影響を与えている（0.95）。"
        )
    )
    assert best.explanations[ExplanationLanguage.EN] == (
        "Ken Ueda (BDR, Nexa Systems) knows 高橋 誠 (0.90), who knows 伊藤 翔 (0.80), "
        "who influences 佐藤 健, CIO (0.95)"
    )


def test_kaito_top_three_to_the_cio_in_score_order(kaito: Projection) -> None:
    # Then: 0.684 (via the engineer), 0.63 (IT director reports to the CIO),
    # 0.9 × 0.684 = 0.6156 (Mika via Ken via the engineer).
    routes = contact_routes(kaito, to="p-cio")

    assert paths(routes) == [
        ("ae-1", "p-itdir", "p-eng", "p-cio"),
        ("ae-1", "p-itdir", "p-cio"),
        ("ae-2", "ae-1", "p-itdir", "p-eng", "p-cio"),
    ]
    assert [r.score for r in routes] == pytest.approx([0.684, 0.63, 0.6156])


def test_kaito_route_never_passes_through_the_blocker(kaito: Projection) -> None:
    # Ken knows the HR director (a BLOCKER, 0.6) who knows the CFO (0.7): 0.42 would be the
    # best route, but it passes through a blocker. The best walkable one goes through the
    # engineer, the CIO and the CEO: 0.684 × 0.7 × 0.7 = 0.33516.
    routes = contact_routes(kaito, to="p-cfo", k=5)

    assert all("p-hr" not in r.people for r in routes)
    assert routes[0].people == ("ae-1", "p-itdir", "p-eng", "p-cio", "p-ceo", "p-cfo")
    assert routes[0].score == pytest.approx(0.33516)


def test_kaito_a_blocker_may_be_the_target(kaito: Projection) -> None:
    [direct] = contact_routes(kaito, to="p-hr", k=1)

    assert direct.people == ("ae-1", "p-hr")
    assert direct.score == pytest.approx(0.6)


def test_kaito_dotted_line_without_strength_counts_half(kaito: Projection) -> None:
    # Only through the project manager: Ken → IT director (0.9) → PM (solid, 0.7) → CFO
    # (dotted, no strength → 0.5) = 0.315, second to the route over the CEO (0.33516).
    routes = contact_routes(kaito, to="p-cfo", k=2)

    assert routes[1].people == ("ae-1", "p-itdir", "p-pm", "p-cfo")
    assert routes[1].score == pytest.approx(0.315)
    assert routes[1].weakest_link.strength == 0.5
    english = routes[1].explanations[ExplanationLanguage.EN]
    assert "has a dotted reporting line to 鈴木 花子, CFO (0.50)" in english
    assert "渡辺 彩は鈴木 花子（CFO）の点線の部下である（0.50）。" in routes[1].explanation


def test_kaito_decision_area_targets_economic_buyers_and_decision_makers(kaito: Projection) -> None:
    # IT deciders in kaito's group: the CIO (ECONOMIC_BUYER) and the IT director
    # (DECISION_MAKER of k-it); the CFO is only an APPROVER and the engineer an evaluator.
    routes = contact_routes(kaito, decision_area=DecisionArea("kaito", "it"), k=10)

    assert {r.people[-1] for r in routes} == {"p-cio", "p-itdir"}
    assert routes[0].people == ("ae-1", "p-itdir")


def test_kaito_hops_metric_prefers_fewer_hops_then_score(kaito: Projection) -> None:
    # 2 hops: Ken → director → CIO (0.63); 3 hops: Ken → director → engineer → CIO (0.684)
    # and Mika → Ken → director → CIO (0.567): the 3-hop ones by score.
    routes = contact_routes(kaito, to="p-cio", metric=RouteMetric.HOPS)

    assert paths(routes) == [
        ("ae-1", "p-itdir", "p-cio"),
        ("ae-1", "p-itdir", "p-eng", "p-cio"),
        ("ae-2", "ae-1", "p-itdir", "p-cio"),
    ]


def test_kaito_avoid_excludes_people_as_intermediates_and_sources(kaito: Projection) -> None:
    # Avoiding Ken leaves Mika, whose only contact is 小林 大輔 at the subsidiary: no route.
    assert contact_routes(kaito, to="p-cio", avoid=["ae-1"]) == []
    # Avoiding the engineer leaves the director's line up to the CIO.
    [best] = contact_routes(kaito, to="p-cio", avoid=["p-eng"], k=1)
    assert best.people == ("ae-1", "p-itdir", "p-cio")


def test_kaito_explicit_sources(kaito: Projection) -> None:
    [best] = contact_routes(kaito, to="p-log", sources=["ae-1"], k=1)

    assert best.people == ("ae-1", "ae-2", "p-log")
    assert best.score == pytest.approx(0.45)


def test_kaito_hop_limit(kaito: Projection) -> None:
    # The best route to the CIO has 3 hops; with at most 2 only the director's line remains.
    [best] = contact_routes(kaito, to="p-cio", max_hops=2, k=1)
    assert best.people == ("ae-1", "p-itdir", "p-cio")
    assert contact_routes(kaito, to="p-cio", max_hops=1) == []


# --- tiny graphs -------------------------------------------------------------------------


def test_parallel_relationships_use_the_strongest() -> None:
    # u knows a (0.3) and a reports to u (solid, default 0.7): the hop counts 0.7.
    graph = tiny(knows("u", "a", 0.3), reports_to("a", "u"))

    [route] = contact_routes(graph, to="a")

    assert route.score == pytest.approx(0.7)
    assert route.hops[0].type is RelationshipType.REPORTS_TO
    assert route.explanation == "U (Us) manages A (0.70)"


def test_missing_strengths_take_the_contract_defaults() -> None:
    # KNOWS 0.5 × INFLUENCES 0.5 × REPORTS_TO solid 0.7 = 0.175
    graph = tiny(knows("u", "a"), influences("a", "b"), reports_to("t", "b"))

    [route] = contact_routes(graph, to="t")

    assert route.score == pytest.approx(0.175)
    assert (
        route.explanation == "U (Us) knows A (0.50), who influences B (0.50), who manages T (0.70)"
    )


def test_equal_scores_prefer_fewer_hops() -> None:
    # u–t direct at 0.25, and u–a–t at 0.5 × 0.5 = 0.25: the direct one first.
    graph = tiny(knows("u", "t", 0.25), knows("u", "a", 0.5), knows("a", "t", 0.5))

    assert paths(contact_routes(graph, to="t")) == [("u", "t"), ("u", "a", "t")]


def test_equal_hops_prefer_higher_score_under_hops_metric() -> None:
    graph = tiny(
        knows("u", "a", 0.5), knows("a", "t", 0.5), knows("u", "b", 0.9), knows("b", "t", 0.9)
    )

    routes = contact_routes(graph, to="t", metric=RouteMetric.HOPS)

    assert paths(routes) == [("u", "b", "t"), ("u", "a", "t")]


def test_no_route_is_an_empty_list() -> None:
    graph = tiny(knows("u", "a"))

    assert contact_routes(graph, to="t") == []


def test_blocker_target_is_reachable_but_never_crossed() -> None:
    graph = tiny(knows("u", "b", 0.9), knows("b", "t", 0.9), knows("u", "t", 0.1), blockers=("b",))

    assert paths(contact_routes(graph, to="t")) == [("u", "t")]
    assert paths(contact_routes(graph, to="b")) == [("u", "b"), ("u", "t", "b")]


def test_exactly_one_of_to_and_decision_area() -> None:
    graph = tiny(knows("u", "a"))

    with pytest.raises(InvalidInput, match="exactly one"):
        contact_routes(graph)
    with pytest.raises(InvalidInput, match="exactly one"):
        contact_routes(graph, to="a", decision_area=DecisionArea("acme", "IT"))


def test_unknown_people_are_named_in_the_error() -> None:
    graph = tiny(knows("u", "a"))

    with pytest.raises(NotFound, match="'ghost'"):
        contact_routes(graph, to="ghost")
    with pytest.raises(NotFound, match="avoid: no person with id 'nobody'"):
        contact_routes(graph, to="a", avoid=["nobody"])


@pytest.mark.parametrize(("k", "max_hops"), [(0, 6), (51, 6), (3, 0), (3, 11)])
def test_limits_on_k_and_max_hops(k: int, max_hops: int) -> None:
    with pytest.raises(InvalidInput):
        contact_routes(tiny(knows("u", "a")), to="a", k=k, max_hops=max_hops)


def test_decision_area_is_case_insensitive_and_includes_subsidiaries() -> None:
    graph = project(
        document(
            organizations=[
                org("us", "Us", OrganizationKind.SELF),
                org("g", "Group"),
                org("sub", "Sub", parent_id="g"),
            ],
            people=[person("u", "us"), person("x", "sub"), person("y", "g")],
            relationships=[knows("u", "x", 0.9), knows("u", "y", 0.8)],
            decision_rights=[
                right("x", "sub", "Sfa", "ECONOMIC_BUYER"),
                right("y", "g", "SFA", "USER"),
            ],
        )
    )

    routes = contact_routes(graph, decision_area=DecisionArea("g", "sfa"))

    assert paths(routes) == [("u", "x")]


def test_a_target_who_is_one_of_ours_is_reached_from_another_source() -> None:
    graph = tiny(knows("u", "v", 0.8), ours=("u", "v"))

    assert paths(contact_routes(graph, to="v")) == [("u", "v")]


def test_distinct_entry_keeps_a_weaker_way_into_one_of_ours_apart_from_a_taken_one() -> None:
    # Given two ways from a to our u1 (via e, strong; via x, weak) and e also next to t: the
    # best route enters at e; the next entry point (x) is reached at u1 behind the stronger
    # label through e, which must not hide it.
    projection = tiny(
        knows("t", "e", 0.9),
        knows("t", "a", 0.9),
        knows("a", "e", 0.9),
        knows("e", "u1", 0.9),
        knows("a", "x", 0.5),
        knows("x", "u1", 0.9),
        knows("u1", "u2", 0.9),
        ours=("u1", "u2"),
        others=("a", "e", "x", "t"),
    )

    routes = contact_routes(projection, to="t", sources=["u2"], k=2, distinct_entry=True)

    assert paths(routes) == [("u2", "u1", "e", "t"), ("u2", "u1", "x", "a", "t")]
    assert [r.entry for r in routes] == ["e", "x"]
    assert routes[1].score == pytest.approx(0.9 * 0.9 * 0.5 * 0.9)
