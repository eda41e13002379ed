"""Request limits: refuse abusive GraphQL operations before any resolver runs.

Depth, aliases and tokens use Strawberry's own extensions. The cost limit is ours: a
validation rule that estimates, from the parsed document and the variables, how many
records an operation could touch. Each field costs 1; a field with a ``first`` argument
(a connection) multiplies the cost of everything below it by its page size, and a plain
list multiplies by ``LIST_FANOUT``, so nested pages multiply as they would at run time.
The analytic fields add a high base cost (they build a graph projection and run graph
algorithms). Page sizes above ``max_page_size`` are refused outright.

Because all of these are validation rules (or parser options), a refused operation never
executes: no store call, no projection build. The refusal is an ordinary GraphQL error
with ``extensions.code = LIMIT_EXCEEDED`` naming the limit and how to stay under it.

``AnalyticTimeout`` bounds the wall time of each analytic field with ``asyncio.timeout``.
It can only interrupt work that awaits (store reads, work in a thread); CPU-bound work in
the event loop is bounded by the cost limit instead.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterator, Mapping
from functools import partial
from typing import Any

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    ValueNode,
    VariableNode,
    get_named_type,
)
from graphql.language import IntValueNode
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)

from graphsvc.api.validation_cache import ValidationCache, ValidationResults
from graphsvc.config import Settings
from graphsvc.errors import ErrorCode

__all__ = [
    "ANALYTIC_FIELDS",
    "LIST_FANOUT",
    "AnalyticTimeout",
    "BodySizeLimit",
    "CostLimiter",
    "ExtensionFactory",
    "estimate_cost",
    "limit_extensions",
]

ANALYTIC_FIELDS = frozenset(
    {
        "contactRoutes",
        "decisionMakers",
        "whitespace",
        "powerMap",
        "coverage",
        "displacementWindows",
    }
)
"""The expensive root query fields of CONTRACT §4."""

LIST_FANOUT = 20
"""Assumed length of a list field without ``first`` (e.g. a person's decision rights)."""

DEFAULT_FIRST = 50
"""Page size assumed when ``first`` is omitted or null (the API's default page)."""

LIMIT_CODE = {"code": ErrorCode.LIMIT_EXCEEDED.value}


def _limit_error(message: str, node: Any = None) -> GraphQLError:
    return GraphQLError(message, nodes=node, extensions=dict(LIMIT_CODE))


class _Estimator:
    """Walks one operation, resolving ``first``/``k`` from literals, variables and defaults."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        settings: Settings,
        report: Callable[[GraphQLError], None],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.settings = settings
        self.report = report

    def _argument(self, node: FieldNode, field: GraphQLField, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return self._int_value(argument.value)
        definition = field.args.get(name)
        default = definition.default_value if definition is not None else None
        return default if isinstance(default, int) else None

    def _int_value(self, value: ValueNode) -> int | None:
        if isinstance(value, VariableNode):
            raw = self.variables.get(value.name.value)
            return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        if isinstance(value, IntValueNode):
            try:
                return int(value.value)
            except ValueError:
                return None
        return None

    def _multiplier(self, node: FieldNode, field: GraphQLField, parent: str) -> int:
        if "first" in field.args:
            first = self._argument(node, field, "first")
            if first is not None and first > self.settings.max_page_size:
                self.report(
                    _limit_error(
                        f"{node.name.value}(first: {first}) asks for more than the maximum "
                        f"page size {self.settings.max_page_size}; page with 'after' instead",
                        node,
                    )
                )
            return max(first if first is not None else DEFAULT_FIRST, 1)
        if node.name.value == "contactRoutes":
            k = self._argument(node, field, "k")
            return max(k if k is not None else 3, 1)
        if _is_list(field.type) and not parent.endswith("Connection"):
            # A connection's edges/nodes are already counted by the connection's ``first``.
            return LIST_FANOUT
        return 1

    def selection_cost(
        self, selection_set: SelectionSetNode | None, parent: Any, seen: frozenset[str]
    ) -> int:
        if selection_set is None or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_cost(selection.selection_set, target, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selection_cost(fragment.selection_set, target, seen | {name})
        return total

    def field_cost(self, node: FieldNode, parent: GraphQLObjectType | GraphQLInterfaceType) -> int:
        field = parent.fields.get(node.name.value)
        if field is None:  # __typename and introspection meta fields: free
            return 0
        base = 1
        if parent is self.schema.query_type and node.name.value in ANALYTIC_FIELDS:
            base = self.settings.analytic_cost
        multiplier = self._multiplier(node, field, parent.name)
        below = self.selection_cost(node.selection_set, get_named_type(field.type), frozenset())
        return base + multiplier * below


def _is_list(type_: GraphQLOutputType) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def estimate_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    settings: Settings,
    report: Callable[[GraphQLError], None] = lambda _error: None,
) -> int:
    """The estimated cost of ``operation``; page-size violations go to ``report``."""
    root = schema.get_root_type(operation.operation)
    estimator = _Estimator(schema, fragments, variables, settings, report)
    return estimator.selection_cost(operation.selection_set, root, frozenset())


def _cost_rule(
    settings: Settings, variables: Mapping[str, Any], operation_name: str | None
) -> type[ValidationRule]:
    """A validation rule bound to one request's variables (cost depends on them)."""

    class CostRule(ValidationRule):
        depends_on_variables = True  # never cached by ``ValidationCache``

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            for operation in operations:
                name = operation.name.value if operation.name else None
                if operation_name is not None and name != operation_name and len(operations) > 1:
                    continue
                cost = estimate_cost(
                    context.schema, operation, fragments, variables, settings, context.report_error
                )
                if cost > settings.max_cost:
                    context.report_error(
                        _limit_error(
                            f"operation {name or '(anonymous)'} has an estimated cost of {cost}, "
                            f"above the limit {settings.max_cost}: request smaller pages "
                            f"('first'), fewer nested lists, or fewer analytic fields",
                            operation,
                        )
                    )

    return CostRule


class CostLimiter(SchemaExtension):
    """Adds the cost rule for each operation, with that operation's variables."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        rule = _cost_rule(self.settings, context.variables or {}, context.operation_name)
        context.validation_rules = (*context.validation_rules, rule)
        yield


class AnalyticTimeout(SchemaExtension):
    """Stops an analytic root field that runs longer than the configured seconds."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # Synchronous pass-through for every other field: wrapping each scalar in a
        # coroutine would cost more than the analytics it guards.
        result = _next(root, info, *args, **kwargs)
        if (
            info.parent_type is info.schema.query_type
            and info.field_name in ANALYTIC_FIELDS
            and inspect.isawaitable(result)
        ):
            return self._bounded(result, info)
        return result

    async def _bounded(self, work: Awaitable[Any], info: GraphQLResolveInfo[Any]) -> Any:
        try:
            async with asyncio.timeout(self.seconds):
                return await work
        except TimeoutError:
            raise _limit_error(
                f"{info.field_name} took longer than {self.seconds:g} s and was stopped: narrow "
                "the organization scope (includeSubsidiaries: false) or lower k / maxHops",
                info.field_nodes,
            ) from None


class BodySizeLimit:
    """ASGI middleware answering 413 to request bodies above ``max_bytes``.

    A declared ``Content-Length`` above the limit is refused without reading anything; a
    chunked body is read only up to the limit. The body is then handed to the app whole, so
    the GraphQL layer never sees a truncated request.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = HTTPConnection(scope).headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        message = (
            f"request body is larger than {self.max_bytes} bytes: import big documents with "
            "'graphsvc import FILE', or raise GRAPHSVC_MAX_BODY_BYTES"
        )
        body = orjson.dumps({"errors": [{"message": message, "extensions": dict(LIMIT_CODE)}]})
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


ExtensionFactory = Callable[[], SchemaExtension]
"""What ``strawberry.Schema(extensions=...)`` takes: one fresh extension per operation."""


def limit_extensions(settings: Settings) -> list[ExtensionFactory]:
    """Factories of every limit extension configured by ``settings``, for ``strawberry.Schema``.

    Factories, not instances: Strawberry shares an instance across concurrent operations.
    """
    # Parse and document-only validation once per query text; the cost rule runs always.
    results = ValidationResults()
    factories: list[ExtensionFactory] = [
        partial(ParserCache, maxsize=results.maxsize),
        partial(ValidationCache, results),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(QueryDepthLimiter, max_depth=settings.max_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),
        partial(CostLimiter, settings),
        partial(AnalyticTimeout, settings.analytic_timeout_seconds),
    ]
    if not settings.introspection:
        factories.append(DisableIntrospection)
    return factories
