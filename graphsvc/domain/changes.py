"""A validated write as one value: what the services hand a store to apply atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change
from graphsvc.domain.models import (
    DecisionRight,
    DecisionRightKey,
    Entity,
    Relationship,
    RelationshipKey,
)
from graphsvc.domain.pipeline import PipelineStage


@dataclass
class ChangeSet:
    """A validated write, applied by the store in one transaction: all of it or none.

    Upserts replace the whole stored record with the same id (or key). Deletes of ids that do
    not exist are ignored. Deletes are applied before upserts. The store does not cascade:
    services put every dependent deletion into the change set themselves.

    ``log`` holds one ``Change`` per record written or deleted; the store appends them to
    the workspace's change log in the same transaction, numbering them with the new version
    and their index in the list (a lazy sequence for large writes: the store may iterate it
    more than once). ``pipeline_stages``, when set, replaces the workspace's stage model.
    """

    upserts: dict[EntityKind, list[Entity]] = field(default_factory=dict)
    relationships: list[Relationship] = field(default_factory=list)
    decision_rights: list[DecisionRight] = field(default_factory=list)
    deletes: dict[EntityKind, list[str]] = field(default_factory=dict)
    relationship_deletes: list[RelationshipKey] = field(default_factory=list)
    decision_right_deletes: list[DecisionRightKey] = field(default_factory=list)
    pipeline_stages: list[PipelineStage] | None = None
    log: Sequence[Change] = field(default_factory=list)

    def is_empty(self) -> bool:
        """True when applying it would change nothing."""
        return not (
            any(self.upserts.values())
            or self.relationships
            or self.decision_rights
            or any(self.deletes.values())
            or self.relationship_deletes
            or self.decision_right_deletes
            or self.pipeline_stages is not None
        )

    def size(self) -> int:
        """How many records it writes or deletes (for progress and batching)."""
        return (
            sum(len(v) for v in self.upserts.values())
            + len(self.relationships)
            + len(self.decision_rights)
            + sum(len(v) for v in self.deletes.values())
            + len(self.relationship_deletes)
            + len(self.decision_right_deletes)
            + (self.pipeline_stages is not None)
        )
