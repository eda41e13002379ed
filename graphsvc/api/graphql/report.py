"""``accountPlan``: the account plan of CONTRACT §9 as one string, for the console and tools.

The same document ``graphsvc report`` prints (``services.report``). A GraphQL field rather
than a page of its own: it needs the same bearer token as every query, which a browser tab
opened on a plain URL would not send; the console fetches the string with its token and
opens it as a Blob (``text/html``) in a new tab, where the reader prints it to PDF.
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry import UNSET

from graphsvc.api.graphql.context import Info
from graphsvc.services.report import ReportFormat, ReportLanguage

__all__ = ["ReportQuery"]

strawberry.enum(
    ReportFormat,
    name="ReportFormat",
    description="The account plan's format. HTML: one self-contained page (styles inline, "
    "the power map inline as SVG, no external address; A4 print styles with each section on "
    "a new page, so a browser prints it to PDF). MD: Markdown with the same sections, the "
    "power map embedded as an SVG data URI (viewers that refuse data URIs show its alt text; "
    "the key-person table below it says the same in words).",
)
strawberry.enum(
    ReportLanguage,
    name="ReportLanguage",
    description="The account plan's language: EN English, JA Japanese. Names and data are "
    "never translated.",
)

_DESCRIPTION = (
    "The account plan of an organization and every group company below it (CONTRACT §9), as "
    "one document: company information; org chart, key persons and power structure with a "
    "picture of the power map (key persons: every economic buyer and decision-maker plus the "
    "10 most influential and the hidden influencers among the 20 most influential, at most "
    "24, drawn under their nearest drawn manager; stance by colour and glyph; hidden "
    "influencers ★); system map; competitive situation and displacementWindows; whitespace "
    "(top 25); approach scenario (contactRoutes with distinctEntry to up to 12 economic "
    "buyers and decision-makers, 3 routes each, in sentences); pipeline; coverage risks; "
    "accountChanges since the latest review. Every section is the answer of the query named, "
    "with its defaults and this asOf. An unknown organization is NOT_FOUND; our own (SELF) "
    "organization is INVALID. Counts as one analytic query for the cost limits."
)


@strawberry.type
class ReportQuery:
    """The account plan document."""

    @strawberry.field(description=_DESCRIPTION)
    async def account_plan(
        self,
        info: Info,
        organization_id: strawberry.ID,
        format: Annotated[
            ReportFormat | None, strawberry.argument(description="Default HTML.")
        ] = ReportFormat.HTML,
        lang: Annotated[
            ReportLanguage | None,
            strawberry.argument(
                description="Default: JA when the organization's name is written in Japanese "
                "script (kana or kanji), else EN."
            ),
        ] = UNSET,
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description="The day the plan is written for: displacement windows, "
                "whitespace's expiring contracts, stale relationships and days in stage count "
                "from it (default today). Changes since the last review run up to now."
            ),
        ] = UNSET,
    ) -> str:
        return await info.context.services.report.account_plan(
            info.context.workspace,
            str(organization_id),
            format=format or ReportFormat.HTML,
            lang=lang or None,
            as_of=as_of or None,
        )
