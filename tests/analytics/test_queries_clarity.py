"""The analytics that used to mislead (issue 10), as pure functions on tiny graphs: what
whitespace says about a RETIRING system of ours, unknown filters, our own organization;
coverage's status, single thread and stale contacts; decision areas; displacement filters."""

from __future__ import annotations

from datetime import date

import pytest

from graphsvc.analytics import (
    CoverageStatus,
    DecisionAreaSummary,
    contact_routes,
    coverage,
    days_left,
    decision_areas,
    decision_makers,
    displacement_windows,
    whitespace,
)
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.routes import DecisionArea
from graphsvc.analytics.vocabulary import KNOWN_SHOWN, require_known
from graphsvc.domain.enums import OrganizationKind
from graphsvc.errors import InvalidInput
from tests.analytics.conftest import project
from tests.factories import dept, document, knows, opportunity, org, person, right, system

DAY = date(2026, 1, 1)


def test_whitespace_names_each_system_of_ours_that_does_not_count() -> None:
    graph = project(
        document(
            organizations=[org("us", "Us", OrganizationKind.SELF), org("o", "O")],
            departments=[dept("d1", "o"), dept("d2", "o")],
            systems=[
                system(
                    "a",
                    "o",
                    "CRM",
                    name="Nexa A",
                    ours=True,
                    department_ids=["d1"],
                    status="RETIRING",
                ),
                system(
                    "b",
                    "o",
                    "ERP",
                    name="Nexa B",
                    ours=True,
                    department_ids=["d1"],
                    status="RETIRING",
                ),
            ],
            opportunities=[opportunity("lost", "o", department_id="d2", status="LOST")],
        )
    )

    found = {w.department_id: w.reasons[0] for w in whitespace(graph, "o", as_of=DAY)}
    crm = {
        w.department_id: w.reasons[0] for w in whitespace(graph, "o", as_of=DAY, category=" crm ")
    }

    assert found == {
        "d1": "our system Nexa A is RETIRING, our system Nexa B is RETIRING; "
        "no open or won opportunity",
        "d2": "no system or open/won opportunity of ours",
    }
    # With a category only that category's systems are named; the label is trimmed.
    assert crm["d1"] == "our system Nexa A is RETIRING; no open or won opportunity in crm"


def test_whitespace_refuses_unknown_categories_and_treats_blank_as_none(
    kaito: Projection,
) -> None:
    with pytest.raises(InvalidInput, match=r'^category "Payroll" is not the category of any'):
        whitespace(kaito, "kaito", as_of=DAY, category="Payroll")

    blank = whitespace(kaito, "kaito", as_of=DAY, category="  ")
    assert blank == whitespace(kaito, "kaito", as_of=DAY)
    assert blank[0].reasons[0] == "no system or open/won opportunity of ours"


def test_whitespace_of_self_is_refused_and_a_self_subsidiary_is_left_out() -> None:
    graph = project(
        document(
            organizations=[
                org("group", "Group"),
                org("us", "Us", OrganizationKind.SELF, parent_id="group"),
            ],
            departments=[dept("g-it", "group"), dept("us-sales", "us")],
            people=[person("u1", "us", department_id="us-sales"), person("u2", "us")],
            relationships=[knows("u1", "u2")],
        )
    )

    with pytest.raises(InvalidInput, match=r"^organization us \(Us\) is our own \(SELF\)"):
        whitespace(graph, "us", as_of=DAY)
    assert [w.department_id for w in whitespace(graph, "group", as_of=DAY)] == ["g-it"]


def test_coverage_status_single_thread_and_stale_contacts() -> None:
    graph = project(
        document(
            organizations=[org("us", "Us", OrganizationKind.SELF), org("o", "O"), org("n", "N")],
            people=[
                person("u1", "us"),
                person("u2", "us"),
                person("a", "o"),
                person("b", "o"),
                person("c", "o"),
                person("x", "n"),
            ],
            relationships=[
                knows("u1", "a", last_contact_on="2025-12-01"),  # 31 days: fresh
                knows("u1", "b", last_contact_on="2025-06-01"),  # 214 days: stale
                knows("u1", "c"),  # never: stale, listed first
            ],
        )
    )

    single = coverage(graph, "o", as_of=DAY)
    nobody = coverage(graph, "n", as_of=DAY)

    assert single.status is CoverageStatus.SINGLE_THREADED
    assert single.single_threaded
    assert (single.contacts, single.single_thread) == (3, "u1")
    assert [(s.ours, s.theirs, s.last_contact_on, s.days_since_contact) for s in single.stale] == [
        ("u1", "c", None, None),
        ("u1", "b", date(2025, 6, 1), 214),
    ]
    assert single.stale_relationships == 2
    assert nobody.status is CoverageStatus.NO_CONTACT
    assert (nobody.contacts, nobody.single_thread, nobody.single_threaded) == (0, None, False)
    assert nobody.stale == ()


def test_kaito_coverage_is_multi_threaded(kaito: Projection) -> None:
    result = coverage(kaito, "kaito", as_of=date(2026, 11, 1))

    assert result.status is CoverageStatus.MULTI_THREADED
    assert result.single_thread is None
    assert result.contacts == 3
    assert [(s.ours, s.theirs) for s in result.stale] == [("ae-1", "p-hr"), ("ae-2", "p-log")]


def test_decision_areas_match_trimmed_on_both_sides_and_are_listed() -> None:
    graph = project(
        document(
            organizations=[org("us", "Us", OrganizationKind.SELF), org("o", "O")],
            people=[person("u", "us"), person("a", "o"), person("b", "o"), person("c", "o")],
            relationships=[knows("u", "a")],
            decision_rights=[
                right("a", "o", "IT ", "ECONOMIC_BUYER"),
                right("b", "o", " it", "DECISION_MAKER"),
                right("b", "o", "it", "APPROVER"),
                right("c", "o", "Finance", "ECONOMIC_BUYER"),
            ],
        )
    )

    assert [r.person_id for r in decision_makers(graph, "o", area="  It  ")] == ["a", "b", "b"]
    assert len(decision_makers(graph, "o", area=" ")) == 4  # blank: no filter
    assert decision_areas(graph, "o") == [
        DecisionAreaSummary("Finance", 1, 1),
        DecisionAreaSummary("it", 3, 2),  # "it" twice (trimmed), "IT" once
    ]
    routes = contact_routes(graph, decision_area=DecisionArea("o", " IT"), k=5)
    assert {r.people[-1] for r in routes} == {"a"}
    with pytest.raises(InvalidInput, match="area must not be blank"):
        contact_routes(graph, decision_area=DecisionArea("o", "  "))


def test_displacement_windows_by_category_and_vendor(kaito: Projection) -> None:
    def ids(**filters: str) -> list[str]:
        return [s.id for s in displacement_windows(kaito, "kaito", as_of=DAY, **filters)]

    assert ids(category=" HR") == ["s-hr"]
    assert ids(vendor="RIVAL CORP") == ["s-wms"]
    assert ids(vendor="oldsoft", category="hr") == ["s-hr"]
    assert ids(vendor="Rival Corp", category="HR") == []
    assert ids(vendor=" ", category="") == ["s-wms", "s-hr"]
    with pytest.raises(InvalidInput, match=r'^vendor "Oracle" is not the vendor of any system'):
        ids(vendor="Oracle")
    with pytest.raises(InvalidInput, match=r'^category "CMR" is not'):
        ids(category="CMR")


def test_days_left_counts_from_the_day(kaito: Projection) -> None:
    wms = kaito.systems["s-wms"]

    assert days_left(wms, DAY) == 180
    assert days_left(wms, date(2026, 6, 30)) == 0
    assert days_left(wms, date(2026, 7, 2)) == -2
    assert days_left(kaito.systems["s-groupware"], DAY) is None


def test_require_known_lists_a_capped_number_of_known_values() -> None:
    known = [f"v{i:02}" for i in range(KNOWN_SHOWN + 3)] + ["V00 ", ""]

    assert require_known("vendor", " V01", known, "of any system") == "v01"
    with pytest.raises(InvalidInput) as refused:
        require_known("vendor", "nope", known, "of any system")
    assert refused.value.message.endswith(f"v{KNOWN_SHOWN - 1:02} and 3 more")
    assert refused.value.message.casefold().count("v00") == 1  # one spelling per value
    with pytest.raises(InvalidInput, match=r"known: none$"):
        require_known("vendor", "x", [], "of any system")
