"""The domain's closed vocabularies as GraphQL enums, under the names of CONTRACT §3/§4.

The Python enums of ``domain.enums`` are registered as they are (same names, same values), so
resolvers pass domain values straight through.
"""

from __future__ import annotations

import strawberry

from graphsvc.domain.enums import (
    BuyingRole,
    OpportunityStatus,
    OrganizationKind,
    ParentRelation,
    RelationshipType,
    Seniority,
    Stance,
    SystemStatus,
)
from graphsvc.errors import ErrorCode

__all__ = [
    "BuyingRole",
    "ErrorCode",
    "OpportunityStatus",
    "OrganizationKind",
    "ParentRelation",
    "RelationshipType",
    "Seniority",
    "Stance",
    "SystemStatus",
]

strawberry.enum(
    OrganizationKind,
    description="What an organization is to us. Exactly one SELF organization (our own "
    "company) exists per workspace; its people start contact routes.",
)
strawberry.enum(
    ParentRelation,
    description="How an organization hangs below its parent: SUBSIDIARY (子会社) or "
    "AFFILIATE (関連会社).",
)
strawberry.enum(Seniority, description="Formal level, highest first: EXECUTIVE > VP > ... > STAFF.")
strawberry.enum(
    Stance,
    description="A person's attitude to us. Contact routes never pass through a BLOCKER.",
)
strawberry.enum(
    BuyingRole,
    description="A person's role in buying decisions for an area, listed in the order "
    "decisionMakers ranks them.",
)
strawberry.enum(
    RelationshipType,
    description="KNOWS is a mutual acquaintance; INFLUENCES is informal and directed "
    "(from influences to); REPORTS_TO is the formal line, solid or dotted.",
)
strawberry.enum(
    SystemStatus,
    description="Lifecycle of an installed system; ACTIVE and PILOT count as footprint.",
)
strawberry.enum(
    OpportunityStatus,
    description="Pipeline state of an opportunity; OPEN and WON count as footprint.",
)
strawberry.enum(
    ErrorCode,
    description=(
        "Stable machine-readable error codes (shared with the command line). OVERLOADED: "
        "more analytic queries were waiting than the server accepts "
        "(GRAPHSVC_ANALYTIC_QUEUE_LIMIT); nothing was done, and the same request may "
        "succeed shortly. RATE_LIMITED: the token's cost budget (GRAPHSVC_TOKEN_BUDGET "
        "points a minute, refilling continuously) holds less than the operation costs; "
        "nothing was done, HTTP 429, and Retry-After (and the message) say when it will "
        "hold enough; extensions.cost of every response says what is left. "
        "STORE_UNAVAILABLE: the store (SQLite file or Neo4j) cannot be reached or written "
        "now; nothing of the failed request was done, HTTP 503 when no field answered, and "
        "the same request may succeed once the store is back. LIMIT_EXCEEDED: the request "
        "is over a fixed limit (depth, aliases, tokens, cost, page size, an operation "
        "costing more than the whole token budget); it will never pass as it is."
    ),
)
