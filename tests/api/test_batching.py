"""Navigation is batched: the store calls of a query do not grow with the rows it lists."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from graphsvc.api.app import create_app
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import DecisionRight, Entity, Relationship
from graphsvc.services.container import Services
from graphsvc.store.base import GraphStore
from tests.api.conftest import api_settings
from tests.factories import dept, document, kaito_document, org, person


class CountingStore:
    """The real store, counting the read calls that reach it (by method and kind)."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.url = inner.url
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        # Everything not counted below (writes, versions, tokens) goes straight through.
        return getattr(self.inner, name)

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        self.calls[f"get {kind.value}"] += 1
        return await self.inner.get(workspace, kind, ids)

    async def find(
        self, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
    ) -> list[Entity]:
        self.calls[f"find {kind.value}"] += 1
        return await self.inner.find(workspace, kind, where)

    async def page(self, workspace: str, kind: EntityKind, query: ListQuery) -> list[Entity]:
        self.calls[f"page {kind.value}"] += 1
        return await self.inner.page(workspace, kind, query)

    async def count(self, workspace: str, kind: EntityKind, query: ListQuery) -> int:
        self.calls[f"count {kind.value}"] += 1
        return await self.inner.count(workspace, kind, query)

    async def relationships(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        self.calls["relationships"] += 1
        return await self.inner.relationships(workspace, person_ids, types)

    async def relationship_page(
        self,
        workspace: str,
        *,
        after: tuple[str, str, str] | None,
        first: int,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        self.calls["relationship_page"] += 1
        return await self.inner.relationship_page(workspace, after=after, first=first, types=types)

    async def count_relationships(
        self, workspace: str, types: Sequence[RelationshipType] | None = None
    ) -> int:
        self.calls["count_relationships"] += 1
        return await self.inner.count_relationships(workspace, types)

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]:
        self.calls["decision_rights"] += 1
        return await self.inner.decision_rights(workspace, person_ids, scope_ids)


@asynccontextmanager
async def _client(
    tmp_path: Path, workspace: str, services: Services
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the app (started through its lifespan) serving ``services``."""
    app = create_app(api_settings(tmp_path, workspace), services=services)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://127.0.0.1"
        ) as client,
    ):
        yield client


QUERY = """query($first: Int) { people(first: $first) { edges { node {
  name organization { name } manager { name }
  department { name organization { name subsidiaries { id } } }
  decisionRights { area } } } } }"""


async def _calls_for(
    sqlite_store: GraphStore, tmp_path: Path, workspace: str, n: int
) -> Counter[str]:
    """Store calls made by QUERY over a group of ``n`` people in 2 organizations, 5 departments."""
    await sqlite_store.drop_workspace(workspace)
    counting = CountingStore(sqlite_store)
    services = Services.over(counting)
    departments = [dept(f"d{i}", "a" if i < 3 else "b") for i in range(5)]
    people = [
        person(f"p{i:03}", departments[i % 5].organization_id, department_id=f"d{i % 5}",
               reports_to_id=f"p{i - 1:03}" if i % 5 else None)
        for i in range(n)
    ]  # fmt: skip
    await services.graph.import_document(
        workspace,
        document(organizations=[org("a"), org("b", parent_id="a")], departments=departments,
                 people=people),
    )  # fmt: skip
    counting.calls.clear()
    async with _client(tmp_path, workspace, services) as client:
        response = await client.post("/graphql", json={"query": QUERY, "variables": {"first": n}})
    body = response.json()
    assert "errors" not in body, body
    assert len(body["data"]["people"]["edges"]) == n
    return counting.calls


async def test_fifty_people_with_their_department_and_organization_take_a_few_store_calls(
    sqlite_store: GraphStore, tmp_path: Path, workspace: str
) -> None:
    few = await _calls_for(sqlite_store, tmp_path, workspace, 5)
    fifty = await _calls_for(sqlite_store, tmp_path, workspace, 50)

    assert fifty == few
    assert fifty == Counter(
        {
            "page people": 1,
            "get organizations": 1,
            "get departments": 1,
            "relationships": 1,
            "get people": 1,
            "decision_rights": 1,
            "find organizations": 1,
        }
    )


ROUTES = """{ contactRoutes(to: "p-cio", k: 3) { people { id name } hops { from { id } } } }"""


async def test_the_people_of_every_route_take_one_store_read(
    sqlite_store: GraphStore, tmp_path: Path, workspace: str
) -> None:
    # given the Kaito group, where the best routes to the CIO pass through several people
    counting = CountingStore(sqlite_store)
    services = Services.over(counting)
    await services.graph.import_document(workspace, kaito_document())
    async with _client(tmp_path, workspace, services) as client:
        await client.post("/graphql", json={"query": ROUTES})  # builds the projection
        counting.calls.clear()
        # when three routes and their people are asked for
        body = (await client.post("/graphql", json={"query": ROUTES})).json()

    # then every person on them came in one read
    assert "errors" not in body, body
    routes = body["data"]["contactRoutes"]
    assert len(routes) == 3
    assert len({p["id"] for r in routes for p in r["people"]}) > 4
    assert counting.calls == Counter({"get people": 1})


POWER_MAP = """{ powerMap(organizationId: "kaito") {
  person { id name title manager { name } } influence brokerage hiddenInfluencer formalRank } }"""


async def test_a_whole_power_map_reads_its_people_once_and_names_each_row_s_person(
    sqlite_store: GraphStore, tmp_path: Path, workspace: str
) -> None:
    # given the Kaito group, its projection built
    counting = CountingStore(sqlite_store)
    services = Services.over(counting)
    await services.graph.import_document(workspace, kaito_document())
    async with _client(tmp_path, workspace, services) as client:
        await client.post("/graphql", json={"query": POWER_MAP})
        counting.calls.clear()
        # when the whole power map is asked with each person and their manager
        body = (await client.post("/graphql", json={"query": POWER_MAP})).json()
        reads = counting.calls["get people"]
        # and each of those people is asked on their own
        scores = body["data"]["powerMap"]
        alone = {}
        for score in scores:
            one = await client.post(
                "/graphql",
                json={"query": "query($id: ID!) { person(id: $id) { id name title manager "
                      "{ name } } }", "variables": {"id": score["person"]["id"]}},
            )  # fmt: skip
            alone[score["person"]["id"]] = one.json()["data"]["person"]

    # then the people of every row (and their managers, who are in the scope) came in one read
    assert "errors" not in body, body
    assert len(scores) == 8
    assert reads == 1
    # and each row names the person it scores, as the person query does
    assert {s["person"]["id"]: s["person"] for s in scores} == alone


PAGE_SPELLINGS = (
    "{ people(first: 500) { edges { node { id organization { name } department { name } } } } }",
    "{ people(first: 500) { edges { node { id ...P } } } } "
    "fragment P on Person { organization { name } department { name } }",
    "{ people(first: 500) { ... on PersonConnection { edges { node { id "
    "... on Person { organization { name } } department { name } } } } } }",
)


async def test_a_page_s_organizations_and_departments_come_in_one_read_each_however_spelled(
    sqlite_store: GraphStore, tmp_path: Path, workspace: str
) -> None:
    # given the Kaito group
    counting = CountingStore(sqlite_store)
    services = Services.over(counting)
    await services.graph.import_document(workspace, kaito_document())
    async with _client(tmp_path, workspace, services) as client:
        answers = []
        for query in PAGE_SPELLINGS:
            counting.calls.clear()
            # when a page asks for its people's organization and department (plain, through a
            # fragment, through inline fragments)
            body = (await client.post("/graphql", json={"query": query})).json()
            assert "errors" not in body, body
            answers.append(body["data"])
            # then each kind is read once
            assert counting.calls["get organizations"] == 1
            assert counting.calls["get departments"] == 1
        # and it is the same answer, every person with their organization
        assert answers[0] == answers[1] == answers[2]
        people = [e["node"] for e in answers[0]["people"]["edges"]]
        assert people
        assert all(p["organization"]["name"] for p in people)
        assert any(p["department"] is None for p in people)
        assert any(p["department"] is not None for p in people)


async def test_a_page_of_every_relationship_reads_that_page_not_the_whole_list(
    sqlite_store: GraphStore, tmp_path: Path, workspace: str
) -> None:
    # given the Kaito group behind a store that counts its calls
    counting = CountingStore(sqlite_store)
    services = Services.over(counting)
    await services.graph.import_document(workspace, kaito_document())
    whole = await sqlite_store.relationships(workspace, None, [RelationshipType.KNOWS])
    counting.calls.clear()

    # when two pages of KNOWS relationships are asked for, with their total
    query = """query($after: String) { relationships(first: 2, after: $after,
      filter: {type: KNOWS}) { totalCount pageInfo { endCursor }
      edges { node { fromId toId } } } }"""
    async with _client(tmp_path, workspace, services) as client:
        first = (await client.post("/graphql", json={"query": query})).json()
        cursor = first["data"]["relationships"]["pageInfo"]["endCursor"]
        second = (
            await client.post("/graphql", json={"query": query, "variables": {"after": cursor}})
        ).json()

    # then each page was read as a page and counted apart, never read whole
    assert counting.calls == Counter({"relationship_page": 2, "count_relationships": 2})
    pages = first["data"]["relationships"]["edges"] + second["data"]["relationships"]["edges"]
    assert [(e["node"]["fromId"], e["node"]["toId"]) for e in pages] == [
        (r.from_id, r.to_id) for r in whole[:4]
    ]
    assert first["data"]["relationships"]["totalCount"] == len(whole)
