"""HTTP caching of reads over GET (CONTRACT §10): an ETag from the workspace version and the
request; ``If-None-Match`` with the current tag answers 304 without running the query, but
only after the token is authenticated; any write, another workspace, another day or another
server configuration gives another tag."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from asgi_lifespan import LifespanManager

from graphsvc.api.app import create_app
from graphsvc.api.graphql.schema import build_schema
from graphsvc.api.http_cache import TAGGED_FIELDS, UNTAGGED_FIELDS, is_cacheable
from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.services.container import Services
from graphsvc.services.tokens import TokenService
from graphsvc.store.sqlite import SqliteStore
from tests.api.answers import without_cost
from tests.api.conftest import Served, api_settings, running_api
from tests.factories import kaito_document

POWER_MAP = "query ($org: ID!) { powerMap(organizationId: $org) { person { id name } influence } }"
LARGE_POWER_MAP = """query ($org: ID!) { powerMap(organizationId: $org) {
  person { id name title department { id name } organization { id name } }
  influence formalRank brokerage hiddenInfluencer } }"""
KAITO = orjson.dumps({"org": "kaito"}).decode()


async def _get(
    served: Served,
    token: str,
    query: str = POWER_MAP,
    variables: str | None = KAITO,
    *,
    etag: str | None = None,
    **headers: str,
) -> httpx.Response:
    params = {"query": query} | ({"variables": variables} if variables else {})
    sent = {"Authorization": f"Bearer {token}", **headers}
    if etag is not None:
        sent["If-None-Match"] = etag
    return await served.client.get("/graphql", params=params, headers=sent)


@pytest.fixture
async def kaito(served: Served) -> Served:
    await served.seed("default", kaito_document())
    return served


async def test_a_read_over_get_carries_a_weak_etag_that_must_be_revalidated(kaito: Served) -> None:
    token = await kaito.token("default")
    response = await _get(kaito, token)
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert response.headers["etag"].startswith('W/"')
    assert response.headers["cache-control"] == "private, no-cache"
    assert {"Accept", "Authorization"} <= {v.strip() for v in response.headers["vary"].split(",")}
    # the same request at the same version has the same tag
    assert (await _get(kaito, token)).headers["etag"] == response.headers["etag"]


async def test_a_post_carries_no_etag(kaito: Served) -> None:
    token = await kaito.token("default")
    response = await kaito.graphql(POWER_MAP, {"org": "kaito"}, token=token)
    assert response.status_code == 200
    assert "etag" not in response.headers


async def test_if_none_match_with_the_current_tag_answers_304_without_running_the_query(
    kaito: Served,
) -> None:
    token = await kaito.token("default")
    first = await _get(kaito, token)
    kaito.counting.calls.clear()
    # when the client revalidates its copy
    again = await _get(kaito, token, etag=first.headers["etag"])
    # then it is told to keep it, and nothing but the workspace version was read
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == "private, no-cache"
    assert kaito.counting.calls == ["version"]
    # a list of tags, one of them current, is a match too (RFC 9110 §13.1.2)
    listed = await _get(kaito, token, etag=f'W/"stale", {first.headers["etag"]}')
    assert listed.status_code == 304


async def test_a_get_naming_a_persisted_query_by_hash_is_tagged_and_revalidated(
    kaito: Served,
) -> None:
    # given a read the server keeps by its hash (APQ), asked for by hash alone over GET
    token = await kaito.token("default")
    sha = hashlib.sha256(POWER_MAP.encode()).hexdigest()
    extensions = orjson.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha}}).decode()
    auth = {"Authorization": f"Bearer {token}"}
    by_hash = {"extensions": extensions, "variables": KAITO}
    unknown = await kaito.client.get("/graphql", params=by_hash, headers=auth)
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "etag" not in unknown.headers
    registered = await kaito.client.get(
        "/graphql", params={**by_hash, "query": POWER_MAP}, headers=auth
    )
    assert "errors" not in registered.json(), registered.json()
    # then the hash-only answer carries a tag, and revalidating it answers 304
    first = await kaito.client.get("/graphql", params=by_hash, headers=auth)
    assert without_cost(first.json()) == without_cost(registered.json())
    assert first.headers["etag"].startswith('W/"')
    again = await kaito.client.get(
        "/graphql", params=by_hash, headers={**auth, "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


async def test_a_stale_tag_gets_the_full_answer(kaito: Served) -> None:
    token = await kaito.token("default")
    first = await _get(kaito, token)
    response = await _get(kaito, token, etag='W/"not-the-tag"')
    assert response.status_code == 200
    assert without_cost(response.json()) == without_cost(first.json())


async def test_a_write_through_the_api_changes_the_tag(kaito: Served) -> None:
    token = await kaito.token("default", Role.EDITOR)
    first = await _get(kaito, token)
    written = await kaito.graphql(
        'mutation { updatePerson(id: "p-cio", input: {title: "CIO and CDO"}) { __typename } }',
        token=token,
    )
    assert "errors" not in written.json(), written.json()
    after = await _get(kaito, token, etag=first.headers["etag"])
    assert after.status_code == 200
    assert after.headers["etag"] != first.headers["etag"]


async def test_a_write_from_another_process_changes_the_tag(kaito: Served) -> None:
    # given a tag, when the CLI (another process on the same store) imports a change
    token = await kaito.token("default")
    first = await _get(kaito, token)
    doc = kaito_document()
    doc.people[0] = doc.people[0].model_copy(update={"title": "Renamed elsewhere"})
    await kaito.seed("default", doc)
    # then the old tag no longer matches and the answer shows the change
    after = await _get(kaito, token, etag=first.headers["etag"])
    assert after.status_code == 200
    assert after.headers["etag"] != first.headers["etag"]


async def test_another_workspace_gets_another_tag_for_the_same_request(kaito: Served) -> None:
    await kaito.seed("other", kaito_document())
    mine = await _get(kaito, await kaito.token("default"))
    theirs = await _get(kaito, await kaito.token("other"), etag=mine.headers["etag"])
    assert theirs.status_code == 200
    assert theirs.headers["etag"] != mine.headers["etag"]


async def test_a_revoked_token_gets_401_not_304(kaito: Served) -> None:
    issued = await TokenService(kaito.store).create("default", Role.VIEWER)
    first = await _get(kaito, issued.secret)
    await TokenService(kaito.store).revoke(issued.token.id)
    response = await _get(kaito, issued.secret, etag=first.headers["etag"])
    assert response.status_code == 401
    assert "etag" not in response.headers


async def test_a_mutation_over_get_is_refused_and_changes_nothing(kaito: Served) -> None:
    token = await kaito.token("default", Role.ADMIN)
    response = await _get(
        kaito, token, 'mutation { deletePerson(id: "p-cio") { __typename } }', None
    )
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID"
    assert "etag" not in response.headers
    still = await kaito.graphql('{ person(id: "p-cio") { id } }', token=token)
    assert without_cost(still.json()) == {"data": {"person": {"id": "p-cio"}}}


async def test_an_answer_with_errors_is_not_tagged(kaito: Served) -> None:
    token = await kaito.token("default")
    response = await _get(kaito, token, variables=orjson.dumps({"org": "nope"}).decode())
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == "no-store"


async def test_answers_the_version_does_not_pin_are_not_tagged(kaito: Served) -> None:
    # a review is recorded without a new workspace version, so reviews are never tagged
    token = await kaito.token("default", Role.EDITOR)
    reviews = '{ reviews(organizationId: "kaito") { title } }'
    first = await _get(kaito, token, reviews, None)
    assert "etag" not in first.headers
    assert first.headers["cache-control"] == "no-store"
    created = await kaito.graphql(
        'mutation { createReview(organizationId: "kaito", title: "QBR") { __typename } }',
        token=token,
    )
    assert "errors" not in created.json()
    assert (await _get(kaito, token, reviews, None)).json()["data"]["reviews"] == [{"title": "QBR"}]


async def test_the_tag_is_the_same_for_gzipped_and_plain_answers(kaito: Served) -> None:
    token = await kaito.token("default")
    zipped = await _get(kaito, token, LARGE_POWER_MAP, **{"Accept-Encoding": "gzip"})
    plain = await _get(kaito, token, LARGE_POWER_MAP, **{"Accept-Encoding": "identity"})
    assert zipped.headers.get("content-encoding") == "gzip"
    assert zipped.headers["etag"] == plain.headers["etag"]
    revalidated = await _get(
        kaito, token, LARGE_POWER_MAP, etag=plain.headers["etag"], **{"Accept-Encoding": "gzip"}
    )
    assert revalidated.status_code == 304


@pytest.fixture
async def dated(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, str, list[date]]]:
    """An app whose analytics' today is ``day[0]``, with a viewer token; Kaito imported."""
    db = tmp_path / "dated.db"
    store = SqliteStore(str(db))
    await store.open()
    day = [date(2026, 11, 27)]
    services = Services.over(store, clock=lambda: day[0])
    await services.graph.import_document("default", kaito_document())
    token = (await services.tokens.create("default", Role.VIEWER)).secret
    app = create_app(Settings(store=f"sqlite:///{db}"), services=services)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as client,
    ):
        yield client, token, day
    await store.close()


async def test_a_new_day_gives_a_new_tag(
    dated: tuple[httpx.AsyncClient, str, list[date]],
) -> None:
    # displacementWindows without asOf is counted from today: tomorrow's answer may differ
    client, token, day = dated
    params = {"query": '{ displacementWindows(organizationId: "kaito") { id } }'}
    headers: dict[str, Any] = {"Authorization": f"Bearer {token}"}
    today = await client.get("/graphql", params=params, headers=headers)
    day[0] = date(2026, 11, 28)
    headers["If-None-Match"] = today.headers["etag"]
    tomorrow = await client.get("/graphql", params=params, headers=headers)
    assert tomorrow.status_code == 200
    assert tomorrow.headers["etag"] != today.headers["etag"]


def test_every_query_field_is_classified_as_tagged_or_not() -> None:
    # a new root field must be judged: does the workspace version pin its answer?
    fields = set(build_schema()._schema.query_type.fields)
    assert fields == TAGGED_FIELDS | UNTAGGED_FIELDS
    assert not TAGGED_FIELDS & UNTAGGED_FIELDS


@pytest.mark.parametrize(
    ("query", "operation", "cacheable"),
    [
        ('{ powerMap(organizationId: "k") { influence } }', None, True),
        ("query A { viewer { role } __typename }", None, True),
        ('query A { categories } query B { reviews(organizationId: "k") { id } }', "A", True),
        ('query A { categories } query B { reviews(organizationId: "k") { id } }', "B", False),
        ("query A { categories } query B { categories }", None, False),
        ("{ ...F } fragment F on Query { changes { totalCount } }", None, False),
        ("{ ... on Query { categories } }", None, True),
        ('mutation { deletePerson(id: "p") { __typename } }', None, False),
        ("subscription { changed { version } }", None, False),
        ("{ categories", None, False),
    ],
)
def test_which_operations_are_cacheable(query: str, operation: str | None, cacheable: bool) -> None:
    assert is_cacheable(query, operation) is cacheable


async def test_tags_304s_and_writes_behave_alike_on_every_store(
    tmp_path: Path, workspace: str, store_settings: dict[str, str]
) -> None:
    # given Kaito on the store, served without auth (the principal is the settings' admin)
    settings = api_settings(tmp_path, workspace, store_settings)
    async with running_api(settings, kaito_document()) as api:
        params = {"query": POWER_MAP, "variables": KAITO}
        first = await api.client.get("/graphql", params=params)
        assert first.headers["etag"].startswith('W/"')
        # when it is revalidated, then 304; after a write, a new tag and the new answer
        revalidate = {"If-None-Match": first.headers["etag"]}
        assert (
            await api.client.get("/graphql", params=params, headers=revalidate)
        ).status_code == 304
        await api.data('mutation { deletePerson(id: "p-eng") { __typename } }')
        after = await api.client.get("/graphql", params=params, headers=revalidate)
        assert after.status_code == 200
        assert after.headers["etag"] != first.headers["etag"]
        assert len(after.json()["data"]["powerMap"]) == len(first.json()["data"]["powerMap"]) - 1
