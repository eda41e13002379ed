"""The change log, reviews and accountChanges through real GraphQL requests."""

from __future__ import annotations

from typing import Any

from graphsvc.domain.auth import Role
from graphsvc.services.tokens import TokenService
from tests.api.conftest import Api, Served
from tests.factories import kaito_document

CHANGES = """
query ($since: Int, $org: ID, $kinds: [String!], $first: Int, $after: String) {
  changes(since: $since, organizationId: $org, kinds: $kinds, first: $first, after: $after) {
    edges { cursor node { version index actor kind key operation fields before after } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

CREATE_REVIEW = """
mutation ($org: ID!, $title: String!, $notes: String) {
  createReview(organizationId: $org, title: $title, notes: $notes) {
    __typename
    ... on ReviewPayload { review { id organizationId title notes version actor } }
    ... on Error { code message }
  }
}
"""

ACCOUNT_CHANGES = """
query ($org: ID!, $review: ID) {
  accountChanges(organizationId: $org, sinceReview: $review) {
    fromVersion toVersion complete changeCount sinceReview { id title }
    peopleAdded { personId name person { id name } actor }
    peopleRemoved { personId name person { id } }
    stanceChanges { personId from to person { name } }
    roleChanges { personId field from to }
    relationshipChanges { change type from to strengthBefore strengthAfter }
    decisionRightChanges { change personId scopeId area role }
    stageChanges { opportunityId from to opportunity { id stage } }
  }
}
"""


async def test_changes_pages_through_the_log_with_opaque_cursors(kaito: Api) -> None:
    # when the log of the Kaito import is read three changes at a time
    keys: list[str] = []
    after = None
    while True:
        found = (await kaito.data(CHANGES, first=3, after=after, kinds=["person"]))["changes"]
        keys += [edge["node"]["key"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]

    # then every person's creation comes once, in log order
    assert sorted(keys) == sorted(p.id for p in kaito_document().people)
    assert len(keys) == len(set(keys))


async def test_changes_since_a_version_and_in_a_scope(kaito: Api) -> None:
    await kaito.data(
        'mutation { updatePerson(id: "p-log", input: {stance: CHAMPION}) { __typename } }'
    )
    await kaito.data(
        'mutation { updatePerson(id: "ae-1", input: {title: "Senior BDR"}) { __typename } }'
    )

    found = (await kaito.data(CHANGES, since=1))["changes"]["edges"]
    assert [(e["node"]["version"], e["node"]["key"]) for e in found] == [(2, "p-log"), (3, "ae-1")]
    node = found[0]["node"]
    assert (node["kind"], node["operation"], node["fields"]) == ("person", "UPDATED", ["stance"])
    assert (node["before"]["stance"], node["after"]["stance"]) == ("UNKNOWN", "CHAMPION")
    assert node["actor"] == "local"  # authentication is off in this app

    scoped = (await kaito.data(CHANGES, since=1, org="kaito"))["changes"]["edges"]
    assert [e["node"]["key"] for e in scoped] == ["p-log"]  # kaito-log is kaito's subsidiary


async def test_changes_refuses_bad_arguments(kaito: Api) -> None:
    (error,) = await kaito.errors(CHANGES, kinds=["people"])
    assert "unknown change kind 'people'" in error["message"]
    (error,) = await kaito.errors(CHANGES, after="not-a-cursor")
    assert "not a cursor" in error["message"]
    (error,) = await kaito.errors(CHANGES, first=501)
    assert "more than the maximum page size 500" in error["message"]
    (error,) = await kaito.errors(CHANGES, org="nope")
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_a_review_then_account_changes_since_it(kaito: Api) -> None:
    created = (await kaito.data(CREATE_REVIEW, org="kaito", title="  Q3 review ", notes="ok"))[
        "createReview"
    ]
    review = created["review"]
    assert (review["title"], review["version"], review["actor"]) == ("Q3 review", 1, "local")
    await kaito.data(
        'mutation { updatePerson(id: "p-cfo", input: {stance: SUPPORTER}) { __typename } }'
    )
    await kaito.data('mutation { deletePerson(id: "p-pm") { __typename } }')

    found = (await kaito.data(ACCOUNT_CHANGES, org="kaito", review=review["id"]))["accountChanges"]

    assert found["sinceReview"] == {"id": review["id"], "title": "Q3 review"}
    assert (found["fromVersion"], found["toVersion"], found["complete"]) == (1, 3, True)
    assert found["stanceChanges"] == [
        {"personId": "p-cfo", "from": "SKEPTIC", "to": "SUPPORTER", "person": {"name": "鈴木 花子"}}
    ]
    assert found["peopleRemoved"] == [{"personId": "p-pm", "name": "渡辺 彩", "person": None}]
    assert [r["change"] for r in found["relationshipChanges"]] == ["REMOVED", "REMOVED"]
    reviews = await kaito.data('{ reviews(organizationId: "kaito") { id title } }')
    assert reviews["reviews"] == [{"id": review["id"], "title": "Q3 review"}]


async def test_review_and_account_changes_errors(kaito: Api) -> None:
    blank = (await kaito.data(CREATE_REVIEW, org="kaito", title="  "))["createReview"]
    assert (blank["__typename"], blank["message"]) == ("ValidationError", "a review needs a title")
    unknown = (await kaito.data(CREATE_REVIEW, org="nope", title="x"))["createReview"]
    assert unknown["__typename"] == "NotFoundError"
    (error,) = await kaito.errors(ACCOUNT_CHANGES, org="kaito", review="rv-missing")
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "review 'rv-missing' does not exist" in error["message"]


async def test_the_actor_of_an_api_write_is_the_tokens_id(served: Served) -> None:
    await served.seed("w", kaito_document())
    tokens = TokenService(served.store)
    editor = await tokens.create("w", Role.EDITOR)
    viewer = await tokens.create("w", Role.VIEWER)

    response = await served.graphql(
        'mutation { updatePerson(id: "p-cio", input: {title: "CDO"}) { __typename } }',
        token=editor.secret,
    )
    assert response.json()["data"]["updatePerson"]["__typename"] == "PersonPayload"
    review = await served.graphql(
        CREATE_REVIEW, {"org": "kaito", "title": "t"}, token=viewer.secret
    )

    found = await served.graphql(CHANGES, {"since": 0, "kinds": ["person"]}, token=viewer.secret)
    edges: list[dict[str, Any]] = found.json()["data"]["changes"]["edges"]
    assert [(e["node"]["key"], e["node"]["actor"]) for e in edges] == [("p-cio", editor.token.id)]
    assert review.json()["data"]["createReview"]["__typename"] == "ForbiddenError"
