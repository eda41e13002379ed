"""Installed systems and opportunities of one account company.

Each top department runs its function's systems (IT: security, ITSM, BI; Sales: SFA, CRM
…), the company shares an ERP and a collaboration suite, and some departments of large
companies run local tools. About one in six systems in a category we sell is ours. Contract
ends spread over the four years after the generated world's today.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from typing import Any

from graphsvc.generator.group import GroupPlan, OrgPlan, money, seeded
from graphsvc.generator.links import Emit
from graphsvc.generator.roster import Roster, Unit
from graphsvc.generator.vocab import (
    ANNUAL_VALUE,
    OPPORTUNITY_STAGES,
    OUR_PRODUCTS,
    OUR_VENDOR,
    SHARED_SYSTEMS,
    VENDORS,
)

__all__ = ["opportunities", "systems"]

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


def opportunities(plan: GroupPlan, org: OrgPlan, roster: Roster, emit: Emit) -> None:
    """Our pipeline at ``org``: a few deals in covered accounts, rarely one elsewhere."""
    rng = seeded(plan.seed, org.id, "opportunities")
    if org.covered:
        count = rng.randint(0, 2 + min(10, org.size // 1500))
    else:
        count = 1 if rng.random() < 0.2 else 0
    candidates: list[Unit] = [u for u in roster.units if u.rank <= 1]
    scale = math.sqrt(max(roster.employees, 50) / 1000)
    for n in range(1, count + 1):
        category = rng.choice(sorted(OUR_PRODUCTS))
        unit = rng.choice(candidates)
        stage, status = rng.choice(OPPORTUNITY_STAGES)
        name = plan.locale.opportunity_format.format(product=OUR_PRODUCTS[category])
        amount = ANNUAL_VALUE[category] * scale * rng.uniform(0.5, 3.0)
        emit(
            {
                "id": f"{org.id}-o{n}",
                "name": f"{name} ({unit.name})",
                "organizationId": org.id,
                "departmentId": unit.id,
                "category": category,
                "stage": stage,
                "amount": money(amount, plan),
                "status": status,
            }
        )
