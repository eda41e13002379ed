"""The cost limit: refuse an operation that could touch too many records, before it runs.

A check run with validation on every request (``CostCheck``, called by ``ValidationCache``)
estimates, from the parsed document and the variables, how many records an operation could
touch. Each field costs 1; a field with a ``first`` argument (a connection)
multiplies the cost of everything below it by its page size, and a plain list multiplies by
``LIST_FANOUT``, so nested pages multiply as they would at run time. The analytic fields add
a high base cost (they build a graph projection and run graph algorithms). Page sizes above
``max_page_size`` and a ``k`` above ``MAX_K`` are refused outright, once: the estimate then
counts them at that maximum, so the same argument is not refused a second time as a cost.

A refused cost says what the query can lower: the arguments that multiply the most
(``organizations(first: 500)``, ``contactRoutes(k: 40)``), or the number of analytic fields
when they are what adds up.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
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
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
)
from graphql.language import IntValueNode

from graphsvc.config import Settings
from graphsvc.errors import ErrorCode
from graphsvc.services.analytics import DEFAULT_K, MAX_K

__all__ = [
    "ANALYTIC_FIELDS",
    "LIST_FANOUT",
    "CostCheck",
    "CostEstimate",
    "CostVerdict",
    "estimate_cost",
    "limit_exceeded",
]

ANALYTIC_FIELDS = frozenset(
    {
        "contactRoutes",
        "contactRouteSearch",
        "decisionMakers",
        "whitespace",
        "powerMap",
        "powerMapLines",
        "coverage",
        "displacementWindows",
        "pipeline",
        "categoryFootprint",
        "accountPlan",
    }
)
"""The expensive root query fields of CONTRACT §4 (and contactRouteSearch, contactRoutes with
the reason an empty answer is empty; §7's pipeline and categoryFootprint, which read the
projection too; §9's accountPlan, which asks most of them; and powerMapLines, which reads a
whole scope's relationships in one answer)."""

LIST_FANOUT = 20
"""Assumed length of a list field without ``first`` (e.g. a person's decision rights)."""

DEFAULT_FIRST = 50
"""Page size assumed when ``first`` is omitted or null (the API's default page)."""


def limit_exceeded(
    message: str, node: Any = None, path: list[str | int] | None = None
) -> GraphQLError:
    """The GraphQL error of a refused operation: ``extensions.code = LIMIT_EXCEEDED``."""
    return GraphQLError(
        message, nodes=node, path=path, extensions={"code": ErrorCode.LIMIT_EXCEEDED.value}
    )


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
        self.levers: dict[str, int] = {}
        """Each multiplying argument (``people(first: 500)``) and the cost it multiplied."""
        self.analytic_fields = 0
        self.refused = False
        """An argument was refused: the operation is refused once, for that, not its cost."""

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

    def _multiplier(self, node: FieldNode, field: GraphQLField, parent: str) -> tuple[int, str]:
        """How many times ``node``'s selection counts, and the argument setting it ('' if none)."""
        if "first" in field.args:
            return self._bounded(node, field, "first", DEFAULT_FIRST, self.settings.max_page_size)
        if node.name.value in ("contactRoutes", "contactRouteSearch"):
            return self._bounded(node, field, "k", DEFAULT_K, MAX_K)
        if parent == "RouteSearch":  # its routes are the k already counted by the search
            return 1, ""
        if _is_list(field.type) and not parent.endswith("Connection"):
            # A connection's edges/nodes are already counted by the connection's ``first``.
            return LIST_FANOUT, ""
        return 1, ""

    def _bounded(
        self, node: FieldNode, field: GraphQLField, name: str, default: int, maximum: int
    ) -> tuple[int, str]:
        """The value of argument ``name`` (refused above ``maximum``, then counted as it)."""
        value = self._argument(node, field, name)
        if value is not None and value > maximum:
            what = "page size" if name == "first" else "k"
            instead = "; page with 'after' instead" if name == "first" else ""
            self.report(
                limit_exceeded(
                    f"{node.name.value}({name}: {value}) asks for more than the maximum "
                    f"{what} {maximum}{instead}",
                    node,
                )
            )
            value = maximum
            self.refused = True
        count = max(value if value is not None else default, 1)
        return count, f"{node.name.value}({name}: {count})"

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
            self.analytic_fields += 1
        multiplier, lever = self._multiplier(node, field, parent.name)
        below = self.selection_cost(node.selection_set, get_named_type(field.type), frozenset())
        if lever and multiplier > 1:
            self.levers[lever] = self.levers.get(lever, 0) + multiplier * below
        return base + multiplier * below

    def hint(self, cost: int) -> str:
        """What this operation can lower to cost less: its biggest multipliers, or analytics."""
        analytic = self.analytic_fields * self.settings.analytic_cost
        levers = sorted(self.levers.items(), key=lambda item: -item[1])[:3]
        parts = []
        if levers and 2 * sum(weight for _, weight in levers) >= cost - analytic:
            parts.append(
                "lower " + " or ".join(lever for lever, _ in levers) + " (each multiplies the "
                "fields below it), or select fewer fields below"
            )
        if analytic * 2 >= cost or not parts:
            parts.append(
                f"ask fewer analytic fields per request (it has {self.analytic_fields} "
                f"analytic fields at {self.settings.analytic_cost} each)"
                if self.analytic_fields
                else "select fewer fields below its lists"
            )
        return "; ".join(parts)


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
) -> CostEstimate:
    """The estimated cost of ``operation``; page sizes and ``k`` above their maximum go to
    ``report`` (and are counted at that maximum)."""
    root = schema.get_root_type(operation.operation)
    estimator = _Estimator(schema, fragments, variables, settings, report)
    cost = estimator.selection_cost(operation.selection_set, root, frozenset())
    return CostEstimate(cost, estimator.hint(cost), estimator.refused)


class CostEstimate(NamedTuple):
    """An operation's estimated cost, what it can lower, and whether an argument was refused."""

    cost: int
    hint: str
    refused_argument: bool


class CostVerdict(NamedTuple):
    """What the cost check found for one request: its errors, and the estimated cost of the
    operation it runs (what a token budget is charged: ``limits.budget``)."""

    errors: list[GraphQLError]
    cost: int
    """At least 1: every operation costs something, even one of only ``__typename``."""
    hint: str
    """What the operation can lower to cost less."""


class CostCheck:
    """The cost limit, checked for every request, its verdicts remembered per (query text,
    operation name, integer variables): the estimate reads nothing else, so a repeated query
    with the same page sizes is not walked again, and other variables are costed anew.

    One per schema (``limits.limit_extensions``); bounded LRU like the validation cache. The
    token budget (``limits.budget``) asks the same check for the cost (``verdict``), so the
    number charged is the number compared with ``max_cost``, and costed once.
    """

    def __init__(self, settings: Settings, maxsize: int = 256) -> None:
        self.settings = settings
        self.maxsize = maxsize
        self._verdicts: OrderedDict[Hashable, CostVerdict] = OrderedDict()

    def __call__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        query: str | None,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
    ) -> list[GraphQLError]:
        """The cost errors of ``document`` (the text ``query``, if known) with ``variables``."""
        return self.verdict(schema, document, query, variables, operation_name).errors

    def verdict(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        query: str | None,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
    ) -> CostVerdict:
        """The cost errors and the estimated cost of ``document`` with ``variables``."""
        variables = variables or {}
        if query is None:  # a pre-parsed document: costed, not remembered
            return self._verdict(schema, document, variables, operation_name)
        numbers = tuple(
            sorted(
                (name, value)
                for name, value in variables.items()
                if isinstance(value, int) and not isinstance(value, bool)
            )
        )
        key = (query, operation_name, numbers)
        found = self._verdicts.get(key)
        if found is not None:
            self._verdicts.move_to_end(key)
            return found
        found = self._verdict(schema, document, variables, operation_name)
        self._verdicts[key] = found
        if len(self._verdicts) > self.maxsize:
            self._verdicts.popitem(last=False)
        return found

    def _verdict(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        operation_name: str | None,
    ) -> CostVerdict:
        errors: list[GraphQLError] = []
        total, hints = 0, []
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        for operation in operations:
            name = operation.name.value if operation.name else None
            if operation_name is not None and name != operation_name and len(operations) > 1:
                continue
            cost, hint, refused_argument = estimate_cost(
                schema, operation, fragments, variables, self.settings, errors.append
            )
            total += cost
            hints.append(hint)
            if cost > self.settings.max_cost and not refused_argument:
                errors.append(
                    limit_exceeded(
                        f"operation {name or '(anonymous)'} has an estimated cost of {cost}, "
                        f"above the limit {self.settings.max_cost}: {hint}",
                        operation,
                    )
                )
        return CostVerdict(errors, max(total, 1), "; ".join(hints))
