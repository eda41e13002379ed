"""Validate each distinct query text once: the document-only rules, cached; the rest, always.

GraphQL validation of a small ``contactRoutes`` query took 2.4 ms of a 6 ms request (the
~30 specified rules, depth, aliases, introspection), while the route search itself took
1 ms: front ends send the same few query texts over and over with different variables.
Every rule but one depends only on the document and the schema, so their errors are cached
per query text (bounded LRU, per schema). The rules marked ``DEPENDS_ON_VARIABLES`` (the
cost limit, which reads ``first``/``k`` from the variables) run on every request, so no
check is weakened: a cached document with new variables is costed anew.

Parsing is cached too (Strawberry's ``ParserCache``, keyed by the text and parse options,
so the token limit still applies); the parsed document is shared, never mutated.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from graphql import ASTValidationRule, GraphQLError, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

__all__ = ["DEPENDS_ON_VARIABLES", "ValidationCache", "ValidationResults"]

DEPENDS_ON_VARIABLES = "depends_on_variables"
"""Class attribute (True) of a validation rule whose verdict depends on the variables."""


class ValidationResults:
    """Errors of the document-only rules by query text: a bounded LRU shared by requests."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._errors: OrderedDict[str, list[GraphQLError]] = OrderedDict()

    def get(self, query: str) -> list[GraphQLError] | None:
        """The cached errors of ``query`` (empty: valid), or None when not validated yet."""
        found = self._errors.get(query)
        if found is not None:
            self._errors.move_to_end(query)
        return found

    def put(self, query: str, errors: list[GraphQLError]) -> None:
        """Remember the errors of ``query``, forgetting the least recently used beyond size."""
        self._errors[query] = errors
        if len(self._errors) > self.maxsize:
            self._errors.popitem(last=False)


class ValidationCache(SchemaExtension):
    """Runs validation itself: cached document-only rules, then the per-request rules."""

    def __init__(self, results: ValidationResults) -> None:
        self.results = results

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, query = context.graphql_document, context.query
        if document is None or query is None:  # a pre-parsed document: leave it to Strawberry
            yield
            return
        per_request: list[type[ASTValidationRule]] = []
        static: list[type[ASTValidationRule]] = []
        for rule in context.validation_rules:
            (per_request if getattr(rule, DEPENDS_ON_VARIABLES, False) else static).append(rule)
        schema = context.schema._schema
        errors = self.results.get(query)
        if errors is None:
            errors = validate_document(schema, document, tuple(static))
            self.results.put(query, errors)
        if per_request:
            errors = [*errors, *validate(schema, document, per_request)]
        context.pre_execution_errors = errors
        yield
