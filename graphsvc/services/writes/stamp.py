"""``stageHistory`` kept by the write path (CONTRACT §7): a deal's move is recorded.

When a write gives an opportunity a stage of the stage model that its history does not end
with, an entry ``{stage, enteredOn}`` is appended, dated the day of the write (UTC). The
history it extends is the one the write gives, else the stored one: a document or update that
says nothing about ``stageHistory`` keeps what is stored, so a stage change never loses the
past. A stage outside the model (a free-form stage of older data) is not recorded: the
history names model stages only. The model is the document's ``pipelineStages`` when it
gives one, else the workspace's.

Writing the same thing twice changes nothing, also on a later day: when the stored record is
already in that stage and its history ends with the entry for it, that entry's date is kept.
An entry is never dated before the last one (a history given with a future date).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import GraphDocument, Opportunity, StageEntry
from graphsvc.services.writes.stored_state import StoredState

__all__ = ["stamp_histories", "today"]


def today() -> date:
    """The day of a write, in UTC (one day for every server, whatever its time zone)."""
    return datetime.now(UTC).date()


def stamp_histories(doc: GraphDocument, stored: StoredState, day: date) -> GraphDocument:
    """``doc`` with every opportunity's history extended by its current stage where due."""
    if not doc.opportunities:
        return doc
    model = stored.known.stage_model if doc.pipeline_stages is None else doc.pipeline_stages
    names = {stage.name for stage in model}
    known = stored.records.get(EntityKind.OPPORTUNITY, {})
    stamped: list[Opportunity] = []
    changed = False
    for record in doc.opportunities:
        before = known.get(record.id)
        kept = before if isinstance(before, Opportunity) else None
        new = _stamped(record, kept, names, day)
        changed = changed or new is not record
        stamped.append(new)
    return doc.model_copy(update={"opportunities": stamped}) if changed else doc


def _stamped(
    record: Opportunity, stored: Opportunity | None, names: set[str], day: date
) -> Opportunity:
    given = "stage_history" in record.model_fields_set
    history = record.stage_history if given or stored is None else stored.stage_history
    stage = record.stage
    if stage is not None and stage in names and (not history or history[-1].stage != stage):
        if (
            stored is not None
            and stored.stage == stage
            and stored.stage_history
            and stored.stage_history[-1].stage == stage
        ):
            day = stored.stage_history[-1].entered_on
        if history and history[-1].entered_on > day:
            day = history[-1].entered_on
        history = (*history, StageEntry(stage=stage, entered_on=day))
    if history == record.stage_history:
        return record
    return record.model_copy(update={"stage_history": history})
