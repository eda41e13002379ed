"""Prometheus metrics: HTTP requests by route, GraphQL operations by name, GraphQL errors by
code, answers given from the projection while the store was unreachable, projection builds.

The error counter is how an operator sees faults and fair use (CONTRACT §11) at work:
``RATE_LIMITED`` (a token's budget spent), ``OVERLOADED`` (the analytic queue full) and
``STORE_UNAVAILABLE`` (the store down, frozen or unwritable), beside every other code.

Metrics live in a registry of their own (``REGISTRY``), so that several apps in one process
(tests) share them instead of colliding in the global default registry. Labels that come
from clients (paths, operation names) are mapped onto a bounded set (``KNOWN_ROUTES``,
``MAX_OPERATION_NAMES``) to keep the number of series bounded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from graphql import GraphQLError, OperationDefinitionNode
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client import generate_latest as _generate_latest
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from graphsvc.api.graphql.errors import error_code
from graphsvc.errors import ErrorCode

__all__ = [
    "REGISTRY",
    "MetricsExtension",
    "count_http_request",
    "count_unconfirmed_answer",
    "metrics_response",
    "record_projection_build",
]

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
GRAPHQL_ERRORS = Counter(
    "graphsvc_graphql_errors_total",
    "Errors in GraphQL results, by extensions.code (GRAPHQL: a query that does not parse or "
    "validate).",
    ["code"],
    registry=REGISTRY,
)
UNCONFIRMED_ANSWERS = Counter(
    "graphsvc_unconfirmed_answers_total",
    "Operations answered from the in-memory projection while the store was unreachable "
    "(extensions.projection.storeReachable = false).",
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


def count_http_request(path: str, status: int) -> None:
    """Count one HTTP request; paths other than ``KNOWN_ROUTES`` share the route ``other``."""
    HTTP_REQUESTS.labels(path if path in KNOWN_ROUTES else "other", str(status)).inc()


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
        for error in getattr(result, "errors", None) or ():
            GRAPHQL_ERRORS.labels(_error_code(error)).inc()


_CODES = frozenset(code.value for code in ErrorCode)


def _error_code(error: GraphQLError) -> str:
    """The code the error policy gives ``error`` (``api.graphql.errors.error_code``), as a
    bounded label whatever the error carries; GRAPHQL when it has none."""
    code = error_code(error)
    return code if code in _CODES else "GRAPHQL"


def count_unconfirmed_answer() -> None:
    """Count one operation answered from the projection while the store was unreachable."""
    UNCONFIRMED_ANSWERS.inc()


def record_projection_build(seconds: float) -> None:
    """Count one projection build and its duration (called by whoever builds projections)."""
    PROJECTION_BUILDS.inc()
    PROJECTION_BUILD_SECONDS.observe(seconds)


def metrics_response() -> Response:
    """The Prometheus exposition of ``REGISTRY``."""
    return Response(_generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
