"""Automatic Persisted Queries (Apollo's protocol, CONTRACT §10): a query text sent once, then
named by its SHA-256 hash.

A client (Apollo Client's persisted-queries link) first sends only
``extensions.persistedQuery = {"version": 1, "sha256Hash": …}``, over GET or POST. When this
server process has seen that text, it runs it; otherwise it answers (HTTP 200) the error
Apollo's link looks for, message ``PersistedQueryNotFound`` and ``extensions.code``
``PERSISTED_QUERY_NOT_FOUND``, and the link sends the query again with its text (by POST).
A request carrying both is checked (the hash must be the SHA-256 of the text, else HTTP 400
``PERSISTED_QUERY_HASH_MISMATCH``), executed, and its text remembered once it parsed and
validated, as Apollo Server does: a text that fails validation is never stored, so a hash
never stands for a query the limits refused.

Nothing is skipped for a persisted query: it runs through the same ``schema.execute`` as a
sent one (authentication, depth, aliases, tokens, cost with this request's variables, the
time limit), and over GET only queries are allowed, so a persisted mutation over GET is
refused as any mutation over GET is.

The texts live in a bounded LRU per server process (``GRAPHSVC_PERSISTED_QUERY_CACHE_SIZE``
entries, default 1,000, and at most ``MAX_CACHED_CHARS`` characters in all); ``0`` turns the
protocol off (``PERSISTED_QUERY_NOT_SUPPORTED``, on which the link stops hashing). With
several worker processes each keeps its own cache: a hash one worker has not seen costs the
client one extra round trip, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from graphql import GraphQLError
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from graphsvc.errors import ErrorCode

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "MAX_CACHED_CHARS",
    "PERSISTED_QUERY_VERSION",
    "PersistedQueries",
    "PersistedQueryCode",
    "PersistedQueryRefused",
    "Resolved",
    "sha256_hex",
]

PERSISTED_QUERY_VERSION = 1
"""The only version of ``extensions.persistedQuery`` there is (Apollo's ``VERSION``)."""

DEFAULT_CACHE_SIZE = 1000
"""Query texts kept per server process: far more than a front end's distinct documents."""

MAX_CACHED_CHARS = 16 * 1024 * 1024
"""Characters of query text kept in all: comments and whitespace are not tokens, so the token
limit alone does not bound a text's length (the body limit does, at 5 MB a request)."""


class PersistedQueryCode(StrEnum):
    """The ``extensions.code`` values of the protocol, as Apollo's clients and servers name
    them. Not in ``ErrorCode`` (the schema's enum of typed results): no field returns them."""

    NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
    HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"


_HASH = re.compile(r"[0-9a-fA-F]{64}")
_NOT_FOUND = "PersistedQueryNotFound"
_NOT_SUPPORTED = "PersistedQueryNotSupported"


def sha256_hex(query: str) -> str:
    """The hash Apollo's link sends for ``query``: SHA-256 of its UTF-8 text, lowercase hex."""
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueryRefused(Exception):
    """A persisted-query request refused outright (HTTP 400), with a GraphQL error code."""

    def __init__(self, message: str, code: ErrorCode | PersistedQueryCode) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Resolved:
    """A request ready to execute; ``register`` is the hash to remember its text under once
    it validated (a request that sent text and hash), else None."""

    request: GraphQLRequestData
    register: str | None = None


def _answer(message: str, code: PersistedQueryCode) -> ExecutionResult:
    """A GraphQL answer with one error and no data: what the link reads as "not found"."""
    error = GraphQLError(message, extensions={"code": code.value})
    return ExecutionResult(data=None, errors=[error])


def hash_of(extension: Any) -> str:
    """The ``sha256Hash`` of a well-formed ``persistedQuery`` extension, lowercased."""
    if not isinstance(extension, dict):
        raise PersistedQueryRefused(
            "extensions.persistedQuery must be an object like "
            '{"version": 1, "sha256Hash": "<64 hex digits>"}',
            ErrorCode.INVALID,
        )
    version = extension.get("version")
    if version != PERSISTED_QUERY_VERSION:
        raise PersistedQueryRefused(
            f"extensions.persistedQuery.version {version!r} is not supported: "
            f"send version {PERSISTED_QUERY_VERSION}",
            ErrorCode.INVALID,
        )
    sha = extension.get("sha256Hash")
    if not isinstance(sha, str) or not _HASH.fullmatch(sha):
        raise PersistedQueryRefused(
            f"extensions.persistedQuery.sha256Hash {sha!r} is not a SHA-256 hash "
            "(64 hexadecimal digits)",
            ErrorCode.INVALID,
        )
    return sha.lower()


class PersistedQueries:
    """Query texts by the SHA-256 of their text: a bounded LRU shared by one server's requests."""

    def __init__(self, maxsize: int = DEFAULT_CACHE_SIZE, max_chars: int = MAX_CACHED_CHARS):
        self.maxsize = maxsize
        self.max_chars = max_chars
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._chars = 0

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, sha: str) -> str | None:
        """The text stored under ``sha`` (now the most recently used), or None."""
        text = self._texts.get(sha)
        if text is not None:
            self._texts.move_to_end(sha)
        return text

    def put(self, sha: str, query: str) -> None:
        """Remember ``query`` under ``sha``, forgetting the least recently used beyond bounds."""
        if self.maxsize <= 0 or len(query) > self.max_chars:
            return
        previous = self._texts.pop(sha, None)
        if previous is not None:
            self._chars -= len(previous)
        self._texts[sha] = query
        self._chars += len(query)
        while len(self._texts) > self.maxsize or self._chars > self.max_chars:
            _, forgotten = self._texts.popitem(last=False)
            self._chars -= len(forgotten)

    def resolve(self, request: GraphQLRequestData) -> Resolved | ExecutionResult:
        """``request`` with its query text filled in from the cache, or the GraphQL answer
        that asks the client for the text; raises ``PersistedQueryRefused`` for a malformed
        extension or a hash that is not the text's."""
        extension = (request.extensions or {}).get("persistedQuery")
        if extension is None:
            return Resolved(request)
        if self.maxsize <= 0:
            return _answer(_NOT_SUPPORTED, PersistedQueryCode.NOT_SUPPORTED)
        sha = hash_of(extension)
        if request.query is None:
            text = self.get(sha)
            if text is None:
                return _answer(_NOT_FOUND, PersistedQueryCode.NOT_FOUND)
            return Resolved(replace(request, query=text))
        computed = sha256_hex(request.query)
        if computed != sha:
            raise PersistedQueryRefused(
                f"provided sha does not match query: extensions.persistedQuery.sha256Hash is "
                f"{sha}, but the SHA-256 of the query text sent is {computed}",
                PersistedQueryCode.HASH_MISMATCH,
            )
        return Resolved(request, register=sha)

    def remember(self, resolved: Resolved, result: ExecutionResult) -> None:
        """Store the text of a registering request whose document parsed and validated."""
        if resolved.register is None or resolved.request.query is None:
            return
        if isinstance(result, PreExecutionError):  # refused before running: never stored
            return
        self.put(resolved.register, resolved.request.query)
