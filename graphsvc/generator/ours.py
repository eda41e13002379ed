"""Our own company (the SELF organization): a small account team that starts every route.

Account executives own accounts, BDRs prospect into staff and managers, solutions engineers
talk to IT, and a few executives sponsor the largest accounts. ``Team`` keeps the ids of
each role so that the relationship section can wire our people into the accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.generator.group import GroupPlan, OrgPlan, seeded
from graphsvc.generator.roster import Member, Roster, Unit
from graphsvc.generator.vocab import FUNCTION_BY_KEY

__all__ = ["SELF_ID", "Team", "build_team", "self_plan"]

SELF_ID = "nexa"


@dataclass
class Team:
    """Our company's roster and who plays which role in it."""

    roster: Roster
    executives: list[str]
    account_executives: list[str]
    bdrs: list[str]
    engineers: list[str]


def self_plan(plan: GroupPlan) -> OrgPlan:
    """The SELF organization as an ``OrgPlan`` (outside the group, never covered)."""
    return OrgPlan(
        index=-1,
        id=SELF_ID,
        name=plan.locale.self_name,
        size=plan.self_size,
        depth=0,
        parent=None,
        relation=None,
        ownership=None,
        industry="Software",
        kind="SELF",
        covered=False,
    )


def build_team(plan: GroupPlan) -> Team:
    """Our team of ``plan.self_size`` people: 3 executives, 3 directors, and the sellers."""
    locale, size = plan.locale, plan.self_size
    rng = seeded(plan.seed, SELF_ID, "people")
    sales = FUNCTION_BY_KEY["Sales"]
    division_name, *team_names = locale.self_units
    division = Unit(f"{SELF_ID}-d1", division_name, division_name, sales, 0, size - 2, None)
    teams = [
        Unit(f"{SELF_ID}-d{i}", name, name, sales, 1, 0, division)
        for i, name in enumerate(team_names, start=2)
    ]
    division.children = teams
    sellers = size - 6
    shares = [max(1, round(sellers * 0.45)), max(1, round(sellers * 0.3))]
    counts = [*shares, max(1, sellers - sum(shares))]
    for team, count in zip(teams, counts, strict=True):
        team.budget = count + 1
    division.budget = 1 + sum(t.budget for t in teams)
    roster = Roster(SELF_ID, [division, *teams], [division], 0)
    people = roster.people

    def person(pid: str, role: str, unit: Unit | None, seniority: str, manager: int) -> int:
        name = locale.name_format.format(
            family=rng.choice(locale.family_names), given=rng.choice(locale.given_names)
        )
        title = locale.self_titles.get(role) or locale.head_title[1].format(
            unit=unit.name if unit else "", stem=unit.stem if unit else ""
        )
        people.append(Member(pid, name, title, unit, seniority, "UNKNOWN", manager))
        if unit is not None:
            unit.members.append(len(people) - 1)
        return len(people) - 1

    person(f"{SELF_ID}-ceo", "CEO", None, "EXECUTIVE", -1)
    division.head = person(f"{SELF_ID}-cro", "CRO", division, "EXECUTIVE", 0)
    person(f"{SELF_ID}-cto", "CTO", None, "EXECUTIVE", 0)
    for team in teams:
        team.head = person(f"{SELF_ID}-p{len(people)}", "", team, "DIRECTOR", division.head)
    roles: list[list[str]] = [[], [], []]
    for team, count, role, ids in zip(teams, counts, ("AE", "BDR", "SE"), roles, strict=True):
        for _ in range(count):
            ids.append(
                people[person(f"{SELF_ID}-p{len(people)}", role, team, "STAFF", team.head)].id
            )
    for unit in roster.units:
        unit.headcount = len(unit.members) + sum(len(c.members) for c in unit.children)
    roster.employees = len(people)
    return Team(roster, [f"{SELF_ID}-ceo", f"{SELF_ID}-cro", f"{SELF_ID}-cto"], *roles)
