"""The closed vocabularies of CONTRACT §3, with the orderings the analytics rely on."""

from __future__ import annotations

from enum import StrEnum


class OrganizationKind(StrEnum):
    """What an organization is to us; exactly one SELF (our own company) per workspace."""

    SELF = "SELF"
    CUSTOMER = "CUSTOMER"
    PROSPECT = "PROSPECT"
    PARTNER = "PARTNER"
    COMPETITOR = "COMPETITOR"
    OTHER = "OTHER"


class ParentRelation(StrEnum):
    """How an organization hangs below its parent in a group."""

    SUBSIDIARY = "SUBSIDIARY"
    AFFILIATE = "AFFILIATE"


class Seniority(StrEnum):
    """Formal level, highest first."""

    EXECUTIVE = "EXECUTIVE"
    VP = "VP"
    DIRECTOR = "DIRECTOR"
    MANAGER = "MANAGER"
    STAFF = "STAFF"

    @property
    def rank(self) -> int:
        """CONTRACT §5 formalRank: EXECUTIVE 5 … STAFF 1 (unknown seniority is 0)."""
        return _SENIORITY_RANK[self]


_SENIORITY_RANK = {
    Seniority.EXECUTIVE: 5,
    Seniority.VP: 4,
    Seniority.DIRECTOR: 3,
    Seniority.MANAGER: 2,
    Seniority.STAFF: 1,
}


def formal_rank(seniority: Seniority | None) -> int:
    """formalRank of a possibly unknown seniority."""
    return seniority.rank if seniority is not None else 0


class Stance(StrEnum):
    """A person's attitude to us; routes never pass through a BLOCKER."""

    CHAMPION = "CHAMPION"
    SUPPORTER = "SUPPORTER"
    NEUTRAL = "NEUTRAL"
    SKEPTIC = "SKEPTIC"
    BLOCKER = "BLOCKER"
    UNKNOWN = "UNKNOWN"


class BuyingRole(StrEnum):
    """A decision right's role, in the order decisionMakers lists them (CONTRACT §5)."""

    ECONOMIC_BUYER = "ECONOMIC_BUYER"
    DECISION_MAKER = "DECISION_MAKER"
    APPROVER = "APPROVER"
    TECHNICAL_EVALUATOR = "TECHNICAL_EVALUATOR"
    PROCUREMENT = "PROCUREMENT"
    GATEKEEPER = "GATEKEEPER"
    INFLUENCER = "INFLUENCER"
    USER = "USER"

    @property
    def order(self) -> int:
        """Position in the decisionMakers ordering (0 first)."""
        return list(BuyingRole).index(self)


class RelationshipType(StrEnum):
    """KNOWS is mutual; INFLUENCES and REPORTS_TO are directed."""

    KNOWS = "KNOWS"
    INFLUENCES = "INFLUENCES"
    REPORTS_TO = "REPORTS_TO"


class SystemStatus(StrEnum):
    """Lifecycle of an installed system; ACTIVE and PILOT count as footprint."""

    ACTIVE = "ACTIVE"
    PILOT = "PILOT"
    RETIRING = "RETIRING"


class OpportunityStatus(StrEnum):
    """Pipeline state; OPEN and WON count as footprint."""

    OPEN = "OPEN"
    WON = "WON"
    LOST = "LOST"


class EntityKind(StrEnum):
    """The id-keyed kinds of record; the value is the graph document's list name."""

    ORGANIZATION = "organizations"
    DEPARTMENT = "departments"
    PERSON = "people"
    SYSTEM = "systems"
    OPPORTUNITY = "opportunities"
