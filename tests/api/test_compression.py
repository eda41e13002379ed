"""Compression over real HTTP (CONTRACT §10): large answers are gzipped when the client
accepts it; small ones and clients that do not accept it get the plain body."""

from __future__ import annotations

import gzip

import httpx
import orjson
import pytest

from graphsvc.api.compression import accepts_gzip
from tests.api.answers import without_cost
from tests.api.conftest import Api

POWER_MAP = """query ($org: ID!) { powerMap(organizationId: $org) {
  person { id name title department { id name } organization { id name } }
  influence formalRank brokerage hiddenInfluencer } }"""


async def _power_map(kaito: Api, accept_encoding: str) -> tuple[httpx.Response, bytes]:
    """The response and the bytes on the wire (httpx would decode them before the test)."""
    request = kaito.client.build_request(
        "POST",
        "/graphql",
        json={"query": POWER_MAP, "variables": {"org": "kaito"}},
        headers={"Accept-Encoding": accept_encoding},
    )
    response = await kaito.client.send(request, stream=True)
    wire = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    return response, wire


async def test_a_large_answer_is_gzipped_when_the_client_accepts_gzip(kaito: Api) -> None:
    plain, plain_wire = await _power_map(kaito, "identity")
    zipped, zipped_wire = await _power_map(kaito, "gzip, deflate")
    assert len(plain_wire) > 1024
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert int(zipped.headers["content-length"]) == len(zipped_wire) < len(plain_wire) / 2
    # the decompressed answer is the uncompressed one (its cost's remaining aside: the
    # second request was charged too)
    assert without_cost(orjson.loads(gzip.decompress(zipped_wire))) == without_cost(
        orjson.loads(plain_wire)
    )
    assert "errors" not in orjson.loads(plain_wire)


async def test_a_small_answer_is_not_compressed(kaito: Api) -> None:
    response = await kaito.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Accept-Encoding": "gzip"}
    )
    assert without_cost(response.json()) == {"data": {"__typename": "Query"}}
    assert "content-encoding" not in response.headers


async def test_gzip_refused_with_q0_is_not_used(kaito: Api) -> None:
    response, _ = await _power_map(kaito, "gzip;q=0, identity")
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("br, GZIP;q=0.5", True),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("gzip;q=x", False),
        ("identity", False),
        ("", False),
        ("x-gzip-ish", False),
    ],
)
def test_accept_encoding_is_read_with_its_qualities(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted
