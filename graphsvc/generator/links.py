"""Relationships and decision rights of one account company, emitted record by record.

Duplicates are impossible by construction rather than filtered through a set that would
grow with the company: colleagues only pick someone *earlier* in their unit, heads only an
earlier head, each person makes at most one informal-influence and one dotted-line pick,
and the few cross-company links (our team, the parent's executives) are deduplicated in
small per-company sets.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from graphsvc.generator.group import GroupPlan, OrgPlan, money, seeded
from graphsvc.generator.ours import Team
from graphsvc.generator.roster import LARGE_COMPANY, Roster

__all__ = ["Emit", "account_relationships", "decision_rights", "hidden_influencers"]

Emit = Callable[[dict[str, Any]], None]
"""Where records go: the streaming document writer."""


def hidden_influencers(plan: GroupPlan, org: OrgPlan, roster: Roster) -> list[int]:
    """Staff and managers whose informal influence on the executives is high.

    Drawn from their own random stream, so that relationships and decision rights agree.
    """
    rng = seeded(plan.seed, org.id, "hidden")
    people = roster.people
    want = min(1 + len(people) // 400, 50)
    found: list[int] = []
    for _ in range(want * 20):
        if len(found) == want:
            break
        i = rng.randrange(1, len(people))
        if people[i].seniority in ("STAFF", "MANAGER") and i not in found:
            found.append(i)
    return found


def _last_contact(rng: random.Random, today: date, missing: float) -> str | None:
    """A last contact: missing, recent (within 90 days) or stale (up to two years ago)."""
    roll = rng.random()
    if roll < missing:
        return None
    days = rng.randrange(0, 91) if roll < missing + (1 - missing) * 0.6 else rng.randrange(91, 721)
    return (today - timedelta(days=days)).isoformat()


def _edge(kind: str, a: str, b: str, strength: float | None, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"type": kind, "from": a, "to": b}
    if strength is not None:
        record["strength"] = round(strength, 2)
    record.update((k, v) for k, v in extra.items() if v is not None)
    return record


def parent_executives(org: OrgPlan, parent: Roster | None) -> list[str]:
    """Ids of the parent company's CEO and C-level executives (empty without a parent)."""
    if parent is None:
        return []
    return [
        f"{parent.org_id}-ceo",
        *(f"{parent.org_id}-{u.chief.lower()}" for u in parent.tops if u.chief),
    ]


def account_relationships(
    plan: GroupPlan, team: Team, org: OrgPlan, roster: Roster, parent: Roster | None, emit: Emit
) -> None:
    """Every relationship with at least one end in ``org`` that ``org``'s section owns."""
    rng = seeded(plan.seed, org.id, "relationships")
    rand, choice, randrange, uniform = rng.random, rng.choice, rng.randrange, rng.uniform
    people = roster.people
    ids = [p.id for p in people]

    # Colleagues know earlier colleagues of their unit; heads know earlier heads.
    for unit in roster.units:
        members = unit.members
        for pos in range(1, len(members)):
            picked: set[int] = set()
            for _ in range(2):
                if rand() < 0.6:
                    j = members[randrange(pos)]
                    if j not in picked:
                        picked.add(j)
                        strength = uniform(0.3, 0.9) if rand() < 0.85 else None
                        last = _last_contact(rng, plan.today, 0.8)
                        emit(
                            _edge("KNOWS", ids[members[pos]], ids[j], strength, lastContactOn=last)
                        )
    heads = roster.heads
    for pos in range(1, len(heads)):
        if rand() < 0.5:
            strength = uniform(0.3, 0.9) if rand() < 0.85 else None
            emit(_edge("KNOWS", ids[heads[pos]], ids[heads[randrange(pos)]], strength))

    # Informal influence: hidden influencers on executives, others on their skip-level.
    hidden = hidden_influencers(plan, org, roster)
    leaders = [*roster.executives, *(u.head for u in roster.tops if not u.chief)]
    for h in hidden:
        for t in rng.sample(leaders, min(3, len(leaders))):
            if t != h:
                emit(_edge("INFLUENCES", ids[h], ids[t], uniform(0.8, 0.95)))
    hidden_set = set(hidden)
    for i in range(1, len(people)):
        if rand() < 0.08 and i not in hidden_set:
            manager = people[i].manager
            target = people[manager].manager if people[manager].manager >= 0 else manager
            strength = uniform(0.3, 0.8) if rand() < 0.9 else None
            emit(_edge("INFLUENCES", ids[i], ids[target], strength))

    # Dotted lines to another function's top head (never the solid-line manager).
    for unit in roster.units:
        if unit.parent is not None and rand() < 0.06:
            others = [u.head for u in roster.tops if u.function is not unit.function]
            target = choice(others) if others else -1
            if target >= 0 and target != people[unit.head].manager:
                emit(_edge("REPORTS_TO", ids[unit.head], ids[target], None, dotted=True))

    # Across the group: executives know the parent's executives; the CEO has a dotted line.
    bosses = parent_executives(org, parent)
    if bosses:
        for i in roster.executives:
            if rand() < 0.6:
                emit(_edge("KNOWS", ids[i], choice(bosses), uniform(0.5, 0.9)))
        if org.relation == "SUBSIDIARY":
            emit(_edge("REPORTS_TO", ids[0], bosses[0], None, dotted=True))

    if org.covered:
        _our_contacts(plan, team, org, roster, rng, emit)


def _our_contacts(
    plan: GroupPlan, team: Team, org: OrgPlan, roster: Roster, rng: random.Random, emit: Emit
) -> None:
    """Our people who know people of ``org``: the owning AE always, others unless the
    account is single-threaded."""
    people, n = roster.people, len(roster.people)
    seen: set[tuple[str, str]] = set()

    def know(ours: str, i: int, low: float, high: float) -> None:
        if (ours, people[i].id) in seen:
            return
        seen.add((ours, people[i].id))
        strength = rng.uniform(low, high) if rng.random() < 0.9 else None
        last = _last_contact(rng, plan.today, 0.12)
        emit(_edge("KNOWS", ours, people[i].id, strength, lastContactOn=last))

    k = org.index
    ae = team.account_executives[k % len(team.account_executives)]
    heads = roster.heads
    for i in rng.sample(heads, min(len(heads), 2 + n // 150, 40)):
        know(ae, i, 0.4, 0.95)
    if rng.random() < 0.3:
        return  # single-threaded: only the account executive knows anyone there
    bdr = team.bdrs[k % len(team.bdrs)]
    for _ in range(min(n - 1, 2 + n // 100, 60)):
        know(bdr, rng.randrange(1, n), 0.2, 0.6)
    engineer = team.engineers[k % len(team.engineers)]
    it_people = [i for u in roster.units if u.function.key == "IT" for i in u.members]
    for i in rng.sample(it_people, min(len(it_people), 2 + n // 300, 30)):
        know(engineer, i, 0.3, 0.8)
    if org.depth == 0 or n >= 1000:
        know(rng.choice(team.executives), 0, 0.5, 0.8)


def team_relationships(plan: GroupPlan, team: Team, emit: Emit) -> None:
    """Inside our company: every account executive works with one BDR and one engineer."""
    rng = seeded(plan.seed, "nexa", "relationships")
    for n, ae in enumerate(team.account_executives):
        for partner in (team.bdrs[n % len(team.bdrs)], team.engineers[n % len(team.engineers)]):
            days = rng.randrange(0, 30)
            last = (plan.today - timedelta(days=days)).isoformat()
            emit(_edge("KNOWS", ae, partner, rng.uniform(0.7, 0.95), lastContactOn=last))


def decision_rights(plan: GroupPlan, org: OrgPlan, roster: Roster, emit: Emit) -> None:
    """Buying roles: functions' heads own their areas, Finance approves, Procurement buys."""
    rng = seeded(plan.seed, org.id, "rights")
    people = roster.people

    def grant(i: int, scope: str, area: str, role: str, budget: float | None = None) -> None:
        record: dict[str, Any] = {"personId": people[i].id, "scopeId": scope, "area": area}
        record["role"] = role
        if budget is not None:
            record["budgetLimit"] = money(budget, plan)
        emit(record)

    company_budget = roster.employees * rng.uniform(20_000, 60_000)
    for top in roster.tops:
        key, areas = top.function.key, top.function.areas
        for area in areas:
            grant(top.head, org.id, area, "ECONOMIC_BUYER", company_budget * rng.uniform(0.2, 1))
        for child in top.children:
            if areas and rng.random() < 0.7:
                budget = child.headcount * rng.uniform(50_000, 150_000)
                grant(child.head, child.id, areas[0], "DECISION_MAKER", budget)
        if key == "IT":
            for child in top.children:
                if rng.random() < 0.5:
                    grant(child.head, org.id, "IT", "TECHNICAL_EVALUATOR")
                if rng.random() < 0.3:
                    grant(child.head, org.id, "SFA", "TECHNICAL_EVALUATOR")
            if len(top.members) > 1:
                grant(rng.choice(top.members[1:]), org.id, "IT", "GATEKEEPER")
        elif key == "Finance":
            for area in ("IT", "SFA", "HR"):
                grant(top.head, org.id, area, "APPROVER")
        elif key == "Procurement":
            for area in ("IT", "SFA"):
                grant(top.head, org.id, area, "PROCUREMENT")
        elif key == "Sales":
            for i in top.members[1:4]:
                grant(i, top.id, "SFA", "USER")
    if len(people) >= LARGE_COMPANY:
        grant(0, org.id, "IT", "APPROVER")
    for i in hidden_influencers(plan, org, roster):
        grant(i, org.id, "IT", "INFLUENCER")
