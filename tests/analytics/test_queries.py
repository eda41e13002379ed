"""decisionMakers, whitespace, powerMap, coverage, displacementWindows and organization scope
(CONTRACT §5), on the Kaito group and tiny graphs, with the answers worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from graphsvc.analytics import (
    coverage,
    decision_makers,
    displacement_windows,
    organization_scope,
    power_map,
    whitespace,
)
from graphsvc.analytics.projection import Projection
from graphsvc.domain.enums import BuyingRole, OrganizationKind
from graphsvc.errors import InvalidInput, NotFound
from tests.analytics.conftest import project
from tests.factories import (
    dept,
    document,
    influences,
    knows,
    opportunity,
    org,
    person,
    reports_to,
    right,
    system,
)

# --- scope ----------------------------------------------------------------------------


def test_scope_includes_subsidiaries_and_affiliates_recursively() -> None:
    graph = project(
        document(
            organizations=[
                org("g", "G"),
                org("s", "S", parent_id="g"),
                org("a", "A", parent_id="g", parent_relation="AFFILIATE"),
                org("ss", "SS", parent_id="s"),
                org("other", "Other"),
            ]
        )
    )

    assert organization_scope(graph, "g").organizations == ("a", "g", "s", "ss")
    assert organization_scope(graph, "s").organizations == ("s", "ss")
    assert organization_scope(graph, "g", include_subsidiaries=False).organizations == ("g",)
    with pytest.raises(NotFound, match="'nope'"):
        organization_scope(graph, "nope")


# --- decisionMakers --------------------------------------------------------------------


def test_kaito_decision_makers_in_role_then_seniority_then_name_order(kaito: Projection) -> None:
    # Rights in kaito's group (kaito-log included): ECONOMIC_BUYERs first — 佐藤 健, 小林 大輔
    # and 鈴木 花子 are all EXECUTIVE, so by name (佐 < 小 < 鈴 in code points: 4F50, 5C0F,
    # 9234); then the DECISION_MAKERs 高橋 誠 and 中村 優 (both DIRECTOR: 中 4E2D < 高 9AD8);
    # then the APPROVER, then the TECHNICAL_EVALUATOR.
    rights = decision_makers(kaito, "kaito")

    assert [(r.person_id, r.role) for r in rights] == [
        ("p-cio", BuyingRole.ECONOMIC_BUYER),
        ("p-log", BuyingRole.ECONOMIC_BUYER),
        ("p-cfo", BuyingRole.ECONOMIC_BUYER),
        ("p-hr", BuyingRole.DECISION_MAKER),
        ("p-itdir", BuyingRole.DECISION_MAKER),
        ("p-cfo", BuyingRole.APPROVER),
        ("p-eng", BuyingRole.TECHNICAL_EVALUATOR),
    ]


def test_kaito_decision_makers_by_area_case_insensitive_without_subsidiaries(
    kaito: Projection,
) -> None:
    assert [r.person_id for r in decision_makers(kaito, "kaito", area="it")] == [
        "p-cio",
        "p-itdir",
        "p-cfo",
        "p-eng",
    ]
    # Without subsidiaries the Logistics buyer of kaito-log drops out.
    assert "p-log" not in {
        r.person_id for r in decision_makers(kaito, "kaito", include_subsidiaries=False)
    }
    assert [r.person_id for r in decision_makers(kaito, "kaito-log")] == ["p-log"]


def test_decision_makers_order_puts_procurement_before_gatekeeper_and_unknown_seniority_last() -> (
    None
):
    graph = project(
        document(
            organizations=[org("o", "O")],
            people=[
                person("u1", "o", "Zed", seniority="STAFF"),
                person("u2", "o", "Amy"),
                person("g", "o", "Gus", seniority="EXECUTIVE"),
                person("pr", "o", "Pam", seniority="STAFF"),
            ],
            decision_rights=[
                right("u2", "o", "X", "USER"),
                right("u1", "o", "X", "USER"),
                right("g", "o", "X", "GATEKEEPER"),
                right("pr", "o", "X", "PROCUREMENT"),
            ],
        )
    )

    assert [r.person_id for r in decision_makers(graph, "o")] == ["pr", "g", "u1", "u2"]


# --- whitespace ------------------------------------------------------------------------


def test_kaito_whitespace_finds_departments_without_footprint(kaito: Projection) -> None:
    # k-it has our CRM (and a WON opportunity); k-hr an OPEN opportunity; us-sales is ours
    # but outside the scope. k-infra, k-fin and kl-ops have no footprint of their own
    # (k-infra's parent k-it has one, which does not count for k-infra).
    found = whitespace(kaito, "kaito", as_of=date(2026, 1, 1))

    assert [w.department_id for w in found] == ["kl-ops", "k-fin", "k-infra"]
    ops, fin, infra = found
    # kl-ops: log10(801) + (1 + (365 − 180)/365) [Rival WMS ends in 180 days] + 2 [Mika
    # knows 小林 大輔] = 2.9036 + 1.5068 + 2
    assert ops.priority == pytest.approx(math.log10(801) + 1 + 185 / 365 + 2)
    assert ops.has_contact
    assert [s.id for s in ops.competitor_systems] == ["s-wms"]
    assert ops.reasons == (
        "no system or open/won opportunity of ours",
        "headcount 800",
        "competitor contract Rival WMS (Rival Corp) ends 2026-06-30, in 180 days",
        "warm contact: Mika Tanaka knows 小林 大輔 (0.50)",
    )
    # k-fin: the ERP ends 2027-03-31, 454 days away: past the horizon, headcount only.
    assert fin.priority == pytest.approx(math.log10(61))
    assert not fin.has_contact
    assert [s.id for s in fin.competitor_systems] == ["s-erp"]
    assert infra.priority == pytest.approx(math.log10(31))
    assert [s.id for s in infra.competitor_systems] == ["s-groupware"]


def test_kaito_whitespace_by_category(kaito: Projection) -> None:
    # For HR, k-hr's OPEN HR opportunity is a footprint; for CRM, our CRM in k-it is, but
    # k-hr's HR opportunity is not, so k-hr is CRM whitespace. Only CRM systems are listed.
    hr = {
        w.department_id for w in whitespace(kaito, "kaito", as_of=date(2026, 1, 1), category="hr")
    }
    crm = whitespace(kaito, "kaito", as_of=date(2026, 1, 1), category="CRM")

    assert hr == {"k-it", "k-infra", "k-fin", "kl-ops"}
    assert {w.department_id for w in crm} == {"k-infra", "k-fin", "k-hr", "kl-ops"}
    assert all(w.competitor_systems == () for w in crm)
    # k-hr: Ken knows 中村 優 (0.6): warm, 40 staff: log10(41) + 2.
    k_hr = next(w for w in crm if w.department_id == "k-hr")
    assert k_hr.has_contact
    assert k_hr.priority == pytest.approx(math.log10(41) + 2)


def test_whitespace_footprint_rules_by_status() -> None:
    # A RETIRING system of ours and a LOST opportunity are no footprint; a PILOT of ours is.
    graph = project(
        document(
            organizations=[org("us", "Us", OrganizationKind.SELF), org("o", "O")],
            departments=[dept("d1", "o"), dept("d2", "o"), dept("d3", "o")],
            systems=[
                system("ours-old", "o", ours=True, department_ids=["d1"], status="RETIRING"),
                system("ours-pilot", "o", ours=True, department_ids=["d2"], status="PILOT"),
            ],
            opportunities=[opportunity("lost", "o", department_id="d3", status="LOST")],
        )
    )

    assert {w.department_id for w in whitespace(graph, "o", as_of=date(2026, 1, 1))} == {"d1", "d3"}


# --- powerMap --------------------------------------------------------------------------


def test_power_map_hidden_influencer_on_a_hand_built_team() -> None:
    # Given a boss b, a manager m (MANAGER, rank 2) and four staff s1..s4 who report to m,
    # m reporting to b; the boss listens to s1 (s1 INFLUENCES b, 1.0). Listens-to edges:
    # s1..s4 → m, m → b, b → s1. s2..s4 only get the teleport share.
    graph = project(
        document(
            organizations=[org("o", "O")],
            people=[
                person("b", "o", "Boss", seniority="EXECUTIVE"),
                person("m", "o", "Manager", seniority="MANAGER"),
                *(person(f"s{i}", "o", f"Staff {i}", seniority="STAFF") for i in range(1, 5)),
            ],
            relationships=[
                reports_to("m", "b"),
                *(reports_to(f"s{i}", "m") for i in range(1, 5)),
                influences("s1", "b", 1.0),
            ],
        )
    )

    scores = {s.person_id: s for s in power_map(graph, "o")}

    # PageRank of the chain s* → m → b → s1 → m: m collects four staff and s1's whole rank,
    # b all of m's, s1 all of b's: m > b > s1 > s2 = s3 = s4.
    order = [s.person_id for s in power_map(graph, "o")]
    assert order[:3] == ["m", "b", "s1"]
    assert scores["m"].influence == 1.0
    assert scores["s2"].influence == scores["s3"].influence == scores["s4"].influence
    # top 20 % of 6 people = the first 2 (m and b): the manager (rank 2) is the hidden
    # influencer; s1 (3rd) is not.
    assert [p for p, s in scores.items() if s.hidden_influencer] == ["m"]
    assert scores["b"].formal_rank == 5
    assert scores["m"].formal_rank == 2
    # brokerage: m lies on every shortest path between the staff and b (and between staff
    # pairs); s1's INFLUENCES edge to b gives s1–b a shortcut, so paths s1…b avoid m.
    assert scores["m"].brokerage == max(s.brokerage for s in scores.values())
    assert scores["s2"].brokerage == 0.0


def test_a_tie_straddling_the_top_20_percent_is_left_out() -> None:
    # Given a boss and nine staff who all report to the boss and to whom nobody listens:
    # the boss collects all the rank, the nine staff share one base value.
    graph = project(
        document(
            organizations=[org("o", "O")],
            people=[
                person("b", "o", "Boss", seniority="EXECUTIVE"),
                *(person(f"s{i}", "o", f"Staff {i}", seniority="STAFF") for i in range(9)),
            ],
            relationships=[reports_to(f"s{i}", "b") for i in range(9)],
        )
    )

    scores = power_map(graph, "o")

    # The top 20 % of 10 people is 2 places; the boss takes one, and the nine tied staff
    # cannot share the other: none of them is a hidden influencer.
    assert scores[0].person_id == "b"
    assert len({s.influence for s in scores[1:]}) == 1
    assert not any(s.hidden_influencer for s in scores)


def test_kaito_power_map(kaito: Projection) -> None:
    # 8 people in kaito's group. The CEO–CFO pair is the sink of the listens-to graph: the
    # CFO reports to the CEO (0.7) and the CEO listens to the CFO (INFLUENCES 0.5), and
    # everyone's reporting lines end there: the CEO has influence 1, the CFO next. The
    # engineer's influence on the CIO (0.95) makes him the most influential STAFF person,
    # but 5th of 8: outside the top 20 % (2 people), so Kaito has no hidden influencer.
    scores = power_map(kaito, "kaito")

    assert [s.person_id for s in scores[:2]] == ["p-ceo", "p-cfo"]
    assert scores[0].influence == 1.0
    assert len(scores) == 8
    by_id = {s.person_id: s for s in scores}
    assert by_id["p-eng"].influence > by_id["p-pm"].influence
    assert by_id["p-eng"].influence > by_id["p-hr"].influence
    assert not any(s.hidden_influencer for s in scores)
    assert by_id["p-log"].brokerage == 0.0  # isolated within the scope
    assert by_id["p-eng"].formal_rank == 1
    assert by_id["p-log"].formal_rank == 5


def test_power_map_without_listens_to_edges_has_no_influence() -> None:
    graph = project(document(organizations=[org("o", "O")], people=[person("x", "o")]))

    [only] = power_map(graph, "o")

    # Nobody listens to anybody: no evidence of influence, so 0 and no hidden influencer.
    assert only.formal_rank == 0
    assert only.influence == 0.0
    assert not only.hidden_influencer


def test_power_map_compiled_betweenness_agrees_with_networkx() -> None:
    import networkx as nx

    from graphsvc.analytics.centrality import betweenness, betweenness_reference

    g = nx.gnm_random_graph(150, 400, seed=7)
    nodes = [f"n{i}" for i in g]
    edges = [(f"n{a}", f"n{b}") for a, b in g.edges]

    fast, reference = betweenness(edges, nodes), betweenness_reference(edges, nodes)

    assert fast == pytest.approx(reference, abs=1e-12)


# --- coverage --------------------------------------------------------------------------


def test_kaito_coverage(kaito: Projection) -> None:
    # Threads into kaito's group: Ken–高橋 誠 (2026-10-20), Ken–中村 優 (no date),
    # Mika–小林 大輔 (2025-01-15). As of 2026-11-01 with 90 days: two stale, two threads.
    result = coverage(kaito, "kaito", as_of=date(2026, 11, 1))

    assert not result.single_threaded
    assert result.stale_relationships == 2
    rows = {(c.right.person_id, c.right.role): c for c in result.decision_makers}
    assert rows["p-itdir", BuyingRole.DECISION_MAKER].direct_contact
    assert rows["p-itdir", BuyingRole.DECISION_MAKER].best_route_score == pytest.approx(0.9)
    assert not rows["p-cio", BuyingRole.ECONOMIC_BUYER].direct_contact
    assert rows["p-cio", BuyingRole.ECONOMIC_BUYER].best_route_score == pytest.approx(0.684)
    assert rows["p-log", BuyingRole.ECONOMIC_BUYER].best_route_score == pytest.approx(0.5)
    assert next(c.right.person_id for c in result.decision_makers) == "p-cio"


def test_kaito_coverage_without_subsidiaries_is_single_threaded(kaito: Projection) -> None:
    # Only Ken's two contacts remain; the last contact with 高橋 誠 was 12 days before asOf.
    result = coverage(kaito, "kaito", include_subsidiaries=False, as_of=date(2026, 11, 1))

    assert result.single_threaded
    assert result.stale_relationships == 1


def test_coverage_stale_boundary_and_unreachable_holder() -> None:
    graph = project(
        document(
            organizations=[org("us", "Us", OrganizationKind.SELF), org("o", "O")],
            people=[person("u", "us"), person("a", "o"), person("b", "o"), person("z", "o")],
            relationships=[
                knows("u", "a", last_contact_on="2026-01-01"),  # exactly 90 days: fresh
                knows("u", "b", last_contact_on="2025-12-31"),  # 91 days: stale
            ],
            decision_rights=[right("z", "o", "IT", "ECONOMIC_BUYER")],
        )
    )

    result = coverage(graph, "o", as_of=date(2026, 4, 1))

    assert result.stale_relationships == 1
    assert result.single_threaded
    [z] = result.decision_makers
    assert not z.direct_contact
    assert z.best_route_score is None


def test_coverage_without_any_thread_is_not_single_threaded() -> None:
    graph = project(document(organizations=[org("us", "Us", "SELF"), org("o", "O")]))

    assert not coverage(graph, "o", as_of=date(2026, 1, 1)).single_threaded
    with pytest.raises(InvalidInput):
        coverage(graph, "o", as_of=date(2026, 1, 1), stale_after_days=-1)


# --- displacementWindows ---------------------------------------------------------------


def test_kaito_displacement_windows(kaito: Projection) -> None:
    # Non-ours systems ending 2026-01-01 … 2026-12-31: Rival WMS (06-30, kaito-log) and
    # Legacy HR (12-31, RETIRING still counts); the ERP (2027-03-31) is outside.
    assert [s.id for s in displacement_windows(kaito, "kaito", as_of=date(2026, 1, 1))] == [
        "s-wms",
        "s-hr",
    ]
    assert [
        s.id
        for s in displacement_windows(
            kaito, "kaito", as_of=date(2026, 1, 1), include_subsidiaries=False
        )
    ] == ["s-hr"]


def test_displacement_window_bounds_are_inclusive(kaito: Projection) -> None:
    # From the WMS end date to the HR end date exactly: 184 days.
    found = displacement_windows(kaito, "kaito", as_of=date(2026, 6, 30), within_days=184)

    assert [s.id for s in found] == ["s-wms", "s-hr"]
    assert displacement_windows(kaito, "kaito", as_of=date(2026, 7, 1), within_days=0) == []
    with pytest.raises(InvalidInput):
        displacement_windows(kaito, "kaito", as_of=date(2026, 1, 1), within_days=-1)
