"""``graphsvc compact --before DATE``: drop old changes from the change log.

The policy is ``services.history_retention``'s: changes older than the date go, except
those after each organization's latest review (``accountChanges(sinceReview:)`` needs
them). One summary line per workspace on stderr, like every command's summary.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

import typer

from graphsvc.cli.options import StoreOption, WorkspaceOption, settings_for
from graphsvc.cli.progress import say
from graphsvc.cli.run import with_services
from graphsvc.errors import InvalidInput
from graphsvc.services.container import Services
from graphsvc.services.history.retention import Compaction, compact

__all__ = ["compact_command", "parse_before"]


def compact_command(
    ctx: typer.Context,
    before: Annotated[
        str,
        typer.Option(
            "--before",
            metavar="DATE",
            help="Drop changes made before this UTC date (YYYY-MM-DD: its midnight) or "
            "date-time (ISO 8601, e.g. 2026-10-01T09:30:00Z; without an offset it is UTC)",
            show_default=False,
        ),
    ],
    all_workspaces: Annotated[
        bool,
        typer.Option(
            "--all-workspaces", help="Compact every workspace of the store, not just --workspace"
        ),
    ] = False,
    store: StoreOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Drop changes older than DATE from the change log (history retention).

    Never drops the changes after the latest review of any organization, so that
    accountChanges(sinceReview:) of every latest review can still be answered; when a review
    stops it short of DATE, the summary says which. Older reviews whose changes are dropped
    are named: sinceReview can no longer answer them. A server whose projection is behind
    the dropped changes rebuilds it instead of catching up from the log.
    """
    cutoff = parse_before(before)
    settings = settings_for(ctx, store=store, workspace=workspace)

    async def work(opened: Services) -> list[Compaction]:
        names = await opened.store.workspaces() if all_workspaces else [settings.workspace]
        return [await compact(opened.store, name, cutoff) for name in names]

    done = with_services(settings, work)
    for compaction in done:
        say(compaction.summary())
    if not done:
        say("no workspace holds any record: nothing to compact")


def parse_before(text: str) -> datetime:
    """``--before``'s value as an aware UTC datetime; ``InvalidInput`` (exit 2) otherwise."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"--before: {text!r} is not a date (YYYY-MM-DD) or an ISO 8601 date-time "
            "(YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])"
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
