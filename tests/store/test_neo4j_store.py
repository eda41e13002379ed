"""The Neo4j store's boundary, without a server: URLs, error translation, start-up checks.

A real driver is pointed at a port where nothing listens, so the failure path is the one a
user meets when Neo4j is down; the contract suite (tests/contract) covers the rest against
a live server when GRAPHSVC_TEST_NEO4J_URI is set.
"""

from __future__ import annotations

import socket

import pytest
from neo4j import exceptions as neo4j_errors

from graphsvc.errors import Conflict, GraphsvcError, SchemaMissing, StoreUnavailable
from graphsvc.store.base import GraphStore
from graphsvc.store.neo4j import Neo4jStore
from graphsvc.store.neo4j.errors import translate_error
from graphsvc.store.neo4j.schema import SCHEMA, missing_items


def _driver_error(code: str, message: str) -> neo4j_errors.Neo4jError:
    """A server error as the driver builds it from a failure message."""
    # 6.x and late 5.x name the factory _hydrate_neo4j; earlier 5.x drivers call it hydrate
    cls = neo4j_errors.Neo4jError
    hydrate = getattr(cls, "_hydrate_neo4j", None) or getattr(cls, "hydrate", None)
    assert hydrate is not None
    error: neo4j_errors.Neo4jError = hydrate(code=code, message=message)
    return error


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_the_store_satisfies_the_protocol_and_hides_credentials() -> None:
    store = Neo4jStore(
        "neo4j://alice:s3cret@db.example:7687", user="neo4j", password="pw", database="neo4j"
    )
    assert isinstance(store, GraphStore)
    assert store.url == "neo4j://db.example:7687"


async def test_opening_an_unreachable_server_is_store_unavailable_naming_the_url() -> None:
    url = f"bolt://127.0.0.1:{_closed_port()}"
    store = Neo4jStore(url, user="neo4j", password="secret-password", database="neo4j")
    with pytest.raises(StoreUnavailable, match=f"Neo4j at {url} is unavailable") as caught:
        await store.open()
    assert "secret-password" not in str(caught.value)
    await store.close()


async def test_a_malformed_url_is_store_unavailable() -> None:
    store = Neo4jStore("neo4j://host:notaport", user="neo4j", password=None, database="neo4j")
    with pytest.raises(StoreUnavailable, match="cannot use Neo4j at"):
        await store.ping()


@pytest.mark.parametrize(
    ("error", "expected", "message"),
    [
        (
            _driver_error("Neo.ClientError.Security.Unauthorized", "bad credentials"),
            StoreUnavailable,
            "refused the credentials: check GRAPHSVC_NEO4J_USER",
        ),
        (
            _driver_error("Neo.ClientError.Schema.ConstraintValidationFailed", "already exists"),
            Conflict,
            "breaks a uniqueness rule: already exists",
        ),
        (
            _driver_error("Neo.ClientError.Database.DatabaseNotFound", "no such database"),
            StoreUnavailable,
            "has no database 'graphs'",
        ),
        (neo4j_errors.ServiceUnavailable("connection refused"), StoreUnavailable, "unavailable"),
        (
            _driver_error("Neo.ClientError.Statement.SyntaxError", "Invalid input"),
            GraphsvcError,
            "failed a statement: Neo.ClientError.Statement.SyntaxError",
        ),
    ],
)
def test_driver_errors_become_graphsvc_errors_in_one_place(
    error: Exception, expected: type[GraphsvcError], message: str
) -> None:
    translated = translate_error(error, "neo4j://db:7687", "graphs")
    assert type(translated) is expected
    assert message in translated.message
    assert "neo4j://db:7687" in translated.message


def test_schema_check_names_what_is_missing_and_what_to_run() -> None:
    # given a database holding every constraint and index but one
    constraints = [i.name for i in SCHEMA if i.kind == "constraint"]
    indexes = [(i.name, "ONLINE") for i in SCHEMA if i.kind == "index"]
    missing, failed = missing_items(constraints[1:], indexes)
    # then exactly that one is missing
    assert [i.name for i in missing] == [constraints[0]]
    assert failed == []
    # and a complete but failed index is reported as failed
    missing, failed = missing_items(constraints, [*indexes[1:], (indexes[0][0], "FAILED")])
    assert (missing, failed) == ([], [indexes[0][0]])
    assert issubclass(SchemaMissing, StoreUnavailable)


def test_schema_items_have_unique_names_and_cover_every_entity_label() -> None:
    names = [item.name for item in SCHEMA]
    assert len(names) == len(set(names))
    for label in ("Organization", "Department", "Person", "System", "Opportunity", "PersonRef"):
        assert f"graphsvc_{label}_id" in names
    assert all(item.describe().startswith(("constraint ", "index ")) for item in SCHEMA)
