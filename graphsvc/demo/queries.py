"""Queries to try on the demo group, printed by ``graphsvc demo`` and run by its tests.

Each names records by the ids the generator gives the demo group: ``org1`` is the holding
company and ``org1-cio`` its CIO (executives' ids are ``<org>-<title>``). The tests run
every query against the demo data and require a non-empty answer, so the list cannot rot.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.demo.dataset import DEMO_TODAY

__all__ = ["EXAMPLE_QUERIES", "ExampleQuery"]


@dataclass(frozen=True)
class ExampleQuery:
    """A titled GraphQL query and the top-level field that must come back non-empty."""

    title: str
    query: str
    field: str


EXAMPLE_QUERIES: tuple[ExampleQuery, ...] = (
    ExampleQuery(
        "The CIO of the holding: manager, direct reports, dotted lines and buying roles",
        """{
  person(id: "org1-cio") {
    name title seniority stance
    manager { name title }
    reports { name title seniority }
    dottedManagers { name title organization { name } }
    decisionRights { area role scopeId budgetLimit }
  }
}""",
        "person",
    ),
    ExampleQuery(
        "Champions and blockers across the whole group",
        """{
  people(filter: {organizationId: "org1", includeSubsidiaries: true,
                  stance: [CHAMPION, BLOCKER]}, first: 20) {
    totalCount
    edges { node { name title stance organization { name } department { name } } }
  }
}""",
        "people",
    ),
    ExampleQuery(
        "The holding's subsidiaries and affiliates with the systems they run",
        """{
  organization(id: "org1") {
    name
    subsidiaries {
      name parentRelation ownership
      systems { name vendor category ours contractEndsOn status }
    }
  }
}""",
        "organization",
    ),
    # Analytic queries (CONTRACT §4-5). Add more here; the demo prints every entry and the
    # tests run them all against the demo data.
    ExampleQuery(
        "Three different ways in to whoever decides on IT at the holding",
        """{
  contactRoutes(decisionArea: {organizationId: "org1", area: "IT"}, k: 3, distinctEntry: true) {
    score explanation
    entryPoint { name title }
    targetRight { role area }
    weakestLink { from { name } to { name } type strength }
  }
}""",
        "contactRoutes",
    ),
    ExampleQuery(
        "Competitors' contracts in the group ending within six months of the demo's today",
        f"""{{
  displacementWindows(organizationId: "org1", withinDays: 180, asOf: "{DEMO_TODAY.isoformat()}") {{
    name vendor category contractEndsOn daysLeft annualValue organization {{ name }}
  }}
}}""",
        "displacementWindows",
    ),
    ExampleQuery(
        "The group's pipeline on the demo's today: value by stage, stalled deals, the bottleneck",
        f"""{{
  pipeline(organizationId: "org1", asOf: "{DEMO_TODAY.isoformat()}") {{
    stages {{ stage count amount weightedAmount medianDaysInStage conversionRate }}
    stalled {{ opportunity {{ name organization {{ name }} owner {{ name }} }} stage daysInStage }}
    bottleneck
  }}
}}""",
        "pipeline",
    ),
)
"""What ``graphsvc demo`` suggests, in order."""
