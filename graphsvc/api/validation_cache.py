"""Validate each distinct query text once: the document-only rules, cached; the rest, always.

GraphQL validation of a small ``contactRoutes`` query took 2.4 ms of a 6 ms request (the
~30 specified rules, depth, aliases, introspection), while the route search itself took
1 ms: front ends send the same few query texts over and over with different variables.
Every rule depends only on the document and the schema, so their errors are cached per query
text (bounded LRU, per schema). The request checks (the cost limit, which reads
``first``/``k`` from the variables: ``limits.cost.CostCheck``) run on every request, so no
check is weakened: a cached document with new variables is costed anew. A rule marked
``DEPENDS_ON_VARIABLES`` would be validated on every request too.

A rule marked with an ``ERROR_CODE`` (the depth and alias limits, introspection when it is
off) is validated on its own, and its errors get that ``extensions.code``: Strawberry's rules
report plain errors, and a client must be able to tell "over a limit" from "a typo".

Parsing is cached too (Strawberry's ``ParserCache``, keyed by the text and parse options,
so the token limit still applies); the parsed document is shared, never mutated.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from graphsvc.errors import ErrorCode

__all__ = [
    "DEPENDS_ON_VARIABLES",
    "ERROR_CODE",
    "RequestCheck",
    "ValidationCache",
    "ValidationResults",
    "with_error_code",
]

DEPENDS_ON_VARIABLES = "depends_on_variables"
"""Class attribute (True) of a validation rule whose verdict depends on the variables."""

ERROR_CODE = "error_code"
"""Class attribute (an ``ErrorCode``) of a rule whose errors carry that ``extensions.code``."""


def with_error_code(rule: type[ASTValidationRule], code: ErrorCode) -> type[ASTValidationRule]:
    """``rule``, marked so that ``ValidationCache`` gives its errors ``extensions.code``."""
    return type(rule.__name__, (rule,), {ERROR_CODE: code})


def _coded(errors: list[GraphQLError], code: ErrorCode) -> list[GraphQLError]:
    for error in errors:
        error.extensions = {**(error.extensions or {}), "code": code.value}
    return errors


def _validate_static(
    schema: GraphQLSchema, document: DocumentNode, rules: list[type[ASTValidationRule]]
) -> list[GraphQLError]:
    """The errors of the document-only ``rules``: the coded ones each on their own."""
    plain = [rule for rule in rules if getattr(rule, ERROR_CODE, None) is None]
    errors = list(validate_document(schema, document, tuple(plain)))
    for rule in rules:
        code = getattr(rule, ERROR_CODE, None)
        if code is not None:
            errors.extend(_coded(list(validate(schema, document, [rule])), code))
    return errors


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


class RequestCheck(Protocol):
    """A check that depends on the request, not only on the document (the cost limit)."""

    def __call__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> list[GraphQLError]: ...


class ValidationCache(SchemaExtension):
    """Runs validation itself: cached document-only rules, then the per-request checks."""

    def __init__(
        self,
        results: ValidationResults,
        *checks: RequestCheck,
        rules: Sequence[type[ASTValidationRule]] = (),
    ) -> None:
        self.results = results
        self.checks = checks
        self.rules = tuple(rules)
        """Rules validated with the schema's own (the limits' depth, aliases, introspection):
        given here, built once, rather than added to every operation by another extension."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, query = context.graphql_document, context.query
        if document is None:  # nothing parsed: Strawberry reports why
            yield
            return
        per_request: list[type[ASTValidationRule]] = []
        static: list[type[ASTValidationRule]] = []
        for rule in (*context.validation_rules, *self.rules):
            (per_request if getattr(rule, DEPENDS_ON_VARIABLES, False) else static).append(rule)
        schema = context.schema._schema
        errors = self.results.get(query) if query is not None else None
        if errors is None:
            errors = _validate_static(schema, document, static)
            if query is not None:  # a pre-parsed document is validated each time
                self.results.put(query, errors)
        if per_request:
            errors = [*errors, *validate(schema, document, per_request)]
        for check in self.checks:
            found = check(schema, document, query, context.variables, context.operation_name)
            if found:
                errors = [*errors, *found]
        context.pre_execution_errors = errors
        yield
