"""The ``relationships`` list narrowed to an organization scope (``organizationId``), over
real HTTP on the Kaito group, on each store in turn: the power map reads every line between
the people of a scope in a few pages rather than one request per person."""

from __future__ import annotations

from tests.api.conftest import Api

LINES = """query($f: RelationshipFilter, $after: String, $first: Int) {
  relationships(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { type from { id } to { id } dotted } } } }"""

# every line of the Kaito group with both ends among kaito's people (kaito-log's president
# p-log has lines only to our own account executive, so none of them is in the scope)
KAITO_LINES = [
    ("INFLUENCES", "p-cfo", "p-ceo", False),
    ("INFLUENCES", "p-eng", "p-cio", False),
    ("KNOWS", "p-hr", "p-cfo", False),  # a KNOWS key is the sorted pair
    ("KNOWS", "p-itdir", "p-eng", False),
    ("REPORTS_TO", "p-cfo", "p-ceo", False),
    ("REPORTS_TO", "p-cio", "p-ceo", False),
    ("REPORTS_TO", "p-eng", "p-itdir", False),
    ("REPORTS_TO", "p-hr", "p-ceo", False),
    ("REPORTS_TO", "p-itdir", "p-cio", False),
    ("REPORTS_TO", "p-pm", "p-cfo", True),
    ("REPORTS_TO", "p-pm", "p-itdir", False),
]


def _lines(page: dict[str, list[dict[str, dict[str, object]]]]) -> list[tuple[object, ...]]:
    return [
        (e["node"]["type"], e["node"]["from"]["id"], e["node"]["to"]["id"], e["node"]["dotted"])  # type: ignore[index]
        for e in page["edges"]
    ]


async def test_scope_relationships_have_both_ends_among_the_scopes_people(
    kaito_api: Api,
) -> None:
    # when the lines of kaito's scope (with subsidiaries, the default) are read in pages of 4
    seen: list[tuple[object, ...]] = []
    after = None
    totals = set()
    while True:
        page = (await kaito_api.data(LINES, f={"organizationId": "kaito"}, first=4, after=after))[
            "relationships"
        ]
        seen += _lines(page)
        totals.add(page["totalCount"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then every line between two of its people comes once, in key order, and none to
    # anyone outside (our account executives know p-itdir, p-hr and p-log)
    assert seen == KAITO_LINES
    assert totals == {11}


async def test_scope_relationships_combine_with_type_person_and_subsidiaries(
    kaito_api: Api,
) -> None:
    data = await kaito_api.data(
        """{ influences: relationships(filter: {organizationId: "kaito", type: [INFLUENCES]}) {
               totalCount }
             eng: relationships(filter: {organizationId: "kaito", personId: "p-eng"}) {
               totalCount }
             log: relationships(filter: {organizationId: "kaito-log"}) { totalCount }
             alone: relationships(filter: {organizationId: "kaito",
                                           includeSubsidiaries: false}) { totalCount }
             ours: relationships(filter: {organizationId: "us"}) {
               edges { node { type from { id } to { id } } } } }"""
    )

    assert data["influences"]["totalCount"] == 2
    assert data["eng"]["totalCount"] == 3
    assert data["log"]["totalCount"] == 0
    assert data["alone"]["totalCount"] == 11
    assert [e["node"] for e in data["ours"]["edges"]] == [
        {"type": "KNOWS", "from": {"id": "ae-1"}, "to": {"id": "ae-2"}},
        {"type": "REPORTS_TO", "from": {"id": "ae-1"}, "to": {"id": "ae-2"}},
    ]


async def test_scope_relationships_of_an_unknown_organization_are_not_found(
    kaito_api: Api,
) -> None:
    [error] = await kaito_api.errors(
        '{ relationships(filter: {organizationId: "nope"}) { totalCount } }'
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "nope" in error["message"]


async def test_power_map_lines_are_the_scope_relationships_in_one_answer(
    kaito_api: Api,
) -> None:
    # when a front end asks for the lines of kaito's power map in one request, by id only
    data = await kaito_api.data(
        """{ all: powerMapLines(organizationId: "kaito") {
               type fromId toId dotted from { id } to { id } }
             alone: powerMapLines(organizationId: "kaito", includeSubsidiaries: false) {
               type fromId toId }
             ours: powerMapLines(organizationId: "us") { type fromId toId } }"""
    )

    # then they are the scope's relationships, in the key order of the paged list, and the ids
    # are those of the people at each end
    assert [(r["type"], r["fromId"], r["toId"], r["dotted"]) for r in data["all"]] == KAITO_LINES
    assert all(r["from"]["id"] == r["fromId"] and r["to"]["id"] == r["toId"] for r in data["all"])
    assert [(r["type"], r["fromId"], r["toId"]) for r in data["alone"]] == [
        line[:3] for line in KAITO_LINES
    ]
    assert data["ours"] == [
        {"type": "KNOWS", "fromId": "ae-1", "toId": "ae-2"},
        {"type": "REPORTS_TO", "fromId": "ae-1", "toId": "ae-2"},
    ]


async def test_power_map_lines_of_an_unknown_organization_are_not_found(
    kaito_api: Api,
) -> None:
    [error] = await kaito_api.errors('{ powerMapLines(organizationId: "nope") { type } }')

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "nope" in error["message"]
