"""powerMap's type: one person's formal and informal power within the scope."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types.person import Person
from graphsvc.api.graphql.types.rounding import rounded
from graphsvc.domain import models
from graphsvc.domain.enums import EntityKind
from graphsvc.services import analytics

__all__ = ["PowerScore", "prime_people"]


async def prime_people(info: Info, ids: list[str]) -> dict[str, models.Person]:
    """Read the people ``ids`` in one store call into the request's person loader.

    Returns the people read, so that a big answer can hand each row its person directly.
    """
    found = await info.context.services.graph.get(info.context.workspace, EntityKind.PERSON, ids)
    people = {id_: record for id_, record in found.items() if isinstance(record, models.Person)}
    info.context.loaders.person.prime_many(people)
    return people


@strawberry.type(description="One person's formal and informal power within the scope.")
class PowerScore:
    influence: float = strawberry.field(
        description="Weighted PageRank (damping 0.85) on the listens-to graph of the scope "
        "(INFLUENCES a→b adds b→a, REPORTS_TO a→b adds a→b, weighted by strength, parallel "
        "edges adding up), scaled so the maximum is 1; 0 for all when nobody listens to anyone. "
        "Rounded to 6 decimal places."
    )
    formal_rank: int = strawberry.field(
        description="EXECUTIVE 5, VP 4, DIRECTOR 3, MANAGER 2, STAFF 1, unknown 0."
    )
    brokerage: float = strawberry.field(
        description="Normalised betweenness centrality on the undirected, unweighted "
        "relationship graph among the scope's people: exact for scopes of up to "
        f"{analytics.EXACT_UP_TO:,} people (networkx's betweenness_centrality value, "
        f"computed block by block); above {analytics.EXACT_UP_TO:,}, the Brandes–Pich "
        f"estimate from {analytics.PIVOTS} source people drawn with a fixed seed (the same "
        "answer on every call, the top brokers found reliably, their values typically "
        "within 10 %). Rounded to 6 decimal places."
    )
    hidden_influencer: bool = strawberry.field(
        description="formalRank ≤ 2 and influence > 0 and in the top 20 % of the scope: at most "
        "ceil(20 % of the scope) people, this one included, have at least this influence. People "
        "tied across that line are all out (everyone nobody listens to shares one base value)."
    )
    person_id: strawberry.Private[str]
    person_record: strawberry.Private[models.Person | None]

    @classmethod
    def of(cls, score: analytics.PowerScore, person: models.Person | None) -> PowerScore:
        """The GraphQL view of a score the service computed (its values rounded).

        ``person`` is the scored person as read with the whole answer (``prime_people``).
        """
        return cls(
            influence=rounded(score.influence),
            formal_rank=score.formal_rank,
            brokerage=rounded(score.brokerage),
            hidden_influencer=score.hidden_influencer,
            person_id=score.person_id,
            person_record=person,
        )

    @strawberry.field(description="The person.")
    def person(self) -> Person:
        # Synchronous on purpose: the person was read with the whole answer, and an awaited
        # resolver per row (a task and a future each in graphql-core) cost more than half of
        # a 1,978-person power map's time (bench/big_answers.py).
        if self.person_record is None:
            raise LookupError(f"an analytic result names a missing person {self.person_id}")
        return Person.from_record(self.person_record)
