"""``--token-budget`` of ``serve`` and ``demo``: the cost points each token may spend per
minute (CONTRACT §2 ``GRAPHSVC_TOKEN_BUDGET``; ``api.limits.budget``), checked like the
variable: a negative value is one line and exit 2, before anything starts.
"""

from __future__ import annotations

from typing import Annotated

import typer

from graphsvc.config import Settings
from graphsvc.errors import InvalidInput

__all__ = ["TokenBudgetOption", "checked_token_budget"]

TokenBudgetOption = Annotated[
    int | None,
    typer.Option(
        "--token-budget",
        help="Cost points each token may spend per minute, a bucket refilling continuously; "
        "0 turns budgets off (default: $GRAPHSVC_TOKEN_BUDGET or 50000)",
        show_default=False,
    ),
]


def checked_token_budget(settings: Settings) -> Settings:
    """``settings``, once their token budget is known to be usable (an option given on the
    command line is applied without the variable's validation, so it is checked here)."""
    if settings.token_budget < 0:
        raise InvalidInput(
            f"--token-budget {settings.token_budget}: must be 0 (budgets off) or a positive "
            "number of cost points per minute"
        )
    return settings
