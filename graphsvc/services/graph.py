"""GraphService: validated, atomic writes and plain reads over one store.

Reads go straight to the store. Writes are planned and committed by the write path
(``services.writes``, whose docstring tells what a write does and how concurrent writes
stay serializable), and announced to the service's listeners.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.history import CLI_ACTOR
from graphsvc.domain.models import (
    FORMAT,
    DecisionRight,
    Entity,
    GraphDocument,
    Relationship,
    relationship_key,
)
from graphsvc.domain.pipeline import DEFAULT_STAGES, PipelineStage
from graphsvc.services.parsing import ParsedDocument, parse_keyed, parse_record, read_document
from graphsvc.services.writes import (
    ChangeListener,
    Plan,
    Prepare,
    ProgressCallback,
    WriteCommitter,
    creation_plan,
    decision_right_key,
    deletion_plan,
    document_plan,
    grant_plan,
    link_plan,
    no_progress,
    revoke_plan,
    unlink_plan,
    update_plan,
)
from graphsvc.store.base import GraphReader, GraphStore

__all__ = ["GraphService", "ImportSummary"]


@dataclass
class ImportSummary:
    """What an import did: per list of the document, how many records it wrote.

    Records equal to their stored version are not written and not counted; ``removed``
    counts solid REPORTS_TO lines that a ``reportsToId`` replaced; ``applied`` is False when
    nothing differed from the store (the version is then the unchanged current one).
    """

    counts: dict[str, int] = field(default_factory=dict)
    version: int = 0
    removed: int = 0
    applied: bool = False


class GraphService:
    """Reads and validated writes of workspaces in one store.

    Every write takes the ``actor`` its change log entries record: the API passes the
    caller's token id; the command line's writes default to ``cli``.

    The reads are the store's own lookups (``GraphReader``), bound as they are: there is
    nothing to validate or arbitrate on the way.
    """

    def __init__(
        self,
        store: GraphStore,
        listeners: Sequence[ChangeListener] = (),
        *,
        log_changes: bool = True,
    ) -> None:
        """``log_changes=False`` writes no change log entries: only for
        ``bench/change_log.py``'s baseline (``WriteCommitter``)."""
        self.store = store
        self.listeners = list(listeners)
        self._committer = WriteCommitter(store, self.listeners, log_changes=log_changes)
        self.get = store.get
        self.find = store.find
        self.relationships = store.relationships
        self.get_relationships = store.get_relationships
        self.decision_rights = store.decision_rights

    # --- writes (each validated in full, atomic, then announced to listeners) -----------

    async def import_document(
        self,
        workspace: str,
        document: Mapping[str, Any] | GraphDocument | ParsedDocument,
        progress: ProgressCallback | None = None,
        *,
        actor: str = CLI_ACTOR,
    ) -> ImportSummary:
        """Upsert a whole graph document: all of it or, on any ``InvalidDocument``, nothing.

        ``document`` is a ``GraphDocument``, one read by ``read_document``, or its JSON form as
        a mapping (read here). ``InvalidDocument`` lists every problem at once: the records
        refused on their own and the cross-record rules broken by the others. See
        ``services.writes`` for upsert, no-op and ``reportsToId`` semantics.
        """
        report = progress or no_progress
        report("parse", 0, 1)
        doc = (
            document
            if isinstance(document, GraphDocument | ParsedDocument)
            else read_document(document)
        )
        report("parse", 1, 1)
        return await self._write(workspace, doc, report, actor)

    async def create(
        self, workspace: str, kind: EntityKind, data: Mapping[str, Any], *, actor: str = CLI_ACTOR
    ) -> Entity:
        """Create one record (camelCase ``data``); ``Conflict`` if the id is taken.

        A person's ``data`` may carry ``reportsToId`` (their solid manager).
        """
        record = parse_record(kind, data)
        written: list[Entity] = []

        async def prepare(reader: GraphReader) -> Plan:
            plan, stored = await creation_plan(reader, workspace, kind, record)
            written[:] = [stored]
            return plan

        await self._commit(workspace, prepare, actor)
        return written[0]

    async def update(
        self,
        workspace: str,
        kind: EntityKind,
        id: str,
        patch: Mapping[str, Any],
        *,
        actor: str = CLI_ACTOR,
    ) -> Entity:
        """Change the given fields of one record (``None`` clears an optional field).

        ``patch`` holds camelCase fields, merged onto the stored record; the result is
        validated as a one-record document against the store. For people, ``reportsToId``
        sets the solid manager (replacing the stored solid lines) and ``None`` removes them.
        Clearing an organization's ``parentId`` also clears ``parentRelation`` and
        ``ownership``, which mean nothing without a parent. ``NotFound`` if no such record.
        """
        written: list[Entity] = []

        async def prepare(reader: GraphReader) -> Plan:
            plan, record = await update_plan(reader, workspace, kind, id, patch)
            written[:] = [record]
            return plan

        await self._commit(workspace, prepare, actor)
        return written[0]

    async def delete(
        self, workspace: str, kind: EntityKind, id: str, *, actor: str = CLI_ACTOR
    ) -> None:
        """Delete one record; ``Conflict`` while other records still reference it.

        A person's relationships and decision rights are deleted with them. An organization
        or department still referenced (child organizations or departments, people, systems,
        opportunities, decision rights scoped to it) is refused, naming the referrers.
        ``NotFound`` if no such record.
        """
        await self._remove(
            workspace, lambda reader: deletion_plan(reader, workspace, kind, id), actor
        )

    async def link(
        self,
        workspace: str,
        relationship: Relationship | Mapping[str, Any],
        *,
        actor: str = CLI_ACTOR,
    ) -> Relationship:
        """Create a relationship between two existing people, or update the given fields of
        the one with the same key; returns the relationship as stored.

        ``relationship`` is camelCase fields (``type``, ``from``, ``to`` and any of
        ``strength``, ``lastContactOn``, ``dotted``) or a ``Relationship``, whose explicitly
        set fields are the given ones. A field left out keeps its stored value, ``None``
        clears it (``services.writes.link_plan``). Validated like a document of this one
        relationship: both people must exist, it may not close a cycle of solid REPORTS_TO
        lines.
        """
        given = (
            relationship.model_dump(
                mode="json",
                by_alias=True,
                include=relationship.model_fields_set | {"type", "from_id", "to_id"},
            )
            if isinstance(relationship, Relationship)
            else relationship
        )
        written: list[Relationship] = []

        async def prepare(reader: GraphReader) -> Plan:
            plan, tie = await link_plan(reader, workspace, given)
            written[:] = [tie]
            return plan

        await self._commit(workspace, prepare, actor)
        return written[0]

    async def unlink(
        self,
        workspace: str,
        type_: RelationshipType,
        from_id: str,
        to_id: str,
        *,
        actor: str = CLI_ACTOR,
    ) -> None:
        """Remove a relationship; ``NotFound`` if there is none (KNOWS in either order)."""
        key = relationship_key(RelationshipType(type_), from_id, to_id)
        await self._remove(
            workspace, lambda reader: unlink_plan(reader, workspace, key, from_id, to_id), actor
        )

    async def grant(
        self,
        workspace: str,
        right: DecisionRight | Mapping[str, Any],
        *,
        actor: str = CLI_ACTOR,
    ) -> DecisionRight:
        """Create or update a decision right (its person and scope must exist).

        ``right`` is a ``DecisionRight`` or its camelCase fields (parsed here, issues naming
        the fields).
        """
        if not isinstance(right, DecisionRight):
            right = parse_keyed(DecisionRight, right)
        await self._commit(workspace, lambda reader: grant_plan(reader, workspace, right), actor)
        return right

    async def revoke(
        self, workspace: str, right_key: tuple[str, str, str, str], *, actor: str = CLI_ACTOR
    ) -> None:
        """Remove a decision right by (personId, scopeId, area, role); ``NotFound`` if none.

        The area matches in any case, as in the right's identity.
        """
        key = decision_right_key(right_key)
        area = right_key[2]
        await self._remove(
            workspace, lambda reader: revoke_plan(reader, workspace, key, area), actor
        )

    async def pipeline_stages(self, workspace: str) -> list[PipelineStage]:
        """The stage model in use: the workspace's own, else ``DEFAULT_STAGES``."""
        return await self.store.pipeline_stages(workspace) or list(DEFAULT_STAGES)

    async def set_pipeline_stages(
        self,
        workspace: str,
        stages: Sequence[PipelineStage | Mapping[str, Any]],
        *,
        actor: str = CLI_ACTOR,
    ) -> list[PipelineStage]:
        """Replace the workspace's stage model whole; returns the model now in use.

        Validated like a document holding only ``pipelineStages`` (``domain.validation_
        pipeline``): not empty, no name twice, probabilities 0 to 1, and no stage dropped that
        a stored opportunity still names (refused, naming them). Setting the model in use
        changes nothing.
        """
        doc = read_document(
            {
                "format": FORMAT,
                "pipelineStages": [
                    s.to_document() if isinstance(s, PipelineStage) else dict(s) for s in stages
                ],
            }
        )
        await self._write(workspace, doc, no_progress, actor)
        return await self.pipeline_stages(workspace)

    async def _write(
        self,
        workspace: str,
        doc: GraphDocument | ParsedDocument,
        report: ProgressCallback,
        actor: str,
    ) -> ImportSummary:
        """Upsert ``doc`` (planned as a whole document) through the committer."""
        return await self._commit(
            workspace, lambda reader: document_plan(reader, workspace, doc, report), actor, report
        )

    async def _commit(
        self,
        workspace: str,
        prepare: Prepare,
        actor: str,
        report: ProgressCallback = no_progress,
    ) -> ImportSummary:
        """Prepare and apply one write through the committer."""
        plan, version, applied = await self._committer.commit(
            workspace, prepare, report, actor=actor
        )
        return ImportSummary(
            counts=plan.counts, version=version, removed=plan.removed, applied=applied
        )

    async def _remove(self, workspace: str, prepare: Prepare, actor: str) -> None:
        """Commit a removal, prepared in the batch from the start (``services.writes``)."""
        await self._committer.commit(workspace, prepare, no_progress, actor=actor, serial=True)

    def applying(self, workspace: str) -> bool:
        """True while a write of this service to ``workspace`` may be stored but not announced.

        At most one write is in that state at a time (the write lock). A cache comparing its
        version with ``store.version`` may see that write's version one step ahead of what
        listeners were told: this says the step is ours, not another process's.
        """
        return self._committer.applying(workspace)
