"""The pipeline rules of CONTRACT §7 that span records, part of ``domain.validation``.

- an opportunity's ``ownerId`` names a person of our own (SELF) organization, the
  document's version of the person and of the organization first, else the stored one
  (checked when the write sets or changes the owner; deleting an owner is refused instead,
  ``services.writes.deletion``);
- every ``stageHistory`` stage is a stage of the workspace's model (the document's
  ``pipelineStages`` when it gives one), and the history is oldest first (``enteredOn`` never
  decreases);
- a stage model given by the document is not empty, names each stage once (in any case), and
  drops no stage that a stored opportunity the document does not rewrite still names (as its
  ``stage`` or in its ``stageHistory``): that opportunity would fall out of the pipeline, and
  its history would break the rule above. Rewrite those opportunities in the same document.

Probabilities (0–1) are checked by the records themselves (``domain.models``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graphsvc.domain.enums import OrganizationKind
from graphsvc.domain.known import KnownGraph
from graphsvc.domain.labels import bounded_list
from graphsvc.domain.models import GraphDocument, Organization, PersonEntry, PipelineStage
from graphsvc.errors import Issue

__all__ = ["pipeline_issues", "stage_model_issues"]


def stage_model_issues(
    stages: Sequence[PipelineStage], path: str = "pipelineStages"
) -> list[Issue]:
    """What is wrong with ``stages`` as a stage model on its own: empty, or a name twice."""
    if not stages:
        return [Issue(path, "", "a stage model needs at least one stage")]
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for index, stage in enumerate(stages):
        key = stage.name.casefold()
        if key in seen:
            issues.append(
                Issue(
                    f"{path}[{index}].name",
                    stage.name,
                    f"stage {stage.name!r} is named twice (also {path}[{seen[key]}])",
                )
            )
        else:
            seen[key] = index
    return issues


def pipeline_issues(
    doc: GraphDocument,
    known: KnownGraph,
    orgs: Mapping[str, Organization],
    people: Mapping[str, PersonEntry],
    unparsed: frozenset[str] = frozenset(),
) -> list[Issue]:
    """Every violation of the rules above (``orgs``/``people``: the document's, by id)."""
    issues: list[Issue] = []
    model = known.stage_model if doc.pipeline_stages is None else tuple(doc.pipeline_stages)
    if doc.pipeline_stages is not None:
        sound = stage_model_issues(doc.pipeline_stages)
        issues.extend(sound)
        if not sound:
            issues.extend(_dropped_stages(doc, known, model))
    names = {s.name for s in model}
    shown = ", ".join(s.name for s in model)
    self_ids = {o.id for o in orgs.values() if o.kind is OrganizationKind.SELF} | {
        s for s in known.self_organizations if s not in orgs
    }
    for i, o in enumerate(doc.opportunities):
        path = f"opportunities[{i}]"
        unchanged = known.stored_owners.get(o.id) == o.owner_id
        if o.owner_id is not None and o.owner_id not in unparsed and not unchanged:
            issue = _owner_issue(o.owner_id, known, people, self_ids)
            if issue:
                issues.append(Issue(f"{path}.ownerId", o.id, issue))
        previous = None
        for j, entry in enumerate(o.stage_history):
            where = f"{path}.stageHistory[{j}]"
            if entry.stage not in names:
                issues.append(
                    Issue(
                        f"{where}.stage",
                        o.id,
                        f"stage {entry.stage!r} is not a stage of the workspace's pipeline "
                        f"model ({shown})",
                    )
                )
            if previous is not None and entry.entered_on < previous:
                issues.append(
                    Issue(
                        f"{where}.enteredOn",
                        o.id,
                        f"enteredOn {entry.entered_on.isoformat()} is before the previous "
                        f"entry's {previous.isoformat()}: stageHistory is oldest first",
                    )
                )
            previous = entry.entered_on
    return issues


def _owner_issue(
    owner_id: str,
    known: KnownGraph,
    people: Mapping[str, PersonEntry],
    self_ids: set[str],
) -> str | None:
    """Why ``owner_id`` cannot own a deal, or None when it is one of our people."""
    doc_person = people.get(owner_id)
    org = doc_person.organization_id if doc_person is not None else known.people.get(owner_id)
    if org is None:
        return f"ownerId {owner_id!r} names no person in the document or the workspace"
    if org in self_ids:
        return None
    if not self_ids:
        return (
            f"ownerId {owner_id!r} must be one of our own people, but the workspace has no "
            "SELF organization"
        )
    ours = sorted(self_ids)[0]
    return (
        f"ownerId {owner_id!r} is a person of organization {org!r}, not of our own (SELF) "
        f"organization {ours!r}"
    )


def _dropped_stages(
    doc: GraphDocument, known: KnownGraph, model: tuple[PipelineStage, ...]
) -> list[Issue]:
    """A stored opportunity still naming a stage the new model drops."""
    dropped = {s.name for s in known.stage_model} - {s.name for s in model}
    rewritten = {o.id for o in doc.opportunities}
    users = [
        f"{opp_id!r} ({', '.join(sorted(named & dropped))})"
        for opp_id, named in sorted(known.stage_users.items())
        if opp_id not in rewritten and named & dropped
    ]
    if not users:
        return []
    return [
        Issue(
            "pipelineStages",
            "",
            f"the new stage model drops stages that stored opportunities still name as their "
            f"stage or in their stageHistory: {bounded_list(users, limit=5)}; rewrite those "
            "opportunities in the same document, or keep the stages",
        )
    ]
