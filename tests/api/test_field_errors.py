"""Several failing root fields in one query: each reports its own error, with its path."""

from __future__ import annotations

from tests.api.conftest import Api


async def test_an_unknown_organization_in_several_analytic_fields_reports_each(
    kaito: Api,
) -> None:
    query = """{
      a: coverage(organizationId: "nope-1") { singleThreaded }
      b: whitespace(organizationId: "nope-2") { priority }
      c: decisionMakers(organizationId: "nope-3") { area }
      d: powerMap(organizationId: "nope-4") { influence }
      e: displacementWindows(organizationId: "nope-5") { id }
    }"""
    body = await kaito.post(query)

    assert body["data"] is None
    reported = [(e["path"], e["extensions"]["code"], e["message"]) for e in body["errors"]]
    assert reported == [
        ([alias], "NOT_FOUND", f"organization 'nope-{n}' does not exist")
        for n, alias in enumerate("abcde", start=1)
    ]


async def test_a_good_field_beside_a_failing_one_still_fails_the_whole_data(kaito: Api) -> None:
    # Non-null root fields: one failure nulls data (the spec), yet only that field is reported.
    body = await kaito.post(
        '{ a: coverage(organizationId: "nope") { singleThreaded } b: __typename }'
    )
    assert body["data"] is None
    assert [e["path"] for e in body["errors"]] == [["a"]]
