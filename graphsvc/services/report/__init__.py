"""The account plan (CONTRACT §9): ``graphsvc report`` and the ``accountPlan`` query.

``ReportService.account_plan`` gathers the organization's facts from the same services the
GraphQL API answers from (``facts``), says them as a neutral ``Document`` in English or
Japanese (``sections_group``, ``sections_plan``, with the picture of ``power_picture``), and
renders that as one self-contained HTML page (``html``) or as Markdown (``markdown``).

Language by default (``lang=None``): Japanese when the organization's name is written in
Japanese script (kana or kanji), English otherwise: the account's own name says what
language its people work in, whoever reads the plan. Example::

    plan = await services.report.account_plan("default", "kaito", format=ReportFormat.MD)
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from graphsvc.analytics.route_text import is_japanese
from graphsvc.services.analytics import AnalyticsService
from graphsvc.services.history import HistoryService
from graphsvc.services.report.document import Document
from graphsvc.services.report.facts import AccountFacts, gather
from graphsvc.services.report.html import render_html
from graphsvc.services.report.markdown import render_markdown
from graphsvc.services.report.sections_group import (
    company_section,
    competition_section,
    people_section,
    systems_section,
    whitespace_section,
)
from graphsvc.services.report.sections_plan import (
    approach_section,
    changes_section,
    coverage_section,
    pipeline_section,
)
from graphsvc.services.report.texts import ReportLanguage
from graphsvc.services.report.wording import Say

__all__ = ["ReportFormat", "ReportLanguage", "ReportService", "build_document"]


class ReportFormat(StrEnum):
    """The plan's file format: one self-contained HTML page, or Markdown."""

    HTML = "html"
    MD = "md"


class ReportService:
    """Account plans of organizations, from the analytics and the change history."""

    def __init__(self, analytics: AnalyticsService, history: HistoryService) -> None:
        self.analytics = analytics
        self.history = history

    async def account_plan(
        self,
        workspace: str,
        organization_id: str,
        *,
        format: ReportFormat = ReportFormat.HTML,
        lang: ReportLanguage | None = None,
        as_of: date | None = None,
    ) -> str:
        """The plan of ``organization_id`` (with its group) as of ``as_of`` (default today).

        ``NotFound`` for an unknown organization, ``InvalidInput`` for our own one.
        """
        day = as_of or self.analytics.clock()
        facts = await gather(self.analytics, self.history, workspace, organization_id, day)
        # The sections read names and links from the projection: in the analytic worker,
        # under its lock, where writes and catch-ups change it (and off the event loop).
        document = await self.analytics.worker.run(
            lambda: build_document(facts, lang or default_language(facts)), bounded=False
        )
        return render_html(document) if format is ReportFormat.HTML else render_markdown(document)


def default_language(facts: AccountFacts) -> ReportLanguage:
    """Japanese when the organization's name is written in Japanese script, else English."""
    return ReportLanguage.JA if is_japanese(facts.organization.name) else ReportLanguage.EN


def build_document(facts: AccountFacts, lang: ReportLanguage) -> Document:
    """The plan's sections, in the order of the seed's account-plan template."""
    say = Say(facts, lang)
    name = facts.organization.name
    below = len(facts.scope.organizations) - 1
    return Document(
        title=say("title", name=name),
        lang=lang.value,
        subtitle=(
            say("as_of", date=facts.as_of.isoformat()),
            say("scope", name=name, count=below) if below else say("scope_alone", name=name),
            say("generated", version=facts.projection.version),
        ),
        sections=(
            company_section(say),
            people_section(say),
            systems_section(say),
            competition_section(say),
            whitespace_section(say),
            approach_section(say),
            pipeline_section(say),
            coverage_section(say),
            changes_section(say),
        ),
    )
