"""CONTRACT §7 through the real HTTP API: the pipeline figures on the hand-worked set of
``tests.pipeline_case``, the opportunity's pipeline fields, and the stage model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.api.conftest import Api
from tests.pipeline_case import ACME_STAGES, ACME_STALLED, AS_OF, pipeline_document

IMPORT = """mutation($doc: JSON!) { importGraph(document: $doc) { __typename
  ... on ImportSuccess { opportunities version }
  ... on ImportFailed { code issues { path record message } } } }"""

PIPELINE = """query($org: ID!, $sub: Boolean, $asOf: Date, $days: Int) {
  pipeline(organizationId: $org, includeSubsidiaries: $sub, asOf: $asOf,
           stalledAfterDays: $days) {
    asOf
    stages { stage count amount weightedAmount medianDaysInStage conversionRate entered advanced }
    stalled { opportunity { id } stage daysInStage }
    bottleneck won { count amount } lost { count amount } winRate } }"""

OPPORTUNITY_FIELDS = """id stage status closeDate ownerId probability criteriaMet
  stageHistory { stage enteredOn } criteria { name met } owner { id }"""

CREATE = (
    """mutation($input: OpportunityCreateInput!) { createOpportunity(input: $input) {
  __typename ... on OpportunityPayload { opportunity { """
    + OPPORTUNITY_FIELDS
    + """ } }
  ... on ValidationError { code issues { path record message } } } }"""
)

UPDATE = (
    """mutation($id: ID!, $input: OpportunityUpdateInput!) {
  updateOpportunity(id: $id, input: $input) {
  __typename ... on OpportunityPayload { opportunity { """
    + OPPORTUNITY_FIELDS
    + """ } }
  ... on ValidationError { code issues { path record message } } } }"""
)

SET_STAGES = """mutation($stages: [PipelineStageInput!]!) { setPipelineStages(stages: $stages) {
  __typename ... on PipelineStagesPayload { stages { name probability } }
  ... on ValidationError { code message issues { path record message } } } }"""

VERSION_PROBE = '{ opportunity(id: "o1") { stage stageHistory { stage } } }'


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


async def _imported(api: Api) -> None:
    result = await api.data(IMPORT, doc=pipeline_document())
    assert result["importGraph"]["__typename"] == "ImportSuccess", result


async def test_pipeline_figures_match_the_hand_worked_set(api: Api) -> None:
    await _imported(api)
    data = await api.data(PIPELINE, org="acme", asOf=AS_OF.isoformat())
    found = data["pipeline"]
    assert found["asOf"] == "2026-03-31"
    assert [
        (
            s["stage"],
            s["count"],
            s["amount"],
            s["weightedAmount"],
            s["medianDaysInStage"],
            s["conversionRate"],
            s["entered"],
            s["advanced"],
        )
        for s in found["stages"]
    ] == ACME_STAGES
    assert [(d["opportunity"]["id"], d["stage"], d["daysInStage"]) for d in found["stalled"]] == (
        ACME_STALLED
    )
    assert found["bottleneck"] == "PROPOSAL"


async def test_pipeline_scope_threshold_and_tie_rule(api: Api) -> None:
    await _imported(api)
    alone = (await api.data(PIPELINE, org="acme", sub=False, asOf="2026-03-31"))["pipeline"]
    qualification = alone["stages"][1]
    assert (qualification["entered"], qualification["conversionRate"]) == (2, 0.5)
    assert [d["opportunity"]["id"] for d in alone["stalled"]] == ["o1"]
    # stalledAfterDays 29: o6 (exactly 30 days) joins, after the longer ones.
    strict = (await api.data(PIPELINE, org="acme", asOf="2026-03-31", days=29))["pipeline"]
    assert [d["daysInStage"] for d in strict["stalled"]] == [60, 39, 30]
    # tie-co: PROSPECTING and QUALIFICATION both convert 0 of 1; the earlier one wins.
    tie = (await api.data(PIPELINE, org="tie-co", asOf="2026-03-31"))["pipeline"]
    assert [s["conversionRate"] for s in tie["stages"][:2]] == [0.0, 0.0]
    assert tie["bottleneck"] == "PROSPECTING"


async def test_pipeline_counts_the_won_and_lost_deals_of_the_scope(api: Api) -> None:
    await _imported(api)
    acme = (await api.data(PIPELINE, org="acme", asOf="2026-03-31"))["pipeline"]
    assert (acme["won"], acme["lost"], acme["winRate"]) == (
        {"count": 1, "amount": 200000.0},
        {"count": 1, "amount": 10000.0},
        0.5,
    )
    tie = (await api.data(PIPELINE, org="tie-co", asOf="2026-03-31"))["pipeline"]
    assert (tie["won"], tie["lost"], tie["winRate"]) == (
        {"count": 0, "amount": 0.0},
        {"count": 2, "amount": 2000.0},
        0.0,
    )
    other = (await api.data(PIPELINE, org="other", asOf="2026-03-31"))["pipeline"]
    assert (other["won"]["count"], other["lost"]["count"], other["winRate"]) == (0, 0, None)


async def test_pipeline_refuses_an_unknown_organization_and_negative_days(api: Api) -> None:
    await _imported(api)
    (missing,) = await api.errors(PIPELINE, org="nowhere")
    assert missing["extensions"]["code"] == "NOT_FOUND"
    assert "'nowhere'" in missing["message"]
    (negative,) = await api.errors(PIPELINE, org="acme", days=-1)
    assert negative["extensions"]["code"] == "INVALID"
    assert negative["message"] == "stalledAfterDays must not be negative, got -1"


async def test_opportunity_fields_and_stage_history_kept_by_writes(api: Api) -> None:
    await _imported(api)
    created = await api.data(
        CREATE,
        input={
            "id": "n1",
            "name": "New deal",
            "organizationId": "acme",
            "category": "CRM",
            "stage": "QUALIFICATION",
            "closeDate": "2026-09-30",
            "ownerId": "s1",
            "probability": 0.3,
            "criteria": [{"name": "Budget confirmed", "met": True}, {"name": "Champion"}],
        },
    )
    deal = created["createOpportunity"]["opportunity"]
    assert deal["stageHistory"] == [{"stage": "QUALIFICATION", "enteredOn": _today()}]
    assert deal["criteriaMet"] == 0.5
    assert (deal["closeDate"], deal["ownerId"], deal["owner"], deal["probability"]) == (
        "2026-09-30",
        "s1",
        {"id": "s1"},
        0.3,
    )
    assert deal["criteria"] == [
        {"name": "Budget confirmed", "met": True},
        {"name": "Champion", "met": False},
    ]

    moved = await api.data(UPDATE, id="o1", input={"stage": "NEGOTIATION"})
    history = moved["updateOpportunity"]["opportunity"]["stageHistory"]
    assert history[:3] == [
        {"stage": "PROSPECTING", "enteredOn": "2026-01-01"},
        {"stage": "QUALIFICATION", "enteredOn": "2026-01-15"},
        {"stage": "PROPOSAL", "enteredOn": "2026-01-30"},
    ]
    assert history[3] == {"stage": "NEGOTIATION", "enteredOn": _today()}
    # A field that is not the stage keeps the history as stored; so does the same stage again.
    again = await api.data(UPDATE, id="o1", input={"stage": "NEGOTIATION", "amount": 5})
    assert again["updateOpportunity"]["opportunity"]["stageHistory"] == history

    # Importing the hand-worked document twice changes nothing the second time.
    document = pipeline_document()
    document["opportunities"] = [o for o in document["opportunities"] if o["id"] != "o1"]
    first = await api.data(IMPORT, doc=document)
    second = await api.data(IMPORT, doc=document)
    assert second["importGraph"]["opportunities"] == 0
    assert second["importGraph"]["version"] == first["importGraph"]["version"]


async def test_bad_pipeline_fields_are_refused_and_nothing_is_written(api: Api) -> None:
    await _imported(api)
    before = await api.data(VERSION_PROBE)
    bad: list[tuple[dict[str, Any], str, str]] = [
        ({"ownerId": "c1"}, "input.ownerId", "not of our own (SELF) organization 'us'"),
        ({"ownerId": "ghost"}, "input.ownerId", "names no person"),
        ({"probability": 1.5}, "input.probability", "probability must be at most 1.0, not 1.5"),
        (
            {"stageHistory": [{"stage": "Pitch", "enteredOn": "2026-01-01"}]},
            "input.stageHistory[0].stage",
            "stage 'Pitch' is not a stage of the workspace's pipeline model (PROSPECTING, "
            "QUALIFICATION, DISCOVERY, PROPOSAL, NEGOTIATION)",
        ),
        (
            {
                "stageHistory": [
                    {"stage": "PROSPECTING", "enteredOn": "2026-02-01"},
                    {"stage": "PROPOSAL", "enteredOn": "2026-01-01"},
                ]
            },
            "input.stageHistory[1].enteredOn",
            "enteredOn 2026-01-01 is before the previous entry's 2026-02-01",
        ),
    ]
    for patch, path, words in bad:
        result = (await api.data(UPDATE, id="o1", input=patch))["updateOpportunity"]
        assert result["__typename"] == "ValidationError", patch
        assert result["code"] == "INVALID"
        (issue,) = result["issues"]
        assert issue["path"] == path
        assert issue["record"] == "o1"
        assert words in issue["message"], issue
    assert await api.data(VERSION_PROBE) == before

    # In a document, the issue names the record's position.
    document = pipeline_document()
    document["opportunities"][1]["ownerId"] = "c1"
    refused = (await api.data(IMPORT, doc=document))["importGraph"]
    assert refused["__typename"] == "ImportFailed"
    assert [(i["path"], i["record"]) for i in refused["issues"]] == [
        ("opportunities[1].ownerId", "o2")
    ]


async def test_the_stage_model_can_be_replaced_and_is_checked(api: Api) -> None:
    default = await api.data("{ pipelineStages { name probability } }")
    assert default["pipelineStages"] == [
        {"name": "PROSPECTING", "probability": 0.05},
        {"name": "QUALIFICATION", "probability": 0.1},
        {"name": "DISCOVERY", "probability": 0.25},
        {"name": "PROPOSAL", "probability": 0.5},
        {"name": "NEGOTIATION", "probability": 0.75},
    ]
    await _imported(api)
    refusals = [
        ([], "stages", "a stage model needs at least one stage"),
        (
            [{"name": "A", "probability": 0.1}, {"name": "a", "probability": 0.2}],
            "stages[1].name",
            "stage 'a' is named twice (also stages[0])",
        ),
        ([{"name": "A", "probability": 2}], "stages[0].probability", "must be at most 1.0, not 2"),
    ]
    for stages, path, words in refusals:
        result = (await api.data(SET_STAGES, stages=stages))["setPipelineStages"]
        assert result["__typename"] == "ValidationError", stages
        assert [i["path"] for i in result["issues"]] == [path]
        assert words in result["issues"][0]["message"]

    # Dropping stages that stored deals name is refused, naming them.
    narrow = [{"name": "PROPOSAL", "probability": 0.4}, {"name": "NEGOTIATION", "probability": 0.7}]
    dropped = (await api.data(SET_STAGES, stages=narrow))["setPipelineStages"]
    assert dropped["__typename"] == "ValidationError"
    (issue,) = dropped["issues"]
    assert issue["path"] == "stages"
    assert "'o1' (PROSPECTING, QUALIFICATION)" in issue["message"]
    assert (await api.data("{ pipelineStages { name } }"))["pipelineStages"][0] == {
        "name": "PROSPECTING"
    }

    # A model that keeps every used stage (and adds one) is taken, and the pipeline uses it.
    wider = [
        {"name": "PROSPECTING", "probability": 0.1},
        {"name": "QUALIFICATION", "probability": 0.2},
        {"name": "DISCOVERY", "probability": 0.3},
        {"name": "PROPOSAL", "probability": 0.6},
        {"name": "SHORTLISTED", "probability": 0.7},
        {"name": "NEGOTIATION", "probability": 0.8},
    ]
    taken = (await api.data(SET_STAGES, stages=wider))["setPipelineStages"]
    assert taken == {"__typename": "PipelineStagesPayload", "stages": wider}
    assert (await api.data("{ pipelineStages { name probability } }"))["pipelineStages"] == wider
    found = (await api.data(PIPELINE, org="acme", asOf="2026-03-31"))["pipeline"]
    assert [s["stage"] for s in found["stages"]] == [s["name"] for s in wider]
    # PROPOSAL: o1 100000 × 0.6 + o2 40000 × 0.8 (its own probability) = 92000
    assert found["stages"][3]["weightedAmount"] == 92000.0
    # Histories may now name the new stage.
    moved = await api.data(UPDATE, id="o2", input={"stage": "SHORTLISTED"})
    assert moved["updateOpportunity"]["opportunity"]["stageHistory"][-1]["stage"] == "SHORTLISTED"


DELETE_PERSON = """mutation($id: ID!) { deletePerson(id: $id) {
  __typename ... on Error { code message } } }"""


async def test_an_owner_is_not_deleted_from_under_their_deals(api: Api) -> None:
    await _imported(api)
    refused = (await api.data(DELETE_PERSON, id="s1"))["deletePerson"]
    assert refused["__typename"] == "ConflictError"
    assert refused["message"] == (
        "person 's1' still owns opportunities 'o1', 'o2', 'o3', 'o4', 'o5' and 4 more; "
        "give them another ownerId first"
    )
    # A person of an account owns no deal: deleted as before.
    assert (await api.data(DELETE_PERSON, id="c1"))["deletePerson"]["__typename"] == "Deleted"
    # Handed over, the seller can go.
    await api.data(
        """mutation { createPerson(input: {id: "s2", name: "Suzuki", organizationId: "us"}) {
             __typename } }"""
    )
    document = pipeline_document()
    for deal in document["opportunities"]:
        deal["ownerId"] = "s2"
    document["people"] = []
    handed = await api.data(IMPORT, doc=document)
    assert handed["importGraph"]["__typename"] == "ImportSuccess", handed
    assert (await api.data(DELETE_PERSON, id="s1"))["deletePerson"]["__typename"] == "Deleted"


async def test_a_new_stage_model_and_a_move_are_in_the_change_log(api: Api) -> None:
    await _imported(api)
    first = [
        {"name": "PROSPECTING", "probability": 0.1},
        *[
            {"name": n, "probability": 0.5}
            for n in ("QUALIFICATION", "DISCOVERY", "PROPOSAL", "NEGOTIATION")
        ],
    ]
    second = [{**s, "probability": 0.2} for s in first]
    await api.data(SET_STAGES, stages=first)
    await api.data(SET_STAGES, stages=second)
    await api.data(UPDATE, id="o2", input={"stage": "NEGOTIATION"})
    log = await api.data(
        """{ changes(since: 1) { edges { node { kind key operation fields before after } } } }"""
    )
    nodes = [e["node"] for e in log["changes"]["edges"]]
    assert [(n["kind"], n["key"], n["operation"]) for n in nodes] == [
        ("pipelineStages", "pipelineStages", "UPDATED"),
        ("pipelineStages", "pipelineStages", "UPDATED"),
        ("opportunity", "o2", "UPDATED"),
    ]
    assert nodes[1]["before"] == {"stages": first}
    assert nodes[1]["after"] == {"stages": second}
    assert nodes[2]["fields"] == ["stage", "stageHistory"]
