"""The plan's later sections, about what to do: the approach scenario, the pipeline, the
coverage risks and what changed since the last review."""

from __future__ import annotations

from graphsvc.domain.enums import BuyingRole, RelationshipType, Stance
from graphsvc.services.analytics import (
    DEFAULT_MAX_HOPS,
    DEFAULT_STALE_AFTER_DAYS,
    DEFAULT_STALLED_AFTER_DAYS,
    ExplanationLanguage,
    Route,
    RouteEmptyReason,
)
from graphsvc.services.report.document import Block, Bullets, Paragraph, Section, Table
from graphsvc.services.report.facts import TARGET_ROLES, all_targets
from graphsvc.services.report.sections_group import SHOWN_ROWS
from graphsvc.services.report.texts import ReportLanguage
from graphsvc.services.report.wording import Say, number, score

__all__ = [
    "SHOWN_EVENTS",
    "approach_section",
    "changes_section",
    "coverage_section",
    "pipeline_section",
]

SHOWN_EVENTS = 10
"""Events of each kind listed under "changes since the last review"; the rest are counted."""

KNOWS = RelationshipType.KNOWS

_REASONS = {
    ReportLanguage.EN: {
        RouteEmptyReason.NO_TARGETS: "nobody to reach",
        RouteEmptyReason.NO_SOURCES: "we have no people to start from",
        RouteEmptyReason.TARGET_UNREACHABLE_WITHIN_MAX_HOPS: (
            f"a route exists, but longer than {DEFAULT_MAX_HOPS} hops"
        ),
        RouteEmptyReason.ALL_WAYS_BLOCKED: "every way leads through a blocker",
        RouteEmptyReason.NO_CONTACT_INTO_ORGANIZATION: "none of our people knows anyone in "
        "this group",
        RouteEmptyReason.NOT_CONNECTED: "no chain of acquaintances reaches this person",
    },
    ReportLanguage.JA: {
        RouteEmptyReason.NO_TARGETS: "対象者がいません",
        RouteEmptyReason.NO_SOURCES: "起点となる自社メンバーがいません",
        RouteEmptyReason.TARGET_UNREACHABLE_WITHIN_MAX_HOPS: (
            f"{DEFAULT_MAX_HOPS} ホップを超えるルートしかありません"
        ),
        RouteEmptyReason.ALL_WAYS_BLOCKED: "どのルートも反対者を経由します",
        RouteEmptyReason.NO_CONTACT_INTO_ORGANIZATION: "自社メンバーはこのグループの誰とも"
        "接点がありません",
        RouteEmptyReason.NOT_CONNECTED: "知人のつながりではこの人物に届きません",
    },
}


def approach_section(say: Say) -> Section:
    """For each economic buyer and decision-maker, the best distinct routes in sentences."""
    facts = say.facts
    if not facts.targets:
        return Section("approach", say("s_approach"), (Paragraph(say("no_targets")),))
    blocks: list[Block] = [Paragraph(say("approach_intro"))]
    for person in facts.targets:
        node = facts.projection.people[person]
        roles = [
            say("role_area", role=say.role(r.role), area=r.area)
            for r in facts.deciders
            if r.person_id == person and r.role in TARGET_ROLES
        ]
        blocks.append(
            Paragraph(
                say(
                    "target_line",
                    name=node.name,
                    title=say("title_sep", title=node.title) if node.title else "",
                    organization=say.organization(node.organization_id),
                    roles="; ".join(roles),
                )
            )
        )
        search = facts.routes[person]
        if not search.routes:
            reason = search.empty_reason or RouteEmptyReason.NOT_CONNECTED
            blocks.append(Bullets((say("no_route", reason=_REASONS[say.lang][reason]),)))
            continue
        blocks.append(Bullets(tuple(_scenario(say, route) for route in search.routes), True))
    rest = all_targets(facts.deciders) - len(facts.targets)
    if rest > 0:
        blocks.append(Paragraph(say("more_targets", count=rest)))
    return Section("approach", say("s_approach"), tuple(blocks))


def _scenario(say: Say, route: Route) -> str:
    """ "Ask <ours> to introduce you to <entry> …; route …; weakest link …"."""
    ours, target = route.people[0], route.people[-1]
    entry = route.entry or target
    language = ExplanationLanguage.JA if say.lang is ReportLanguage.JA else ExplanationLanguage.EN
    opening = (
        say("ask_direct", ours=say.person(ours), target=say.person(target))
        if entry == target and len(route.hops) == 1
        else say("ask", ours=say.person(ours), entry=say.person(entry))
    )
    weakest = route.weakest_link
    return " ".join(
        (
            opening,
            say("route", score=score(route.score), explanation=route.explanations[language]),
            say(
                "weakest",
                a=say.person(weakest.from_id),
                b=say.person(weakest.to_id),
                strength=score(weakest.strength),
            ),
        )
    )


def pipeline_section(say: Say) -> Section:
    """pipeline's answer: the funnel by stage, the stalled deals and the bottleneck."""
    facts = say.facts
    pipeline = facts.pipeline
    inside = set(facts.scope.organizations)
    if not any(o.organization_id in inside for o in facts.projection.opportunities.values()):
        return Section("pipeline", say("s_pipeline"), (Paragraph(say("no_pipeline")),))
    rows = tuple(
        (
            figures.stage.name,
            str(figures.count),
            number(figures.amount),
            number(round(figures.weighted_amount)),
            "" if figures.median_days_in_stage is None else number(figures.median_days_in_stage),
            "" if figures.conversion_rate is None else f"{figures.conversion_rate * 100:.0f}%",
        )
        for figures in pipeline.stages
    )
    headers = ("stage", "count", "amount", "weighted", "median_days", "conversion")
    blocks: list[Block] = [
        Table(tuple(say(h) for h in headers), rows, numeric=frozenset({1, 2, 3, 4, 5}))
    ]
    if pipeline.stalled:
        blocks.append(Paragraph(say("stalled_line", days=DEFAULT_STALLED_AFTER_DAYS)))
        blocks.append(
            Bullets(
                tuple(
                    say(
                        "stalled_item",
                        name=deal.opportunity.name,
                        organization=say.organization(deal.opportunity.organization_id),
                        stage=deal.opportunity.stage or "",
                        days=deal.days_in_stage,
                    )
                    for deal in pipeline.stalled[:SHOWN_ROWS]
                )
            )
        )
    else:
        blocks.append(Paragraph(say("no_stalled")))
    blocks.append(
        Paragraph(
            say("bottleneck", stage=pipeline.bottleneck)
            if pipeline.bottleneck
            else say("no_bottleneck")
        )
    )
    return Section("pipeline", say("s_pipeline"), tuple(blocks))


def coverage_section(say: Say) -> Section:
    """coverage's answer: decision-makers without a direct contact, threads, stale ties."""
    coverage = say.facts.coverage
    blocks: list[Block] = []
    unreached = [
        c
        for c in coverage.decision_makers
        if not c.direct_contact and c.right.role in (*TARGET_ROLES, BuyingRole.APPROVER)
    ]
    if not coverage.decision_makers:
        blocks.append(Paragraph(say("no_rights")))
    elif unreached:
        blocks.append(Paragraph(say("unreached")))
        items = tuple(
            say(
                "unreached_item",
                name=say.person(c.right.person_id),
                role=say.role(c.right.role),
                area=c.right.area,
                score=say("unreachable")
                if c.best_route_score is None
                else score(c.best_route_score),
            )
            for c in unreached[:SHOWN_ROWS]
        )
        blocks.append(Bullets(items))
        if len(unreached) > SHOWN_ROWS:
            blocks.append(Paragraph(say("more", count=len(unreached) - SHOWN_ROWS)))
    else:
        blocks.append(Paragraph(say("all_reached")))
    if coverage.contacts == 0:
        blocks.append(Paragraph(say("no_contacts")))
    elif coverage.single_thread is not None:
        blocks.append(Paragraph(say("single_thread", name=say.person(coverage.single_thread))))
    else:
        threads = say("multi_thread", people=_holders(say), contacts=coverage.contacts)
        blocks.append(Paragraph(threads))
    if coverage.stale:
        blocks.append(
            Paragraph(say("stale_line", count=len(coverage.stale), days=DEFAULT_STALE_AFTER_DAYS))
        )
        blocks.append(
            Bullets(
                tuple(
                    say(
                        "stale_item",
                        ours=say.person(s.ours),
                        theirs=say.person(s.theirs),
                        when=say("never")
                        if s.days_since_contact is None
                        else say("days_ago", days=s.days_since_contact),
                    )
                    for s in coverage.stale[:SHOWN_ROWS]
                )
            )
        )
        if len(coverage.stale) > SHOWN_ROWS:
            blocks.append(Paragraph(say("more", count=len(coverage.stale) - SHOWN_ROWS)))
    else:
        blocks.append(Paragraph(say("no_stale")))
    return Section("coverage", say("s_coverage"), tuple(blocks))


def _holders(say: Say) -> int:
    """How many of our people hold a KNOWS tie into the scope (coverage's threads)."""
    facts = say.facts
    ours = facts.projection.self_people()
    people = facts.scope.people
    holders: set[str] = set()
    for person in ours:
        for other in facts.projection.walk.get(person, {}):
            if other in people and facts.projection.link(KNOWS, person, other) is not None:
                holders.add(person)
    return len(holders)


def changes_section(say: Say) -> Section:
    """accountChanges' answer since the organization's latest review (or the log's start)."""
    changes = say.facts.changes
    summary = changes.summary
    blocks: list[Block] = []
    review = changes.review
    if review is not None:
        blocks.append(
            Paragraph(
                say(
                    "since_review",
                    title=review.title,
                    date=say.day(review.at.date()),
                    version=review.version,
                )
            )
        )
    else:
        blocks.append(Paragraph(say("since_start")))
    if not changes.complete:
        blocks.append(Paragraph(say("incomplete")))
    blocks.append(
        Paragraph(
            say("changes_count", count=summary.change_count, date=say.day(changes.until.date()))
        )
    )
    counts = (
        ("people_added", len(summary.people_added)),
        ("people_removed", len(summary.people_removed)),
        ("stance_changes", len(summary.stance_changes)),
        ("role_changes", len(summary.role_changes)),
        ("relationship_changes", len(summary.relationship_changes)),
        ("right_changes", len(summary.decision_right_changes)),
        ("stage_changes", len(summary.stage_changes)),
    )
    blocks.append(
        Table(
            (say("kind"), say("changes")),
            tuple((say(key), str(n)) for key, n in counts),
            numeric=frozenset({1}),
        )
    )
    if summary.stance_changes:
        blocks.append(Paragraph(say("stance_changes")))
        blocks.append(
            Bullets(
                tuple(
                    say(
                        "stance_item",
                        name=say.person(e.person_id),
                        before=_stance(say, e.before),
                        after=_stance(say, e.after),
                    )
                    for e in summary.stance_changes[-SHOWN_EVENTS:]
                )
            )
        )
    if summary.stage_changes:
        opportunities = say.facts.projection.opportunities
        blocks.append(Paragraph(say("stage_changes")))
        blocks.append(
            Bullets(
                tuple(
                    say(
                        "stage_item",
                        name=opportunities[e.opportunity_id].name
                        if e.opportunity_id in opportunities
                        else e.opportunity_id,
                        before=e.before or say("none"),
                        after=e.after or say("none"),
                    )
                    for e in summary.stage_changes[-SHOWN_EVENTS:]
                )
            )
        )
    return Section("changes", say("s_changes"), tuple(blocks))


def _stance(say: Say, value: str | None) -> str:
    return say.stance(Stance(value)) if value else say("none")
