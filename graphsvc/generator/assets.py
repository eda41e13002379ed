"""Installed systems and opportunities of one account company.

Each top department runs its function's systems (IT: security, ITSM, BI; Sales: SFA, CRM
…), the company shares an ERP and a collaboration suite, and some departments of large
companies run local tools. About one in six systems in a category we sell is ours. Contract
ends spread over the four years after the generated world's today.

Opportunities have a history (CONTRACT §7): each deal started in PROSPECTING or
QUALIFICATION, moved on stage by stage (now and then skipping one) with one to seven weeks
per stage, and is open (a funnel: most deals early, about one in four stuck in its stage for
six weeks to five months), won from PROPOSAL or NEGOTIATION, or lost on the way. Every deal
is owned by one of our account executives, has a close date (past for closed deals), the
exit criteria of its stage and sometimes a probability of its own.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from typing import Any

from graphsvc.domain.pipeline import DEFAULT_STAGES
from graphsvc.generator.group import GroupPlan, OrgPlan, money, seeded
from graphsvc.generator.links import Emit
from graphsvc.generator.ours import Team
from graphsvc.generator.roster import Roster, Unit
from graphsvc.generator.vocab import (
    ANNUAL_VALUE,
    LOST_STAGE_WEIGHTS,
    OPEN_STAGE_WEIGHTS,
    OPPORTUNITY_STAGES,
    OUR_PRODUCTS,
    OUR_VENDOR,
    SHARED_SYSTEMS,
    STAGE_CRITERIA,
    VENDORS,
)

__all__ = ["opportunities", "systems"]

_DEFAULT_ODDS = {stage.name: stage.probability for stage in DEFAULT_STAGES}

STATUSES = ((0.80, "ACTIVE"), (0.88, "PILOT"), (1.0, "RETIRING"))


def systems(plan: GroupPlan, org: OrgPlan, roster: Roster, emit: Emit) -> None:
    """The systems ``org`` runs, each used by one or more of its departments."""
    rng = seeded(plan.seed, org.id, "systems")
    scale = math.sqrt(max(roster.employees, 50) / 1000)
    count = 0

    def install(category: str, departments: list[str]) -> None:
        nonlocal count
        count += 1
        record: dict[str, Any]
        if category in OUR_PRODUCTS and rng.random() < 0.18:
            record = {"id": f"{org.id}-s{count}", "name": OUR_PRODUCTS[category]}
            record.update(vendor=OUR_VENDOR, category=category, ours=True)
        else:
            vendor, product = rng.choice(VENDORS[category])
            record = {"id": f"{org.id}-s{count}", "name": product}
            record.update(vendor=vendor, category=category, ours=False)
        record["organizationId"] = org.id
        record["departmentIds"] = departments
        if rng.random() < 0.92:
            ends = plan.today + timedelta(days=rng.randrange(0, 4 * 365))
            record["contractEndsOn"] = ends.isoformat()
        value = ANNUAL_VALUE[category] * scale * rng.uniform(0.6, 1.4)
        record["annualValue"] = money(value, plan)
        record["status"] = _status(rng)
        emit(record)

    for category, functions in SHARED_SYSTEMS:
        users = [u.id for u in roster.tops if u.function.key in functions]
        if users:
            install(category, users)
    for top in roster.tops:
        for category in top.function.categories:
            if rng.random() < 0.75:
                extra = [c.id for c in top.children if rng.random() < 0.3]
                install(category, [top.id, *extra])
        for child in top.children:
            if top.function.categories and child.budget >= 40 and rng.random() < 0.15:
                install(rng.choice(top.function.categories), [child.id])


def _status(rng: random.Random) -> str:
    roll = rng.random()
    return next(status for threshold, status in STATUSES if roll < threshold)


def opportunities(plan: GroupPlan, team: Team, org: OrgPlan, roster: Roster, emit: Emit) -> None:
    """Our pipeline at ``org``: several deals in covered accounts, rarely one elsewhere."""
    rng = seeded(plan.seed, org.id, "opportunities")
    if org.covered:
        count = rng.randint(3, 6 + min(10, org.size // 1500))
    else:
        count = 1 if rng.random() < 0.2 else 0
    candidates: list[Unit] = [u for u in roster.units if u.rank <= 1]
    scale = math.sqrt(max(roster.employees, 50) / 1000)
    owners = team.account_executives or team.executives
    for n in range(1, count + 1):
        category = rng.choice(sorted(OUR_PRODUCTS))
        unit = rng.choice(candidates)
        name = plan.locale.opportunity_format.format(product=OUR_PRODUCTS[category])
        amount = ANNUAL_VALUE[category] * scale * rng.uniform(0.5, 3.0)
        record: dict[str, Any] = {
            "id": f"{org.id}-o{n}",
            "name": f"{name} ({unit.name})",
            "organizationId": org.id,
            "departmentId": unit.id,
            "category": category,
            "amount": money(amount, plan),
            "ownerId": rng.choice(owners),
        }
        record.update(_history(plan, rng))
        emit(record)


def _history(plan: GroupPlan, rng: random.Random) -> dict[str, Any]:
    """A deal's status, stage, stage history, close date, criteria and odds."""
    roll = rng.random()
    status = "OPEN" if roll < 0.6 else "WON" if roll < 0.8 else "LOST"
    if status == "OPEN":
        final = rng.choices(range(len(OPPORTUNITY_STAGES)), OPEN_STAGE_WEIGHTS)[0]
    elif status == "WON":
        final = 4 if rng.random() < 0.7 else 3
    else:
        final = rng.choices(range(len(OPPORTUNITY_STAGES)), LOST_STAGE_WEIGHTS)[0]
    start = min(final, 0 if rng.random() < 0.7 else 1)
    path = [start]
    for step in range(start + 1, final + 1):
        if step < final and rng.random() < 0.12:
            continue  # a stage skipped: the deal was further along than it looked
        path.append(step)
    # Dates run backwards from the day the deal entered its last stage.
    if status == "OPEN":
        stuck = rng.random() < 0.25
        in_last = rng.randint(45, 150) if stuck else rng.randint(1, 28)
        closes = plan.today + timedelta(days=rng.randint(20, 200))
    else:
        in_last = rng.randint(7, 40)
        closes = plan.today - timedelta(days=rng.randint(5, 300))
    entered = (closes if status != "OPEN" else plan.today) - timedelta(days=in_last)
    days = [entered]
    for _ in path[:-1]:
        days.append(days[-1] - timedelta(days=rng.randint(7, 49)))
    days.reverse()
    stage = OPPORTUNITY_STAGES[final]
    fields: dict[str, Any] = {
        "stage": stage,
        "status": status,
        "closeDate": closes.isoformat(),
        "stageHistory": [
            {"stage": OPPORTUNITY_STAGES[s], "enteredOn": d.isoformat()}
            for s, d in zip(path, days, strict=True)
        ],
    }
    if status == "OPEN":
        fields["criteria"] = [
            {"name": criterion, "met": rng.random() < 0.5} for criterion in STAGE_CRITERIA[stage]
        ]
        if rng.random() < 0.3:  # the owner's own judgement, near the stage's default
            odds = _DEFAULT_ODDS[stage] + rng.uniform(-0.05, 0.15)
            fields["probability"] = round(min(0.95, max(0.01, odds)), 2)
    return fields
