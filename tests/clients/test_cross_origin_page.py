"""The example page (examples/cross-origin) in headless Chromium, served by a second local
HTTP server on another port: a real cross-origin call to a real ``graphsvc serve`` with Apollo
Client, persisted queries on.

The page's origin in ``GRAPHSVC_CORS_ORIGINS`` → the page shows the workspace's organizations;
not in it → the browser refuses the call (the preflight gets no grant) and the page says so.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.clients.conftest import CHROMIUM, EXAMPLE, ORGANIZATIONS, Seeded, require_node

pytestmark = pytest.mark.slow


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on the test's stderr."""


@pytest.fixture(scope="module")
def page_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example page, built with esbuild, served by its own HTTP server on another port."""
    node = require_node(EXAMPLE, browser=True)
    built = tmp_path_factory.mktemp("cross-origin-page")
    subprocess.run([node, "build.mjs", str(built)], cwd=EXAMPLE, check=True, timeout=120)
    handler = functools.partial(_QuietFiles, directory=str(built))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def browse(origin: str, api: str, token: str) -> dict[str, Any]:
    """What Chromium saw on the example page, opened from ``origin``, calling ``api``."""
    node = require_node(EXAMPLE, browser=True)
    fragment = urlencode({"api": api, "token": token})
    run = subprocess.run(
        [node, "browse.mjs"],
        cwd=EXAMPLE,
        env={**os.environ, "PAGE_URL": f"{origin}/index.html#{fragment}", "CHROMIUM": CHROMIUM},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    seen: dict[str, Any] = json.loads(run.stdout)
    assert seen["pageErrors"] == []
    return seen


def _api_calls(seen: dict[str, Any], api: str) -> list[dict[str, Any]]:
    return [r for r in seen["requests"] if r["url"].startswith(api)]


def test_a_page_on_an_allowed_origin_calls_the_api_with_apollo_client(
    seeded: Seeded, page_origin: str
) -> None:
    with seeded.serve(GRAPHSVC_CORS_ORIGINS=f"https://crm.example.com,{page_origin}") as server:
        seen = browse(page_origin, server.graphql_url, seeded.token)
    # the page and the API are on different origins (ports)
    assert seen["origin"] == page_origin
    assert not server.url.startswith(page_origin)
    # and the page shows the workspace's organizations
    assert seen["done"] == "answer", seen
    assert seen["status"] == f"{len(ORGANIZATIONS)} organizations"
    assert sorted(o["name"] for o in seen["organizations"]) == sorted(o.name for o in ORGANIZATIONS)
    # through Apollo's persisted-queries link: first a GET with the hash alone
    calls = _api_calls(seen, server.graphql_url)
    first = parse_qs(urlsplit(calls[0]["url"]).query)
    assert calls[0]["method"] == "GET"
    assert "query" not in first
    assert json.loads(first["extensions"][0])["persistedQuery"]["version"] == 1
    assert seen["consoleErrors"] == [] or all("CORS" not in e for e in seen["consoleErrors"])


def test_a_page_on_an_origin_not_allowed_is_refused_by_the_browser(
    seeded: Seeded, page_origin: str
) -> None:
    with seeded.serve(GRAPHSVC_CORS_ORIGINS="https://crm.example.com") as server:
        seen = browse(page_origin, server.graphql_url, seeded.token)
    # the browser blocked the call: the page shows the error and no organization
    assert seen["done"] == "error", seen
    assert seen["status"].startswith("The API could not be reached")
    assert seen["organizations"] == []
    assert any("blocked by CORS policy" in e for e in seen["consoleErrors"]), seen
    assert _api_calls(seen, server.graphql_url), "the page never tried the API"
