"""One company's departments and people, rebuilt from the seed whenever a section needs them.

The document lists every organization before any department and every department before
any person, so a streaming generator must visit each company several times. Instead of
keeping a million people in memory, each visit rebuilds the company from its own random
streams: ``build_units`` (cheap: the department tree with the number of people in each)
and ``build_people`` (the people, their titles, stances and managers). Both are pure
functions of (seed, company), so every visit sees the same company.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphsvc.generator.group import GroupPlan, OrgPlan, seeded
from graphsvc.generator.vocab import FUNCTIONS, Function

__all__ = ["Member", "Roster", "Unit", "build_people", "build_units", "pick_stance"]

SENIORITY_BY_RANK = ("VP", "DIRECTOR", "MANAGER", "MANAGER")
"""The seniority of a unit head by unit rank: division, department, section, team."""

STANCES = (
    (0.50, "UNKNOWN"),
    (0.75, "NEUTRAL"),
    (0.85, "SUPPORTER"),
    (0.92, "SKEPTIC"),
    (0.97, "CHAMPION"),
    (1.00, "BLOCKER"),
)
"""Cumulative shares of stances: mostly unknown or neutral, few champions, fewer blockers."""

LARGE_COMPANY = 300
"""From this many modeled people on, functions are headed by C-level executives."""


@dataclass(eq=False)
class Unit:
    """A department: ``budget`` people of the company work in it or below it."""

    id: str
    name: str
    stem: str
    function: Function
    rank: int
    budget: int
    parent: Unit | None
    headcount: int = 0
    chief: str = ""
    children: list[Unit] = field(default_factory=list)
    head: int = -1
    members: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Member:
    """A person; ``manager`` is the index of their solid-line manager (-1 for none)."""

    id: str
    name: str
    title: str
    unit: Unit | None
    seniority: str
    stance: str
    manager: int


@dataclass
class Roster:
    """A company's units in pre-order (parents first) and, once built, its people."""

    org_id: str
    units: list[Unit]
    tops: list[Unit]
    employees: int
    people: list[Member] = field(default_factory=list)

    @property
    def executives(self) -> list[int]:
        """The CEO and every C-level executive (EXECUTIVE seniority)."""
        return [i for i, p in enumerate(self.people) if p.seniority == "EXECUTIVE"]

    @property
    def heads(self) -> list[int]:
        """Everyone who heads a unit (and the CEO)."""
        return [0, *(u.head for u in self.units)]


def _split(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` (at least ``len(weights)``) into parts of at least 1, by weight."""
    scale = (total - len(weights)) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def build_units(plan: GroupPlan, org: OrgPlan) -> Roster:
    """The department tree of ``org`` with each unit's budget and headcount (no people)."""
    rng = seeded(plan.seed, org.id, "units")
    locale = plan.locale
    remaining = org.size - 1  # the CEO belongs to no unit
    count = max(2, min(len(FUNCTIONS), 2 + org.size // 40, remaining))
    functions = FUNCTIONS[:count]
    weights = [f.weight * rng.uniform(0.7, 1.3) for f in functions]
    budgets = _split(remaining, weights)
    large = org.size >= LARGE_COMPANY
    multiplier = rng.uniform(1.5, 4.0)
    units: list[Unit] = []

    def grow(function: Function, budget: int, rank: int, parent: Unit | None, stem: str) -> Unit:
        name = locale.unit_format.format(stem=stem, suffix=locale.unit_suffix[rank])
        unit = Unit(f"{org.id}-d{len(units) + 1}", name, stem, function, rank, budget, parent)
        unit.headcount = max(1, round(budget * multiplier))
        units.append(unit)
        if parent is None and large and function.chief:
            unit.chief = function.chief
        room = budget - 1
        leaf_size = rng.randint(8, 30)
        if room <= leaf_size or rank == 3:
            return unit
        direct = min(room // 10, rng.randint(0, 3))
        if unit.chief:
            direct = max(direct, 1)  # room for the deputy (a VP) under the C-level head
        k = max(2, min(8, room // leaf_size))
        if room - direct < k:
            return unit
        sizes = _split(room - direct, [rng.uniform(0.5, 1.5) for _ in range(k)])
        pool = [s for s in locale.units[function.key][1] if s not in _ancestor_stems(unit)]
        rng.shuffle(pool)
        for n, size in enumerate(sizes, start=1):
            child_stem = (
                pool[n - 1] if n <= len(pool) else locale.numbered_format.format(stem=stem, n=n)
            )
            unit.children.append(grow(function, size, rank + 1, unit, child_stem))
        return unit

    tops = [
        grow(f, b, 0 if b >= 120 else 1, None, locale.units[f.key][0])
        for f, b in zip(functions, budgets, strict=True)
    ]
    employees = 1 + sum(u.headcount for u in tops)
    return Roster(org.id, units, tops, employees)


def _ancestor_stems(unit: Unit) -> set[str]:
    stems: set[str] = set()
    node: Unit | None = unit
    while node is not None:
        stems.add(node.stem)
        node = node.parent
    return stems


def pick_stance(value: float) -> str:
    for threshold, stance in STANCES:
        if value < threshold:
            return stance
    return "UNKNOWN"


def build_people(plan: GroupPlan, org: OrgPlan, roster: Roster) -> Roster:
    """Fill ``roster.people``: the CEO, then each unit's head and staff in unit pre-order.

    Heads report to the head of the parent unit (top units to the CEO); staff to their
    unit's head. Heads of top units of large companies are C-level executives.
    """
    rng = seeded(plan.seed, org.id, "people")
    locale = plan.locale
    family, given, fmt = locale.family_names, locale.given_names, locale.name_format
    # Indexing by random() is several times faster than rng.choice for a million names.
    random, families, givens = rng.random, len(family), len(given)
    people = roster.people = []

    def person(pid: str, title: str, unit: Unit | None, seniority: str, manager: int) -> int:
        name = fmt.format(
            family=family[int(random() * families)], given=given[int(random() * givens)]
        )
        people.append(Member(pid, name, title, unit, seniority, pick_stance(random()), manager))
        return len(people) - 1

    person(f"{org.id}-ceo", locale.ceo_title, None, "EXECUTIVE", -1)
    for unit in roster.units:
        manager = unit.parent.head if unit.parent is not None else 0
        if unit.chief:
            title = locale.chief_title.format(chief=unit.chief)
            pid, seniority = f"{org.id}-{unit.chief.lower()}", "EXECUTIVE"
        else:
            title = locale.head_title[unit.rank].format(unit=unit.name, stem=unit.stem)
            pid, seniority = f"{org.id}-p{len(people)}", SENIORITY_BY_RANK[unit.rank]
        unit.head = person(pid, title, unit, seniority, manager)
        unit.members = [unit.head]
        titles = locale.staff_titles.get(unit.function.key, locale.generic_staff_titles)
        staff = unit.budget - 1 - sum(c.budget for c in unit.children)
        if unit.chief and staff > 0:
            suffix = locale.unit_suffix[unit.rank]
            deputy = locale.deputy_title.format(unit=unit.name, stem=unit.stem, suffix=suffix)
            unit.members.append(person(f"{org.id}-p{len(people)}", deputy, unit, "VP", unit.head))
            staff -= 1
        for _ in range(staff):
            title = titles[int(random() * len(titles))]
            unit.members.append(person(f"{org.id}-p{len(people)}", title, unit, "STAFF", unit.head))
    return roster
