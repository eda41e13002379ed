"""Per-token cost budgets (CONTRACT §2 ``token_budget``, §11): fair use between callers.

Each token has a bucket of ``token_budget`` cost points that refills continuously over a
minute (``limits.buckets``); with authentication off, the whole server has one. A request
costs its operation's estimated cost, the very number compared with ``max_cost``
(``limits.cost.CostCheck``, at least 1), and is charged after validation and before it runs:

- an operation costing more than the whole budget could never run, so it is refused as
  ``LIMIT_EXCEEDED`` naming both numbers (not a 429 forever);
- a bucket holding less than the cost refuses the request without running it:
  ``RATE_LIMITED`` (``errors.RateLimited``; ``api.graphql.status`` makes it HTTP 429 with
  ``Retry-After``), saying what was asked, what is left and when to retry;
- a request refused by validation or another limit is not charged.

Every GraphQL response says ``extensions.cost = {"requested": N, "remaining": M}``:
``requested`` is the operation's cost (0 when the request did not parse), ``remaining`` the
whole points left after this request (null with budgets off, ``token_budget = 0``).

The table is shared by the worker processes of one ``graphsvc serve --workers N``: the
parent creates its file and names it in ``BUDGET_FILE_ENV`` (``cli.workers``); a server
without it keeps its table in memory.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graphsvc.api.limits.buckets import BucketTable
from graphsvc.api.limits.cost import CostCheck, limit_exceeded
from graphsvc.config import Settings
from graphsvc.errors import RateLimited

__all__ = ["BUDGET_FILE_ENV", "TokenBudget", "budget_table"]

BUDGET_FILE_ENV = "_GRAPHSVC_BUDGET_FILE"
"""Where ``graphsvc serve --workers N`` names the bucket file its workers share (set by the
parent, read once per worker when its app is built); outside the ``GRAPHSVC_`` prefix like
``config.SERVED_SETTINGS_ENV``: it is not a setting."""

SETTING = "GRAPHSVC_TOKEN_BUDGET"


def budget_table(settings: Settings) -> BucketTable | None:
    """The buckets of this server: the workers' shared file when the serving parent made one,
    else a table in memory; None with budgets off."""
    if settings.token_budget <= 0:
        return None
    shared = os.environ.get(BUDGET_FILE_ENV)
    if shared:
        return BucketTable.over_file(settings.token_budget, shared)
    return BucketTable.in_memory(settings.token_budget)


class TokenBudget(SchemaExtension):
    """Charges each operation's cost to its token's bucket (after ``ValidationCache``, in
    the same validation step, so a refused operation never executes), and reports the cost
    in ``extensions.cost``."""

    def __init__(self, table: BucketTable | None, costs: CostCheck) -> None:
        self.table = table
        self.costs = costs
        self.requested = 0
        self.remaining: int | None = None
        self.charged = False

    def _key(self) -> str:
        return getattr(self.execution_context.context, "token_id", None) or ""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            yield
            return
        verdict = self.costs.verdict(
            context.schema._schema,
            document,
            context.query,
            context.variables,
            context.operation_name,
        )
        self.requested = verdict.cost
        if self.table is not None and not context.pre_execution_errors:
            refusal = self._charge(self.table, verdict.cost, verdict.hint)
            if refusal is not None:
                context.pre_execution_errors = [refusal]
        yield

    def _charge(self, table: BucketTable, cost: int, hint: str) -> GraphQLError | None:
        """Take ``cost`` from the caller's bucket; the error refusing it, if it cannot."""
        self.charged = True
        if cost > table.capacity:
            self.remaining = table.remaining(self._key())
            return limit_exceeded(
                f"this operation has an estimated cost of {cost}, more than the whole token "
                f"budget of {table.capacity} points per minute ({SETTING}), so it can never "
                f"run: {hint}"
            )
        charge = table.charge(self._key(), cost)
        self.remaining = charge.remaining
        if charge.granted:
            return None
        wait = max(1, math.ceil(charge.retry_after))
        refused = RateLimited(
            f"the token's cost budget is spent: this operation costs {cost} points and "
            f"{charge.remaining} are left of {table.capacity} per minute ({SETTING}); retry "
            f"in {wait} s, when the budget has refilled enough",
            retry_after=charge.retry_after,
        )
        return GraphQLError(
            refused.message, original_error=refused, extensions={"code": refused.code.value}
        )

    def get_results(self) -> dict[str, Any]:
        if self.table is not None and not self.charged:
            self.remaining = self.table.remaining(self._key())
        return {"cost": {"requested": self.requested, "remaining": self.remaining}}
