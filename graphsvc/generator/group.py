"""The shape of the generated group of companies: which companies, how big, who owns whom.

``plan_group`` decides everything about organizations that later sections need, from the
seed alone, and holds only one small record per company, so that even a million-person
document is planned in a few kilobytes. A holding company heads the group; subsidiaries
(majority owned) and affiliates (minority owned) hang below it up to three levels deep.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from graphsvc.generator.locales import Locale

__all__ = ["MIN_PEOPLE", "GroupPlan", "OrgPlan", "base_date", "money", "plan_group", "seeded"]

MIN_PEOPLE = 50
"""Fewer people cannot fill our own account team and a group of companies."""

MAX_DEPTH = 3
"""Subsidiaries of subsidiaries of subsidiaries, and no deeper."""


def seeded(seed: int, *parts: str) -> random.Random:
    """An independent random stream for one purpose, stable across runs and platforms.

    Seeding with a string hashes it with SHA-512 (not Python's randomised ``hash``), so the
    same seed and parts give the same numbers in every process.
    """
    # Reproducible synthetic data, not secrets: a seeded Mersenne Twister is what is wanted.
    return random.Random(":".join((str(seed), *parts)))  # noqa: S311


def base_date(seed: int) -> date:
    """The generated world's "today": a date in the first half of 2026 fixed by the seed.

    Contract end dates and last contacts are offsets from it, never from the real today,
    so that output is byte-identical whenever it is generated.
    """
    return date(2026, 1, 1) + timedelta(days=seeded(seed, "base-date").randrange(181))


def money(yen: float, plan: GroupPlan) -> int:
    """An amount given in yen, in the locale's currency, rounded to tens of thousands."""
    return max(10_000, int(round(yen / plan.locale.yen_per_unit, -4)))


@dataclass(frozen=True)
class OrgPlan:
    """One company of the group (not ours): its place in the group and its modeled size."""

    index: int
    id: str
    name: str
    size: int
    depth: int
    parent: int | None
    relation: str | None
    ownership: float | None
    industry: str
    kind: str
    covered: bool


@dataclass(frozen=True)
class GroupPlan:
    """Our own team's size and every account company, parents before children."""

    seed: int
    locale: Locale
    self_size: int
    orgs: tuple[OrgPlan, ...]
    today: date


def _distribute(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split ``total`` into parts proportional to ``weights``, each at least ``minimum``."""
    spare = total - minimum * len(weights)
    scale = spare / sum(weights)
    parts = [minimum + math.floor(w * scale) for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (weights[i] * scale) % 1, reverse=True)
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name} {n}", n + 1
    used.add(candidate)
    return candidate


def plan_group(people: int, seed: int, locale: Locale) -> GroupPlan:
    """The group for a document of about ``people`` people (at least ``MIN_PEOPLE``)."""
    rng = seeded(seed, "group")
    self_size = max(8, min(200, round(math.sqrt(people) / 2)))
    accounts = people - self_size
    count = max(1, min(round(2 * math.sqrt(accounts / 100)), accounts // 30))
    weights = sorted((rng.paretovariate(1.3) for _ in range(count)), reverse=True)
    weights[0] *= 1.5
    sizes = _distribute(accounts, weights, 10)

    stems = list(locale.company_stems)
    rng.shuffle(stems)
    group_stem, other_stems = stems[0], stems[1:]
    businesses = list(locale.businesses)
    rng.shuffle(businesses)
    used_names: set[str] = set()
    orgs: list[OrgPlan] = [
        OrgPlan(
            index=0,
            id="org1",
            name=_unique(locale.holdings_format.format(stem=group_stem), used_names),
            size=sizes[0],
            depth=0,
            parent=None,
            relation=None,
            ownership=None,
            industry="Holding Company",
            kind="CUSTOMER",
            covered=True,
        )
    ]
    stem_of: dict[int, str] = {0: group_stem}
    for i in range(1, count):
        direct = i <= max(2, min(8, count // 2))
        parents = [o for o in orgs if o.depth < MAX_DEPTH and o.relation != "AFFILIATE"]
        parent = orgs[0] if direct else rng.choice(parents[: max(8, len(parents) // 2)])
        affiliate = rng.random() < 0.22
        business, industry = businesses[i % len(businesses)]
        if affiliate:
            ownership = round(rng.uniform(0.15, 0.49), 2)
            other = other_stems[i % len(other_stems)]
            name = locale.affiliate_format.format(other=other, business=business)
            stem_of[i] = name
        else:
            ownership = 1.0 if rng.random() < 0.5 else round(rng.uniform(0.51, 0.95), 2)
            if parent.depth == 0:
                name = locale.subsidiary_format.format(stem=group_stem, business=business)
                stem_of[i] = name
            else:
                region = rng.choice(locale.regions)
                name = locale.regional_format.format(parent=stem_of[parent.index], region=region)
                industry = parent.industry
                stem_of[i] = stem_of[parent.index]
        covered = rng.random() < 0.7
        orgs.append(
            OrgPlan(
                index=i,
                id=f"org{i + 1}",
                name=_unique(name, used_names),
                size=sizes[i],
                depth=parent.depth + 1,
                parent=parent.index,
                relation="AFFILIATE" if affiliate else "SUBSIDIARY",
                ownership=ownership,
                industry=industry,
                kind="CUSTOMER" if covered and rng.random() < 0.6 else "PROSPECT",
                covered=covered,
            )
        )
    return GroupPlan(seed, locale, self_size, tuple(orgs), base_date(seed))
