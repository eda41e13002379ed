"""``graphsvc report --organization ID``: the account plan (CONTRACT §9) on stdout.

The plan is ``services.report``'s, the same document the ``accountPlan`` query returns:
HTML by default (one self-contained page: print it to PDF from a browser), Markdown with
``--format md``. A summary line goes to stderr; an unknown organization is one line there
and exit 2.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer

from graphsvc.cli.options import StoreOption, WorkspaceOption, settings_for
from graphsvc.cli.progress import say
from graphsvc.cli.run import with_services
from graphsvc.services.container import Services
from graphsvc.services.report import ReportFormat, ReportLanguage

__all__ = ["report_command"]


def report_command(
    ctx: typer.Context,
    organization: Annotated[
        str,
        typer.Option(
            "--organization",
            metavar="ID",
            help="The account: its plan covers it and every group company below it",
            show_default=False,
        ),
    ],
    format: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            help="html: one self-contained page (print it to PDF from a browser); md: Markdown",
        ),
    ] = ReportFormat.HTML,
    lang: Annotated[
        ReportLanguage | None,
        typer.Option(
            "--lang",
            help="Language of the plan; default: Japanese when the organization's name is "
            "written in Japanese, else English",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            formats=["%Y-%m-%d"],
            help="The day the plan is written for (contract windows, staleness, days in "
            "stage); default today",
            show_default=False,
        ),
    ] = None,
    store: StoreOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the account plan of an organization (with its group) to stdout."""
    settings = settings_for(ctx, store=store, workspace=workspace)

    async def work(opened: Services) -> str:
        return await opened.report.account_plan(
            settings.workspace,
            organization,
            format=format,
            lang=lang,
            as_of=as_of.date() if as_of is not None else None,
        )

    plan = with_services(settings, work)
    sys.stdout.buffer.write(plan.encode("utf-8"))
    sys.stdout.buffer.flush()
    say(f"account plan of {organization!r} ({format.value}, {len(plan):,} characters)")
