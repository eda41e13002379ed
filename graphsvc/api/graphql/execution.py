"""Execution that reports every failing root field, not only the first.

The analytic root fields are non-null (CONTRACT §4), so by the GraphQL spec one failure nulls
the whole ``data``. graphql-core runs the root fields concurrently and, on the first error of
a non-null field, cancels the others: a query naming an unknown organization in five analytic
fields reported one ``NOT_FOUND``, and the client fixed them one round trip at a time. Here
the root fields of a query all run to the end; if any failed, ``data`` is null as before and
every failure is reported, in the order of the query, each with its own path and code.
Nested fields and mutations (run serially, stopping at the first failure) are unchanged.
The analytic root fields of a query are bounded by the time limit here
(``limits.time_limit``).
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from graphql import GraphQLError
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphsvc.api.graphql.context import GraphContext
from graphsvc.api.limits.time_limit import bound_root_field

__all__ = ["EveryRootError"]


class EveryRootError(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, collecting the errors of every failing root field."""

    analytic_timeout_seconds: ClassVar[float | None] = None
    """The time limit of the analytic root fields (None: none); ``bounded_by`` sets it."""

    @classmethod
    def bounded_by(cls, seconds: float | None) -> type[EveryRootError]:
        """This execution context with analytic root fields limited to ``seconds``."""
        return type(cls.__name__, (cls,), {"analytic_timeout_seconds": seconds})

    def _graph_ready(self) -> bool:
        """Whether the request's workspace has its analytic graph built (for the time
        limit's message); True when the context is not a ``GraphContext``."""
        context = self.context_value
        if not isinstance(context, GraphContext):
            return True
        return context.services.analytics.projections.ready(context.workspace)

    def execute_fields(
        self,
        parent_type: Any,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """The root selection: every field runs, all their errors are kept; below: as usual."""
        if path is not None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        failures: dict[str, GraphQLError] = {}
        for response_name, field_details_list in grouped_field_set.items():
            field_path = Path(None, response_name, parent_type.name)
            try:
                result = self.execute_field(
                    parent_type, source_value, field_details_list, field_path, position_context
                )
                if parent_type is self.schema.query_type:
                    nodes = [details.node for details in field_details_list]
                    result = bound_root_field(
                        nodes[0].name.value,
                        result,
                        nodes,
                        self.analytic_timeout_seconds,
                        self._graph_ready,
                    )
            except GraphQLError as error:  # a synchronous non-null field failed
                failures[response_name] = error
                continue
            results[response_name] = result
        pending = [name for name, result in results.items() if self.is_awaitable(result)]
        if not pending:
            return self._finish(results, failures, list(grouped_field_set))

        async def settle() -> Any:
            outcomes = await asyncio.gather(
                *(results[name] for name in pending), return_exceptions=True
            )
            for name, outcome in zip(pending, outcomes, strict=True):
                if isinstance(outcome, GraphQLError):
                    failures[name] = outcome
                elif isinstance(outcome, BaseException):
                    raise outcome
                else:
                    results[name] = outcome
            return self._finish(results, failures, list(grouped_field_set))

        return settle()

    def _finish(
        self, results: dict[str, Any], failures: dict[str, GraphQLError], order: list[str]
    ) -> dict[str, Any] | None:
        """``results``, or None (``data: null``) after recording each failure in query order."""
        if not failures:
            return results
        for name in order:
            if name in failures:
                self.collected_errors.add(failures[name], Path(None, name, None))
        return None
