"""Operations: JSON logs with a request id, Prometheus metrics, and readiness.

Every request gets an id (the caller's ``X-Request-ID`` when it is sane, else a new one),
echoed in the response and attached to every log line written while serving it, so one
request can be followed through the logs. Log lines are JSON objects on stderr. Anything
shaped like a token or a Bearer credential is scrubbed from every line, whatever logged
it, so that a careless log call elsewhere cannot leak a secret.

Metrics live in a registry of their own (``REGISTRY``), so that several apps in one process
(tests) share them instead of colliding in the global default registry. GraphQL metrics
are labelled by operation name; names come from clients, so they are sanitised and capped
(``MAX_OPERATION_NAMES``) to keep the number of series bounded.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson
from graphql import OperationDefinitionNode
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client import generate_latest as _generate_latest
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError
from graphsvc.services.projection_cache import BUILD_LISTENERS
from graphsvc.store.base import GraphStore

__all__ = [
    "REGISTRY",
    "JsonFormatter",
    "MetricsExtension",
    "RequestContextMiddleware",
    "configure_logging",
    "metrics_response",
    "readiness_response",
    "record_projection_build",
    "redact",
    "request_id",
]

logger = logging.getLogger("graphsvc.http")

REQUEST_ID: ContextVar[str | None] = ContextVar("graphsvc_request_id", default=None)
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_SECRETS = (
    (re.compile(r"gsv_[A-Za-z0-9_-]+"), "gsv_[REDACTED]"),
    (re.compile(r"(?i)(bearer)\s+[^\s\"',;]+"), r"\1 [REDACTED]"),
)

REGISTRY = CollectorRegistry(auto_describe=True)
GRAPHQL_REQUESTS = Counter(
    "graphsvc_graphql_operations_total",
    "GraphQL operations served, by operation name, type and outcome.",
    ["operation", "type", "outcome"],
    registry=REGISTRY,
)
GRAPHQL_LATENCY = Histogram(
    "graphsvc_graphql_operation_seconds",
    "Wall time of GraphQL operations, by operation name and type.",
    ["operation", "type"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
HTTP_REQUESTS = Counter(
    "graphsvc_http_requests_total",
    "HTTP requests, by route and status code.",
    ["route", "status"],
    registry=REGISTRY,
)
PROJECTION_BUILDS = Counter(
    "graphsvc_projection_builds_total",
    "In-memory graph projections built for the analytics.",
    registry=REGISTRY,
)
PROJECTION_BUILD_SECONDS = Histogram(
    "graphsvc_projection_build_seconds",
    "Time to build one in-memory graph projection.",
    registry=REGISTRY,
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)

MAX_OPERATION_NAMES = 200
_OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_seen_operations: set[str] = set()
KNOWN_ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})


def redact(text: str) -> str:
    """``text`` with every token and Bearer credential replaced by a placeholder."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def request_id() -> str | None:
    """The id of the request being served in this task, if any."""
    return REQUEST_ID.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if (rid := REQUEST_ID.get()) is not None:
            entry["request_id"] = rid
        for key, value in vars(record).items():
            if key not in self._STANDARD and not key.startswith("_"):
                entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


class _RedactingFormatter(logging.Formatter):
    """Plain-text lines (for a terminal) with the same scrubbing as the JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        rid = REQUEST_ID.get()
        prefix = f"[{rid}] " if rid else ""
        return redact(prefix + super().format(record))


def configure_logging(settings: Settings) -> None:
    """Route every logger (ours, uvicorn's, strawberry's) to stderr in the configured format.

    uvicorn's access log is silenced: it prints query strings, which may carry a GraphiQL
    ``headers`` parameter with a token; ``RequestContextMiddleware`` logs requests instead.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if settings.log_json
        else _RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error", "strawberry"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True


class RequestContextMiddleware:
    """Assigns the request id, logs one line per request and counts requests per route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        presented = HTTPConnection(scope).headers.get("x-request-id", "")
        rid = presented if _SANE_REQUEST_ID.fullmatch(presented) else uuid.uuid4().hex
        token = REQUEST_ID.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = str(scope.get("path", ""))
            HTTP_REQUESTS.labels(path if path in KNOWN_ROUTES else "other", str(status)).inc()
            logger.info(
                "%s %s %s",
                scope.get("method"),
                path,
                status,
                extra={
                    "method": scope.get("method"),
                    "path": path,  # never the query string: it may carry GraphiQL headers
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            REQUEST_ID.reset(token)


def _operation_label(name: str | None) -> str:
    if name is None:
        return "anonymous"
    if _OPERATION_NAME.fullmatch(name) is None:
        return "invalid"
    if name not in _seen_operations:
        if len(_seen_operations) >= MAX_OPERATION_NAMES:
            return "other"
        _seen_operations.add(name)
    return name


class MetricsExtension(SchemaExtension):
    """Counts and times every GraphQL operation by (bounded) operation name and type."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        name = context.operation_name
        kind = "unknown"
        document = context.graphql_document
        if document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            chosen = [o for o in operations if name is None or (o.name and o.name.value == name)]
            if len(chosen) == 1:
                kind = chosen[0].operation.value
                if name is None and chosen[0].name is not None:
                    name = chosen[0].name.value
        label = _operation_label(name)
        result = context.result
        outcome = "error" if result is None or getattr(result, "errors", None) else "ok"
        GRAPHQL_REQUESTS.labels(label, kind, outcome).inc()
        GRAPHQL_LATENCY.labels(label, kind).observe(time.perf_counter() - started)


def record_projection_build(seconds: float) -> None:
    """Count one projection build and its duration (called by whoever builds projections)."""
    PROJECTION_BUILDS.inc()
    PROJECTION_BUILD_SECONDS.observe(seconds)


if record_projection_build not in BUILD_LISTENERS:
    BUILD_LISTENERS.append(record_projection_build)


def metrics_response() -> Response:
    """The Prometheus exposition of ``REGISTRY``."""
    return Response(_generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


async def readiness_response(store: GraphStore, timeout_seconds: float = 2.0) -> Response:
    """200 when the store answers a trivial query within the timeout, else 503 with why."""
    try:
        async with asyncio.timeout(timeout_seconds):
            await store.ping()
    except TimeoutError:
        reason = f"store {store.url} did not answer within {timeout_seconds:g} s"
    except GraphsvcError as error:
        reason = error.message
    except Exception as error:  # any driver failure means "not ready", never a 500
        logger.warning("readiness check failed: %s", type(error).__name__)
        reason = f"store {store.url} is unreachable"
    else:
        return JSONResponse({"status": "ready", "store": store.url})
    return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
