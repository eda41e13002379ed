"""Apollo Client (its persisted-queries link on, reads by GET), run by node against a real
``graphsvc serve``: the Automatic Persisted Queries round trips as Apollo's link makes them."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from tests.clients.conftest import EXAMPLE, ORGANIZATIONS, Seeded, require_node

pytestmark = pytest.mark.slow


def test_apollo_client_sends_the_hash_then_the_text_once_then_the_hash_alone(
    seeded: Seeded,
) -> None:
    node = require_node(EXAMPLE)
    with seeded.serve() as server:
        # when Apollo Client asks the same query twice (network-only, so both reach the server)
        run = subprocess.run(
            [node, "apq-node.mjs", server.graphql_url, seeded.token],
            cwd=EXAMPLE,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr.decode()
        seen = json.loads(run.stdout)
    first, retry, second = seen["exchanges"]
    # then the first request is a GET with the hash only, answered PERSISTED_QUERY_NOT_FOUND
    assert (first["method"], first["sentQuery"], first["status"]) == ("GET", False, 200)
    assert first["codes"] == ["PERSISTED_QUERY_NOT_FOUND"]
    # the link retries once by POST with the text and the same hash, which runs
    assert (retry["method"], retry["sentQuery"], retry["status"]) == ("POST", True, 200)
    assert retry["hash"] == first["hash"]
    assert retry["codes"] == []
    assert hashlib.sha256(retry["query"].encode()).hexdigest() == first["hash"]
    # and the second time a GET with the hash alone is answered from the server's cache
    assert (second["method"], second["sentQuery"], second["status"]) == ("GET", False, 200)
    assert second["hash"] == first["hash"]
    assert second["codes"] == []
    assert len(first["hash"]) == 64
    # both answers are the workspace's organizations
    names = sorted(o.name for o in ORGANIZATIONS)
    for answer in seen["answers"]:
        organizations = answer["organizations"]
        assert organizations["totalCount"] == len(ORGANIZATIONS)
        assert sorted(e["node"]["name"] for e in organizations["edges"]) == names
