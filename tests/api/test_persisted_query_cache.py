"""The persisted-query cache on its own: bounded by entries and by characters of text."""

from __future__ import annotations

from strawberry.http import GraphQLRequestData

from graphsvc.api.persisted_queries import PersistedQueries, Resolved, sha256_hex


def test_the_cache_forgets_the_least_recently_used_beyond_its_characters() -> None:
    cache = PersistedQueries(maxsize=10, max_chars=25)
    cache.put("a", "x" * 10)
    cache.put("b", "y" * 10)
    assert cache.get("a") == "x" * 10  # a is now the most recently used
    cache.put("c", "z" * 10)  # 30 characters: b goes
    assert cache.get("b") is None
    assert len(cache) == 2


def test_a_text_longer_than_the_whole_cache_is_not_stored() -> None:
    cache = PersistedQueries(maxsize=10, max_chars=5)
    cache.put("a", "x" * 6)
    assert cache.get("a") is None
    assert len(cache) == 0


def test_an_uppercase_hash_names_the_same_query() -> None:
    cache = PersistedQueries()
    query = "{ __typename }"
    cache.put(sha256_hex(query), query)
    request = GraphQLRequestData(
        query=None,
        variables=None,
        operation_name=None,
        extensions={"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query).upper()}},
    )
    resolved = cache.resolve(request)
    assert isinstance(resolved, Resolved)
    assert resolved.request.query == query
    assert resolved.register is None
