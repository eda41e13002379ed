"""coverage's types: how well our people cover an organization's decision makers, how many
threads hold (``CoverageStatus``, the single thread) and which have gone stale."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types.links import DecisionRight
from graphsvc.api.graphql.types.person import Person, person_named
from graphsvc.api.graphql.types.rounding import rounded_or_none
from graphsvc.services import analytics

__all__ = ["Coverage", "CoverageStatus", "DecisionMakerCoverage", "StaleContact"]

_REFERRER = "coverage"

CoverageStatus = analytics.CoverageStatus
strawberry.enum(
    CoverageStatus,
    description="How many of our people hold the threads (KNOWS relationships) into a scope. "
    "NO_CONTACT: none of our people knows anyone there. SINGLE_THREADED: every thread starts "
    "at the same one of our people (Coverage.singleThread). MULTI_THREADED: two or more of "
    "our people know someone there.",
)


@strawberry.type(
    description="A KNOWS relationship between one of our people and one of theirs with no "
    "lastContactOn, or one more than staleAfterDays before asOf."
)
class StaleContact:
    last_contact_on: date | None = strawberry.field(
        description="The last recorded contact; null when none was ever recorded."
    )
    days_since_contact: int | None = strawberry.field(
        description="Days from lastContactOn to asOf; null when no contact was recorded."
    )
    found: strawberry.Private[analytics.StaleContact]

    @strawberry.field(description="Our (SELF) person.")
    async def ours(self, info: Info) -> Person:
        return await person_named(info, self.found.ours, _REFERRER)

    @strawberry.field(description="Their person, in the organization scope.")
    async def theirs(self, info: Info) -> Person:
        return await person_named(info, self.found.theirs, _REFERRER)


@strawberry.type(description="One decision right and how close our people are to its holder.")
class DecisionMakerCoverage:
    right: DecisionRight
    direct_contact: bool = strawberry.field(
        description="The holder KNOWS one of our (SELF) people."
    )
    best_route_score: float | None = strawberry.field(
        description="Score of the best contactRoutes route to the holder (STRENGTH, at most "
        f"{analytics.DEFAULT_MAX_HOPS} hops), rounded to 6 decimal places; null when unreachable."
    )

    @classmethod
    def of(cls, found: analytics.DecisionMakerCoverage) -> DecisionMakerCoverage:
        """The GraphQL view of one right's coverage (its score rounded)."""
        return cls(
            right=DecisionRight.from_record(found.right),
            direct_contact=found.direct_contact,
            best_route_score=rounded_or_none(found.best_route_score),
        )


@strawberry.type(description="How well our people cover an organization's decision makers.")
class Coverage:
    decision_makers: list[DecisionMakerCoverage] = strawberry.field(
        description="Every decision right of the scope, in decisionMakers order."
    )
    single_threaded: bool = strawberry.field(
        description="Every KNOWS relationship between our people and the scope has the same "
        "one of our people at our end; false when there is none at all (see status and "
        "contacts, which tell that case apart)."
    )
    stale_relationships: int = strawberry.field(
        description="Those KNOWS relationships with no lastContactOn, or one more than "
        "staleAfterDays before asOf: how many (listed in staleContacts)."
    )
    contacts: int = strawberry.field(
        description="How many KNOWS relationships join one of our (SELF) people and a person "
        "of the scope; 0 means no contact at all (status NO_CONTACT)."
    )
    status: CoverageStatus = strawberry.field(
        description="NO_CONTACT, SINGLE_THREADED or MULTI_THREADED: read this rather than "
        "singleThreaded, which is also false when there is no contact at all."
    )
    stale_contacts: list[StaleContact] = strawberry.field(
        description="The stale relationships (who, whom, last contact): never contacted "
        "first, then the oldest contact first, then by their person's and our person's ids."
    )
    found: strawberry.Private[analytics.Coverage]

    @classmethod
    def of(cls, found: analytics.Coverage) -> Coverage:
        """The GraphQL view of the service's coverage."""
        return cls(
            decision_makers=[DecisionMakerCoverage.of(c) for c in found.decision_makers],
            single_threaded=found.single_threaded,
            stale_relationships=found.stale_relationships,
            contacts=found.contacts,
            status=found.status,
            stale_contacts=[
                StaleContact(
                    last_contact_on=c.last_contact_on,
                    days_since_contact=c.days_since_contact,
                    found=c,
                )
                for c in found.stale
            ],
            found=found,
        )

    @strawberry.field(
        description="When SINGLE_THREADED, our one person every thread starts at (the account "
        "is lost if they leave); null otherwise."
    )
    async def single_thread(self, info: Info) -> Person | None:
        if self.found.single_thread is None:
            return None
        return await person_named(info, self.found.single_thread, _REFERRER)
