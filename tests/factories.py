"""Test data: the Kaito group of CONTRACT §3 and small builders for tiny graphs.

``kaito_document()`` is the one shared, hand-checkable example graph; analytics, service,
API and store tests reason about it by hand, so change it only together with them.
The builders (``org``, ``dept``, ``person``, ``knows`` …) give every required field a
sensible default, so that a test spells out only what it is about.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import (
    BuyingRole,
    EntityKind,
    OpportunityStatus,
    OrganizationKind,
    ParentRelation,
    RelationshipType,
    Seniority,
    Stance,
    SystemStatus,
)
from graphsvc.domain.models import (
    DecisionRight,
    Department,
    Entity,
    GraphDocument,
    InstalledSystem,
    Opportunity,
    Organization,
    Person,
    PersonEntry,
    Relationship,
)

__all__ = [
    "change_set",
    "changes",
    "dept",
    "document",
    "influences",
    "kaito_document",
    "knows",
    "opportunity",
    "org",
    "person",
    "reports_to",
    "right",
    "system",
]


# --- builders -------------------------------------------------------------------------


def org(
    id: str,
    name: str | None = None,
    kind: OrganizationKind | str = OrganizationKind.CUSTOMER,
    *,
    parent_id: str | None = None,
    parent_relation: ParentRelation | str | None = None,
    ownership: float | None = None,
    **fields: Any,
) -> Organization:
    """An organization (a CUSTOMER named after its id unless told otherwise)."""
    return Organization(
        id=id,
        name=name or f"Org {id}",
        kind=OrganizationKind(kind),
        parent_id=parent_id,
        parent_relation=ParentRelation(parent_relation) if parent_relation else None,
        ownership=ownership,
        **fields,
    )


def dept(
    id: str,
    organization_id: str,
    name: str | None = None,
    *,
    parent_id: str | None = None,
    function: str | None = None,
    headcount: int | None = None,
) -> Department:
    """A department of ``organization_id`` (named after its id unless told otherwise)."""
    return Department(
        id=id,
        organization_id=organization_id,
        name=name or f"Dept {id}",
        parent_id=parent_id,
        function=function,
        headcount=headcount,
    )


def person(
    id: str,
    organization_id: str,
    name: str | None = None,
    *,
    title: str | None = None,
    department_id: str | None = None,
    seniority: Seniority | str | None = None,
    stance: Stance | str = Stance.UNKNOWN,
    reports_to_id: str | None = None,
) -> Person:
    """A person; with ``reports_to_id`` it is a document ``PersonEntry`` (``reportsToId``)."""
    fields: dict[str, Any] = {
        "id": id,
        "organization_id": organization_id,
        "name": name or f"Person {id}",
        "title": title,
        "department_id": department_id,
        "seniority": Seniority(seniority) if seniority else None,
        "stance": Stance(stance),
    }
    if reports_to_id is not None:
        return PersonEntry(**fields, reports_to_id=reports_to_id)
    return Person(**fields)


def knows(
    a: str, b: str, strength: float | None = None, *, last_contact_on: date | str | None = None
) -> Relationship:
    """A mutual KNOWS relationship (its key is the sorted pair)."""
    return Relationship(
        type=RelationshipType.KNOWS,
        from_id=a,
        to_id=b,
        strength=strength,
        last_contact_on=_date(last_contact_on),
    )


def influences(a: str, b: str, strength: float | None = None) -> Relationship:
    """``a`` INFLUENCES ``b`` (informal, directed)."""
    return Relationship(type=RelationshipType.INFLUENCES, from_id=a, to_id=b, strength=strength)


def reports_to(
    a: str, b: str, strength: float | None = None, *, dotted: bool = False
) -> Relationship:
    """``a`` REPORTS_TO ``b`` (solid unless ``dotted``)."""
    return Relationship(
        type=RelationshipType.REPORTS_TO, from_id=a, to_id=b, strength=strength, dotted=dotted
    )


def system(
    id: str,
    organization_id: str,
    category: str = "CRM",
    *,
    name: str | None = None,
    vendor: str | None = None,
    ours: bool = False,
    department_ids: tuple[str, ...] | list[str] = (),
    contract_ends_on: date | str | None = None,
    annual_value: float | None = None,
    status: SystemStatus | str = SystemStatus.ACTIVE,
) -> InstalledSystem:
    """An installed system (a competitor's ACTIVE one unless told otherwise)."""
    return InstalledSystem(
        id=id,
        name=name or f"System {id}",
        organization_id=organization_id,
        category=category,
        vendor=vendor,
        ours=ours,
        department_ids=tuple(department_ids),
        contract_ends_on=_date(contract_ends_on),
        annual_value=annual_value,
        status=SystemStatus(status),
    )


def right(
    person_id: str,
    scope_id: str,
    area: str = "IT",
    role: BuyingRole | str = BuyingRole.DECISION_MAKER,
    budget_limit: float | None = None,
) -> DecisionRight:
    """A decision right of ``person_id`` for ``area`` in ``scope_id``."""
    return DecisionRight(
        person_id=person_id,
        scope_id=scope_id,
        area=area,
        role=BuyingRole(role),
        budget_limit=budget_limit,
    )


def opportunity(
    id: str,
    organization_id: str,
    category: str = "CRM",
    *,
    name: str | None = None,
    department_id: str | None = None,
    stage: str | None = None,
    amount: float | None = None,
    status: OpportunityStatus | str = OpportunityStatus.OPEN,
) -> Opportunity:
    """An opportunity (OPEN unless told otherwise)."""
    return Opportunity(
        id=id,
        name=name or f"Opportunity {id}",
        organization_id=organization_id,
        category=category,
        department_id=department_id,
        stage=stage,
        amount=amount,
        status=OpportunityStatus(status),
    )


def document(
    *,
    organizations: list[Organization] | None = None,
    departments: list[Department] | None = None,
    people: list[Person] | None = None,
    systems: list[InstalledSystem] | None = None,
    relationships: list[Relationship] | None = None,
    decision_rights: list[DecisionRight] | None = None,
    opportunities: list[Opportunity] | None = None,
) -> GraphDocument:
    """A graph document of these lists (plain ``Person`` records become ``PersonEntry``)."""
    return GraphDocument(
        organizations=organizations or [],
        departments=departments or [],
        people=[_entry(p) for p in people or []],
        systems=systems or [],
        relationships=relationships or [],
        decision_rights=decision_rights or [],
        opportunities=opportunities or [],
    )


def change_set(doc: GraphDocument) -> ChangeSet:
    """The store write a document amounts to, for store tests that bypass the service.

    ``reportsToId`` becomes a solid REPORTS_TO relationship and people are stored as plain
    ``Person`` records, as the write path does.
    """
    people: list[Entity] = []
    relationships = list(doc.relationships)
    for entry in doc.people:
        people.append(Person(**entry.model_dump(exclude={"reports_to_id"})))
        if entry.reports_to_id is not None:
            relationships.append(reports_to(entry.id, entry.reports_to_id))
    return ChangeSet(
        upserts={
            EntityKind.ORGANIZATION: list(doc.organizations),
            EntityKind.DEPARTMENT: list(doc.departments),
            EntityKind.PERSON: people,
            EntityKind.SYSTEM: list(doc.systems),
            EntityKind.OPPORTUNITY: list(doc.opportunities),
        },
        relationships=relationships,
        decision_rights=list(doc.decision_rights),
    )


_KIND_OF: dict[type[Entity], EntityKind] = {
    Organization: EntityKind.ORGANIZATION,
    Department: EntityKind.DEPARTMENT,
    Person: EntityKind.PERSON,
    InstalledSystem: EntityKind.SYSTEM,
    Opportunity: EntityKind.OPPORTUNITY,
}


def changes(*records: Entity | Relationship | DecisionRight) -> ChangeSet:
    """A change set upserting these records, each sorted into its kind's list."""
    result = ChangeSet()
    for record in records:
        if isinstance(record, Relationship):
            result.relationships.append(record)
        elif isinstance(record, DecisionRight):
            result.decision_rights.append(record)
        else:
            kind = next(k for t, k in _KIND_OF.items() if isinstance(record, t))
            result.upserts.setdefault(kind, []).append(record)
    return result


def _entry(p: Person) -> PersonEntry:
    return p if isinstance(p, PersonEntry) else PersonEntry(**p.model_dump())


def _date(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


# --- the Kaito group ------------------------------------------------------------------


def kaito_document() -> GraphDocument:
    """The Kaito group (CONTRACT §3's example, completed): small enough to check by hand.

    Organizations
        us         Nexa Systems — SELF (our company)
        kaito      海塔ホールディングス — CUSTOMER, the group parent (Manufacturing, 52,000 staff)
        kaito-log  海塔ロジスティクス — SUBSIDIARY of kaito, ownership 0.8
        kaito-fs   海塔フィナンシャル — AFFILIATE of kaito, ownership 0.3 (no departments/people)
        rival      Rival Corp — COMPETITOR, outside the Kaito group

    Departments
        us-sales   Sales (us)
        k-it       情報システム部 (kaito, IT, 120)
        k-infra    インフラ課 (kaito, IT, 30), child of k-it
        k-fin      経理部 (kaito, Finance, 60)
        k-hr       人事部 (kaito, HR, 40)
        kl-ops     物流オペレーション部 (kaito-log, Operations, 800)

    People (reportsToId → solid REPORTS_TO)
        ae-1    Ken Ueda      us, us-sales, BDR, STAFF, reports to ae-2
        ae-2    Mika Tanaka   us, us-sales, Account Executive, MANAGER
        p-ceo   山田 太郎     kaito, CEO, EXECUTIVE, NEUTRAL
        p-cio   佐藤 健       kaito, k-it, CIO, EXECUTIVE, NEUTRAL, reports to p-ceo
        p-cfo   鈴木 花子     kaito, k-fin, CFO, EXECUTIVE, SKEPTIC, reports to p-ceo
        p-itdir 高橋 誠       kaito, k-it, IT Director, DIRECTOR, SUPPORTER, reports to p-cio
        p-eng   伊藤 翔       kaito, k-infra, Senior Engineer, STAFF, CHAMPION, reports to p-itdir
        p-pm    渡辺 彩       kaito, k-it, Project Manager, MANAGER, NEUTRAL, reports to p-itdir,
                              dotted line to p-cfo
        p-hr    中村 優       kaito, k-hr, HR Director, DIRECTOR, BLOCKER, reports to p-ceo
        p-log   小林 大輔     kaito-log, kl-ops, President, EXECUTIVE, stance UNKNOWN

    Relationships (besides the reportsToId lines above)
        KNOWS       ae-1 – p-itdir 0.9, last contact 2026-10-20
        KNOWS       ae-1 – p-hr 0.6, no last contact
        KNOWS       ae-2 – p-log (no strength → 0.5), last contact 2025-01-15
        KNOWS       ae-1 – ae-2 0.9
        KNOWS       p-itdir – p-eng 0.8
        KNOWS       p-hr – p-cfo 0.7 (a route through the BLOCKER p-hr is not walkable)
        INFLUENCES  p-eng → p-cio 0.95 (the hidden influencer: STAFF, rank 1)
        INFLUENCES  p-cfo → p-ceo (no strength → 0.5)
        REPORTS_TO  p-pm → p-cfo dotted (no strength → 0.5)

    Installed systems
        s-crm     Nexa CRM, ours, CRM, kaito [k-it], ACTIVE, ends 2027-12-31, 12,000,000
        s-erp     ERP by Rival Corp, ERP, kaito [k-fin], ACTIVE, ends 2027-03-31, 30,000,000
        s-hr      Legacy HR by OldSoft, HR, kaito [k-hr], RETIRING, ends 2026-12-31
        s-groupware  Rival Groupware, Collaboration, kaito [k-it, k-infra, k-hr], ACTIVE
        s-wms     Rival WMS, WMS, kaito-log [kl-ops], ACTIVE, ends 2026-06-30, 8,000,000

    Decision rights
        p-cio   kaito     IT         ECONOMIC_BUYER   budget 100,000,000
        p-itdir k-it      IT         DECISION_MAKER
        p-cfo   kaito     IT         APPROVER
        p-eng   k-infra   IT         TECHNICAL_EVALUATOR
        p-cfo   kaito     Finance    ECONOMIC_BUYER
        p-hr    k-hr      HR         DECISION_MAKER
        p-log   kaito-log Logistics  ECONOMIC_BUYER   budget 50,000,000

    Opportunities
        o-crm   Nexa CRM rollout, kaito, k-it, CRM, stage Closed, 12,000,000, WON
        o-hr    HR suite, kaito, k-hr, HR, PROPOSAL, 5,000,000, OPEN
        o-wms   WMS replacement, kaito-log, kl-ops, WMS, Closed, 8,000,000, LOST

    Footprint by hand: k-it has ours (s-crm, o-crm); k-hr has an OPEN opportunity; k-infra,
    k-fin and kl-ops have none (whitespace in kaito's scope with subsidiaries).
    """
    return document(
        organizations=[
            org("us", "Nexa Systems", OrganizationKind.SELF, industry="Software"),
            org(
                "kaito",
                "海塔ホールディングス",
                industry="Manufacturing",
                employees=52000,
                revenue=1.2e12,
            ),
            org(
                "kaito-log",
                "海塔ロジスティクス",
                parent_id="kaito",
                parent_relation=ParentRelation.SUBSIDIARY,
                ownership=0.8,
                industry="Logistics",
            ),
            org(
                "kaito-fs",
                "海塔フィナンシャル",
                parent_id="kaito",
                parent_relation=ParentRelation.AFFILIATE,
                ownership=0.3,
            ),
            org("rival", "Rival Corp", OrganizationKind.COMPETITOR, industry="Software"),
        ],
        departments=[
            dept("us-sales", "us", "Sales", function="Sales", headcount=25),
            dept("k-it", "kaito", "情報システム部", function="IT", headcount=120),
            dept("k-infra", "kaito", "インフラ課", parent_id="k-it", function="IT", headcount=30),
            dept("k-fin", "kaito", "経理部", function="Finance", headcount=60),
            dept("k-hr", "kaito", "人事部", function="HR", headcount=40),
            dept(
                "kl-ops", "kaito-log", "物流オペレーション部", function="Operations", headcount=800
            ),
        ],
        people=[
            person(
                "ae-1",
                "us",
                "Ken Ueda",
                title="BDR",
                department_id="us-sales",
                seniority=Seniority.STAFF,
                reports_to_id="ae-2",
            ),
            person(
                "ae-2",
                "us",
                "Mika Tanaka",
                title="Account Executive",
                department_id="us-sales",
                seniority=Seniority.MANAGER,
            ),
            person(
                "p-ceo", "kaito", "山田 太郎", title="CEO", seniority="EXECUTIVE", stance="NEUTRAL"
            ),
            person(
                "p-cio",
                "kaito",
                "佐藤 健",
                title="CIO",
                department_id="k-it",
                seniority=Seniority.EXECUTIVE,
                stance=Stance.NEUTRAL,
                reports_to_id="p-ceo",
            ),
            person(
                "p-cfo",
                "kaito",
                "鈴木 花子",
                title="CFO",
                department_id="k-fin",
                seniority=Seniority.EXECUTIVE,
                stance=Stance.SKEPTIC,
                reports_to_id="p-ceo",
            ),
            person(
                "p-itdir",
                "kaito",
                "高橋 誠",
                title="IT Director",
                department_id="k-it",
                seniority=Seniority.DIRECTOR,
                stance=Stance.SUPPORTER,
                reports_to_id="p-cio",
            ),
            person(
                "p-eng",
                "kaito",
                "伊藤 翔",
                title="Senior Engineer",
                department_id="k-infra",
                seniority=Seniority.STAFF,
                stance=Stance.CHAMPION,
                reports_to_id="p-itdir",
            ),
            person(
                "p-pm",
                "kaito",
                "渡辺 彩",
                title="Project Manager",
                department_id="k-it",
                seniority=Seniority.MANAGER,
                stance=Stance.NEUTRAL,
                reports_to_id="p-itdir",
            ),
            person(
                "p-hr",
                "kaito",
                "中村 優",
                title="HR Director",
                department_id="k-hr",
                seniority=Seniority.DIRECTOR,
                stance=Stance.BLOCKER,
                reports_to_id="p-ceo",
            ),
            person(
                "p-log",
                "kaito-log",
                "小林 大輔",
                title="President",
                department_id="kl-ops",
                seniority=Seniority.EXECUTIVE,
            ),
        ],
        systems=[
            system(
                "s-crm",
                "kaito",
                "CRM",
                name="Nexa CRM",
                vendor="Nexa Systems",
                ours=True,
                department_ids=["k-it"],
                contract_ends_on="2027-12-31",
                annual_value=12_000_000,
            ),
            system(
                "s-erp",
                "kaito",
                "ERP",
                name="ERP",
                vendor="Rival Corp",
                department_ids=["k-fin"],
                contract_ends_on="2027-03-31",
                annual_value=30_000_000,
            ),
            system(
                "s-hr",
                "kaito",
                "HR",
                name="Legacy HR",
                vendor="OldSoft",
                department_ids=["k-hr"],
                contract_ends_on="2026-12-31",
                status=SystemStatus.RETIRING,
            ),
            system(
                "s-groupware",
                "kaito",
                "Collaboration",
                name="Rival Groupware",
                vendor="Rival Corp",
                department_ids=["k-it", "k-infra", "k-hr"],
            ),
            system(
                "s-wms",
                "kaito-log",
                "WMS",
                name="Rival WMS",
                vendor="Rival Corp",
                department_ids=["kl-ops"],
                contract_ends_on="2026-06-30",
                annual_value=8_000_000,
            ),
        ],
        relationships=[
            knows("ae-1", "p-itdir", 0.9, last_contact_on="2026-10-20"),
            knows("ae-1", "p-hr", 0.6),
            knows("ae-2", "p-log", last_contact_on="2025-01-15"),
            knows("ae-1", "ae-2", 0.9),
            knows("p-itdir", "p-eng", 0.8),
            knows("p-hr", "p-cfo", 0.7),
            influences("p-eng", "p-cio", 0.95),
            influences("p-cfo", "p-ceo"),
            reports_to("p-pm", "p-cfo", dotted=True),
        ],
        decision_rights=[
            right("p-cio", "kaito", "IT", BuyingRole.ECONOMIC_BUYER, 100_000_000),
            right("p-itdir", "k-it", "IT", BuyingRole.DECISION_MAKER),
            right("p-cfo", "kaito", "IT", BuyingRole.APPROVER),
            right("p-eng", "k-infra", "IT", BuyingRole.TECHNICAL_EVALUATOR),
            right("p-cfo", "kaito", "Finance", BuyingRole.ECONOMIC_BUYER),
            right("p-hr", "k-hr", "HR", BuyingRole.DECISION_MAKER),
            right("p-log", "kaito-log", "Logistics", BuyingRole.ECONOMIC_BUYER, 50_000_000),
        ],
        opportunities=[
            opportunity(
                "o-crm",
                "kaito",
                "CRM",
                name="Nexa CRM rollout",
                department_id="k-it",
                stage="Closed",
                amount=12_000_000,
                status=OpportunityStatus.WON,
            ),
            opportunity(
                "o-hr",
                "kaito",
                "HR",
                name="HR suite",
                department_id="k-hr",
                stage="PROPOSAL",
                amount=5_000_000,
            ),
            opportunity(
                "o-wms",
                "kaito-log",
                "WMS",
                name="WMS replacement",
                department_id="kl-ops",
                stage="Closed",
                amount=8_000_000,
                status=OpportunityStatus.LOST,
            ),
        ],
    )
