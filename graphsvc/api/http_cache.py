"""HTTP caching of reads over GET: ``ETag`` and ``If-None-Match`` → 304 (CONTRACT §10).

A front-end tool that asks ``GET /graphql?query=…&variables=…`` again (a browser does it by
itself for an answer it holds) sends the tag of the answer it has; when nothing that shapes
the answer changed, it gets ``304 Not Modified`` and no body, and the query does not run.

**What the tag names.** A hash of everything that decides the answer: the server's
configuration and schema (``server_fingerprint``: another deployment gives other tags), the
caller's workspace, role and token (the token alone decides the tenant; ``viewer`` answers
with the token's id), the workspace's change-log version and today's date
(``services.revision``: ``asOf`` defaults to today, so answers may change at midnight without
a write), whether the client accepts graphql-response+json (``api.media``), and the whole
query string (query, variables, operationName, extensions). Any write, from any process,
moves the version and so every tag of the workspace.

**Which answers are tagged.** Queries (not mutations: they are refused over GET with 405,
as the GraphQL-over-HTTP spec says, by Strawberry) whose root fields are all in
``TAGGED_FIELDS``, answered 200 without ``errors``. ``UNTAGGED_FIELDS`` read state the version
does not pin: reviews are recorded without a new version (``reviews``, ``accountChanges``
since a review, ``accountPlan``'s "changed since the last review") and ``graphsvc compact``
drops changes without one (``changes``). An answer with errors (not found, a limit, a time
out, the store unavailable) is never tagged, so a 304 always stands for a complete answer.
Untagged GET answers say ``Cache-Control: no-store``; tagged ones ``private, no-cache``
(only the caller's own cache may keep them, and must ask before each reuse).

**Order.** The middleware runs after authentication: a missing, unknown or revoked token gets
401, never 304. Then the version is read (one store round trip) and compared; a 304 spends
none of the token's cost budget (nothing ran), as GitHub's API does with conditional
requests. The ``extensions.cost`` of the kept answer is the one of the request that produced
it. Tags are weak (``W/``): the gzipped and the plain body of an answer are the same answer
(``api.compression``), and ``If-None-Match`` compares weakly anyway (RFC 9110 §13.1.2).
``If-None-Match: *`` is not honoured (the query runs): no client sends it for a read.

A GET naming only a persisted query's hash (APQ, without ``query``) is judged by the text the
server keeps for that hash (``api.persisted_queries``); the tag covers the hash, which pins
the text. An unknown hash is not tagged (its answer asks for the text).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from functools import lru_cache

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.auth import has_principal, principal_of
from graphsvc.api.media import accepts_graphql_response_json
from graphsvc.api.persisted_queries import PersistedQueries, PersistedQueryRefused, hash_of
from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError
from graphsvc.services.container import Services
from graphsvc.services.revision import current_revision

__all__ = [
    "TAGGED_FIELDS",
    "UNTAGGED_FIELDS",
    "HttpCache",
    "is_cacheable",
    "server_fingerprint",
]

TAGGED_FIELDS = frozenset(
    {
        "organization",
        "department",
        "person",
        "system",
        "opportunity",
        "organizations",
        "departments",
        "people",
        "systems",
        "opportunities",
        "relationships",
        "powerMapLines",
        "decisionRights",
        "contactRoutes",
        "contactRouteSearch",
        "decisionMakers",
        "decisionAreas",
        "whitespace",
        "categories",
        "categoryFootprint",
        "powerMap",
        "coverage",
        "displacementWindows",
        "pipelineStages",
        "pipeline",
        "viewer",
    }
)
"""Root fields whose answers the workspace version, the day and the request decide."""

UNTAGGED_FIELDS = frozenset({"changes", "accountChanges", "reviews", "accountPlan"})
"""Root fields reading reviews or the compactable change log: always run."""

CACHE_CONTROL_TAGGED = "private, no-cache"
CACHE_CONTROL_UNTAGGED = "no-store"
_VARY = "Accept, Authorization"
_JSON_TYPES = ("application/json", "application/graphql-response+json")
_SETTINGS_NOT_IN_TAGS = frozenset(
    {"host", "port", "log_level", "log_json", "neo4j_password", "cors_origins", "graphiql"}
)


def server_fingerprint(schema_sdl: str, settings: Settings) -> str:
    """What of the server shapes answers: the schema and every setting but where it listens,
    how it logs, who may call it from a browser, and secrets."""
    shaping = settings.model_dump(mode="json", exclude=set(_SETTINGS_NOT_IN_TAGS))
    return hashlib.sha256(
        orjson.dumps([schema_sdl, shaping], option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def _root_fields(
    selection_set: SelectionSetNode, document: DocumentNode, seen: set[str]
) -> list[str]:
    """Names of the fields ``selection_set`` selects at its level, through fragments."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    names: list[str] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.append(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names.extend(_root_fields(selection.selection_set, document, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None:
                names.append(f"?{name}")  # an unknown fragment: the query will fail anyway
            elif name not in seen:
                seen.add(name)
                names.extend(_root_fields(fragment.selection_set, document, seen))
    return names


@lru_cache(maxsize=256)
def is_cacheable(query: str, operation_name: str | None) -> bool:
    """True when the operation of ``query`` chosen by ``operation_name`` is a query whose
    root fields are all in ``TAGGED_FIELDS`` (or introspection)."""
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [
            o for o in operations if o.name is not None and o.name.value == operation_name
        ]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return False
    fields = _root_fields(operations[0].selection_set, document, set())
    return all(name in TAGGED_FIELDS or name.startswith("__") for name in fields)


def _matches(if_none_match: str, tag: str) -> bool:
    """Weak comparison of ``tag`` with each tag listed in an ``If-None-Match`` value."""
    opaque = tag.removeprefix("W/")
    return any(listed.strip().removeprefix("W/") == opaque for listed in if_none_match.split(","))


class HttpCache:
    """Tags read answers over GET at ``path`` and answers 304 to a current tag; see the module.

    ``services`` is called per request: the app's store is opened in its lifespan, after the
    middleware stack is built.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        services: Callable[[], Services],
        fingerprint: str,
        persisted: PersistedQueries,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.services = services
        self.persisted = persisted
        self.fingerprint = fingerprint
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or str(scope.get("path", "")).rstrip("/") != self.path
        ):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        query = self._query_text(connection)
        if query is None or not has_principal(connection):
            await self.app(scope, receive, send)
            return
        tag = await self._tag(connection, query)
        if tag is None:
            await self.app(
                scope, receive, _with_headers(send, {"cache-control": CACHE_CONTROL_UNTAGGED})
            )
            return
        if _matches(connection.headers.get("if-none-match", ""), tag):
            headers = {
                "etag": tag,
                "cache-control": CACHE_CONTROL_TAGGED,
                "vary": f"{_VARY}, Accept-Encoding",
            }
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, _tagging(send, tag))

    def _query_text(self, connection: HTTPConnection) -> str | None:
        """The request's query text: sent as ``query``, or kept for its APQ hash; None when
        there is none to judge (the router answers that request)."""
        params = connection.query_params
        if "query" in params:
            return params["query"]
        try:
            extensions = orjson.loads(params.get("extensions", ""))
            sha = hash_of(extensions["persistedQuery"])
        except (orjson.JSONDecodeError, TypeError, KeyError, PersistedQueryRefused):
            return None
        return self.persisted.get(sha)

    async def _tag(self, connection: HTTPConnection, query: str) -> str | None:
        """The tag of this request's answer now, or None when it may not be tagged."""
        params = connection.query_params
        if not is_cacheable(query, params.get("operationName") or None):
            return None
        principal = principal_of(connection)
        try:
            revision = await current_revision(self.services(), principal.workspace)
        except GraphsvcError:  # the store is unavailable: the query will say so, untagged
            return None
        if revision is None:
            return None
        named = orjson.dumps(
            [
                self.fingerprint,
                principal.workspace,
                principal.role.value,
                principal.token_id,
                revision.version,
                revision.day.isoformat(),
                accepts_graphql_response_json(connection.headers.get("accept", "")),
                connection.scope.get("query_string", b"").decode("latin-1"),
            ]
        )
        digest = base64.urlsafe_b64encode(hashlib.sha256(named).digest()[:18]).decode()
        return f'W/"{digest}"'


def _with_headers(send: Send, added: dict[str, str]) -> Send:
    """``send`` adding ``added`` to the response's headers."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(raw=list(message.get("headers", [])))
            for name, value in added.items():
                if name == "vary":  # keep what the app varies on
                    headers.add_vary_header(value)
                else:
                    headers[name] = value
            message = {**message, "headers": headers.raw}
        await send(message)

    return sending


def _tagging(send: Send, tag: str) -> Send:
    """``send`` holding a 200 JSON answer back until it is known to carry no errors, then
    sending it tagged (or ``no-store`` when it has errors or is not a GraphQL answer)."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def sending(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            content_type = MutableHeaders(raw=list(message.get("headers", []))).get(
                "content-type", ""
            )
            if message["status"] == 200 and content_type.startswith(_JSON_TYPES):
                start = message
                return
            await _with_headers(send, {"cache-control": CACHE_CONTROL_UNTAGGED})(message)
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(chunks)
        if _complete_answer(body):
            added = {"etag": tag, "cache-control": CACHE_CONTROL_TAGGED, "vary": _VARY}
        else:
            added = {"cache-control": CACHE_CONTROL_UNTAGGED}
        await _with_headers(send, added)(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return sending


def _complete_answer(body: bytes) -> bool:
    """True for a GraphQL answer with data and no errors."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return isinstance(decoded, dict) and decoded.get("data") is not None and "errors" not in decoded
