"""The served GraphQL schema, composed from small query and mutation classes.

``Query`` and ``Mutation`` are merged from one class per concern, so that a feature adds
its fields by adding its class to a tuple here (the analytics add ``AnalyticsQuery``).
``Subscription`` (``changed``) is served over WebSocket only (``api.websocket``).
``sdl()`` is the schema's text: ``schema.graphql`` and ``graphsvc schema`` print it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

# The enums' descriptions (ErrorCode's lists what each code means) are registered when the
# module is imported, which nothing else does: import it before any type is built.
from graphsvc.api.graphql import enums as _enums  # noqa: F401
from graphsvc.api.graphql.analytics import AnalyticsQuery
from graphsvc.api.graphql.errors import ErrorPolicy, log_errors
from graphsvc.api.graphql.execution import EveryRootError
from graphsvc.api.graphql.freshness import ProjectionFreshness
from graphsvc.api.graphql.history import HistoryMutation, HistoryQuery
from graphsvc.api.graphql.link_mutations import LinkMutation
from graphsvc.api.graphql.lists import ListQuery
from graphsvc.api.graphql.mutations import EntityMutation
from graphsvc.api.graphql.pipeline import PipelineMutation, PipelineQuery
from graphsvc.api.graphql.queries import EntityQuery
from graphsvc.api.graphql.report import ReportQuery
from graphsvc.api.graphql.scalars import Date
from graphsvc.api.graphql.status import HttpStatusOfErrors
from graphsvc.api.graphql.subscriptions import Subscription
from graphsvc.api.graphql.viewer import ViewerQuery

__all__ = ["Mutation", "Query", "Subscription", "schema", "sdl"]

QUERY_TYPES: tuple[type, ...] = (
    EntityQuery,
    ListQuery,
    AnalyticsQuery,
    HistoryQuery,
    PipelineQuery,
    ReportQuery,
    ViewerQuery,
)
MUTATION_TYPES: tuple[type, ...] = (
    EntityMutation,
    LinkMutation,
    HistoryMutation,
    PipelineMutation,
)

Query = merge_types("Query", QUERY_TYPES)
Mutation = merge_types("Mutation", MUTATION_TYPES)


class GraphsvcSchema(strawberry.Schema):
    """Strawberry's schema, logging only unexpected errors with their traceback."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)


def build_schema(
    *, analytic_timeout_seconds: float | None = None, **options: Any
) -> strawberry.Schema:
    """The schema with graphsvc's scalars and error policy (``options`` add extensions), its
    analytic root fields limited to ``analytic_timeout_seconds`` (None: no limit)."""
    extensions = [
        HttpStatusOfErrors,
        ErrorPolicy,
        ProjectionFreshness,
        *options.pop("extensions", []),
    ]
    return GraphsvcSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        scalar_overrides={date: Date},
        execution_context_class=EveryRootError.bounded_by(analytic_timeout_seconds),
        extensions=extensions,
        **options,
    )


schema = build_schema()
"""The schema the API serves."""


def sdl() -> str:
    """The schema in GraphQL SDL, ending with a newline (the text of ``schema.graphql``)."""
    return schema.as_str() + "\n"
