"""CORS over real HTTP (CONTRACT §10): allowed origins get a grant, every other origin none.

Browsers enforce CORS; the server's part is to answer preflights without a token, to grant
exactly the configured origins, and never to grant anyone else (a page on another origin
then cannot read the answer, even when the request itself reached the server).
"""

from __future__ import annotations

import pytest

from graphsvc.api.app import create_app
from graphsvc.api.cors import CorsConfigurationError, cors_origins
from graphsvc.config import Settings
from tests.api.answers import without_cost
from tests.api.conftest import Served, ServeFactory

pytestmark = pytest.mark.security

CRM = "https://crm.example.com"
PORTAL = "http://localhost:3000"
EVIL = "https://evil.example.net"


def _preflight(origin: str, headers: str = "authorization,content-type") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": headers,
    }


@pytest.fixture
async def cors(serve: ServeFactory) -> Served:
    """The app (auth on) allowing two origins, one written with a trailing slash."""
    served: Served = await serve(cors_origins=f" {CRM}/ , {PORTAL}")
    return served


async def test_a_preflight_from_an_allowed_origin_is_granted_without_a_token(cors: Served) -> None:
    # when a browser on an allowed origin asks before sending a token
    response = await cors.client.options("/graphql", headers=_preflight(CRM))
    # then it is granted (not refused with 401), for the methods and headers tools send
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == CRM
    assert {"GET", "POST"} <= {
        m.strip() for m in response.headers["access-control-allow-methods"].split(",")
    }
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {"authorization", "content-type"} <= allowed
    assert int(response.headers["access-control-max-age"]) > 0
    assert "Origin" in response.headers["vary"]
    assert "access-control-allow-credentials" not in response.headers


async def test_a_preflight_from_another_origin_gets_no_grant(cors: Served) -> None:
    response = await cors.client.options("/graphql", headers=_preflight(EVIL))
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_a_preflight_asking_for_an_unlisted_header_gets_no_grant(cors: Served) -> None:
    response = await cors.client.options("/graphql", headers=_preflight(CRM, "x-secret-thing"))
    assert response.status_code == 400


async def test_a_request_from_an_allowed_origin_is_granted_and_its_headers_readable(
    cors: Served,
) -> None:
    token = await cors.token("default")
    response = await cors.graphql("{ __typename }", token=token, headers={"Origin": PORTAL})
    assert response.status_code == 200
    assert without_cost(response.json()) == {"data": {"__typename": "Query"}}
    assert response.headers["access-control-allow-origin"] == PORTAL
    assert "Origin" in response.headers["vary"]
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "x-request-id", "retry-after"} <= exposed


async def test_a_refusal_to_an_allowed_origin_is_readable_by_its_page(cors: Served) -> None:
    # a 401 without the grant would reach the page as an opaque network error
    response = await cors.graphql("{ __typename }", headers={"Origin": CRM})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == CRM


async def test_a_request_from_another_origin_gets_no_grant(cors: Served) -> None:
    token = await cors.token("default")
    response = await cors.graphql("{ __typename }", token=token, headers={"Origin": EVIL})
    # the browser, not the server, withholds the answer from the page: no grant is given
    assert "access-control-allow-origin" not in response.headers
    assert "Origin" in response.headers["vary"]


async def test_without_the_setting_no_origin_is_granted(served: Served) -> None:
    preflight = await served.client.options("/graphql", headers=_preflight(CRM))
    assert "access-control-allow-origin" not in preflight.headers
    token = await served.token("default")
    response = await served.graphql("{ __typename }", token=token, headers={"Origin": CRM})
    assert "access-control-allow-origin" not in response.headers


async def test_only_graphql_gets_cors(cors: Served) -> None:
    for path in ("/healthz", "/app/"):
        response = await cors.client.get(path, headers={"Origin": CRM})
        assert "access-control-allow-origin" not in response.headers, path


def test_a_wildcard_origin_is_refused_at_start_up() -> None:
    settings = Settings(store="sqlite:///unused.db", cors_origins="https://crm.example.com, *")
    with pytest.raises(CorsConfigurationError, match=r"may not contain a wildcard \('\*'\)"):
        create_app(settings)


@pytest.mark.parametrize(
    "value",
    [
        "crm.example.com",
        "https://crm.example.com/panel",
        "ftp://crm.example.com",
        "https://*.example.com",
        "https://user@crm.example.com",
        "https://crm.example.com:99999",
    ],
)
def test_a_value_that_is_not_an_origin_is_refused_naming_it(value: str) -> None:
    with pytest.raises(CorsConfigurationError, match="GRAPHSVC_CORS_ORIGINS") as refused:
        cors_origins(Settings(cors_origins=f"{CRM},{value}"))
    assert repr(value) in refused.value.message


def test_origins_are_read_as_browsers_send_them() -> None:
    settings = Settings(
        cors_origins="HTTPS://CRM.Example.com:443/, http://[::1]:8080,,http://a.test:80"
    )
    assert cors_origins(settings) == (
        "https://crm.example.com",
        "http://[::1]:8080",
        "http://a.test",
    )
    assert cors_origins(Settings()) == ()
