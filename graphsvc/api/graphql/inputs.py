"""Write inputs: ``<Kind>CreateInput`` carries a whole record, ``<Kind>UpdateInput`` a patch.

Field names and meanings are those of the graph document (CONTRACT §3). In an update input a
field left out stays as it is and an explicit ``null`` clears it (the service rejects
clearing a required field, naming the record); ``RelationshipInput`` (``link``) is the same
for the fields besides the relationship's key. Ids follow the rule of ``domain.models.Id``
(refused when blank, padded with spaces or holding control characters); names and other
texts are trimmed, and refused when blank.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import strawberry
from pydantic.alias_generators import to_camel

from graphsvc.domain.enums import (
    BuyingRole,
    OpportunityStatus,
    OrganizationKind,
    ParentRelation,
    RelationshipType,
    Seniority,
    Stance,
    SystemStatus,
)

_UNSET: Any = strawberry.UNSET

_IDS = (
    " Ids (this record's and those it names) are refused when blank, begun or ended with "
    "whitespace, or holding control characters; names and other texts are trimmed and "
    "refused when blank."
)
"""The identifier rule of ``domain.models.Id`` and ``Text``, said where a user types them."""


def document_fields(value: object, *, keep_null: bool) -> dict[str, Any]:
    """The given fields of an input as a camelCase record (``UNSET`` fields left out).

    ``keep_null`` keeps explicit nulls (a patch clears those fields); a new record leaves
    them out, so that null means "the default" there.
    """
    data: dict[str, Any] = {}
    for field in dataclasses.fields(value):  # type: ignore[arg-type]
        item = getattr(value, field.name)
        if item is strawberry.UNSET or (item is None and not keep_null):
            continue
        if isinstance(item, list | tuple):
            item = [
                document_fields(entry, keep_null=False)
                if dataclasses.is_dataclass(entry)
                else entry
                for entry in item
            ]
        data[to_camel(field.name)] = item
    return data


# --- organizations ----------------------------------------------------------------------


@strawberry.input(description="A new organization." + _IDS)
class OrganizationCreateInput:
    id: strawberry.ID
    name: str
    kind: OrganizationKind
    industry: str | None = _UNSET
    employees: int | None = _UNSET
    revenue: float | None = _UNSET
    parent_id: strawberry.ID | None = _UNSET
    parent_relation: ParentRelation | None = strawberry.field(
        default=_UNSET, description="Defaults to SUBSIDIARY when parentId is given."
    )
    ownership: float | None = _UNSET


@strawberry.input(description="Changes to an organization: only the given fields change.")
class OrganizationUpdateInput:
    name: str | None = _UNSET
    kind: OrganizationKind | None = _UNSET
    industry: str | None = _UNSET
    employees: int | None = _UNSET
    revenue: float | None = _UNSET
    parent_id: strawberry.ID | None = _UNSET
    parent_relation: ParentRelation | None = _UNSET
    ownership: float | None = _UNSET


# --- departments ------------------------------------------------------------------------


@strawberry.input(description="A new department of an existing organization." + _IDS)
class DepartmentCreateInput:
    id: strawberry.ID
    organization_id: strawberry.ID
    name: str
    function: str | None = _UNSET
    headcount: int | None = _UNSET
    parent_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="The enclosing department, in the same organization."
    )


@strawberry.input(description="Changes to a department: only the given fields change.")
class DepartmentUpdateInput:
    organization_id: strawberry.ID | None = _UNSET
    name: str | None = _UNSET
    function: str | None = _UNSET
    headcount: int | None = _UNSET
    parent_id: strawberry.ID | None = _UNSET


# --- people -----------------------------------------------------------------------------


@strawberry.input(description="A new person at an existing organization." + _IDS)
class PersonCreateInput:
    id: strawberry.ID
    name: str
    organization_id: strawberry.ID
    title: str | None = _UNSET
    department_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="A department of the person's organization."
    )
    seniority: Seniority | None = _UNSET
    stance: Stance | None = strawberry.field(default=_UNSET, description="Defaults to UNKNOWN.")
    reports_to_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="The solid-line manager (a REPORTS_TO relationship)."
    )


@strawberry.input(description="Changes to a person: only the given fields change.")
class PersonUpdateInput:
    name: str | None = _UNSET
    organization_id: strawberry.ID | None = _UNSET
    title: str | None = _UNSET
    department_id: strawberry.ID | None = _UNSET
    seniority: Seniority | None = _UNSET
    stance: Stance | None = _UNSET
    reports_to_id: strawberry.ID | None = strawberry.field(
        default=_UNSET,
        description="A new solid-line manager, replacing the current one; null removes it.",
    )


# --- installed systems ------------------------------------------------------------------


@strawberry.input(description="A new installed system at an existing organization." + _IDS)
class SystemCreateInput:
    id: strawberry.ID
    name: str
    organization_id: strawberry.ID
    category: str
    vendor: str | None = _UNSET
    ours: bool | None = strawberry.field(default=_UNSET, description="Defaults to false.")
    department_ids: list[strawberry.ID] | None = _UNSET
    contract_ends_on: date | None = _UNSET
    annual_value: float | None = _UNSET
    status: SystemStatus | None = strawberry.field(
        default=_UNSET, description="Defaults to ACTIVE."
    )


@strawberry.input(description="Changes to an installed system: only the given fields change.")
class SystemUpdateInput:
    name: str | None = _UNSET
    organization_id: strawberry.ID | None = _UNSET
    category: str | None = _UNSET
    vendor: str | None = _UNSET
    ours: bool | None = _UNSET
    department_ids: list[strawberry.ID] | None = _UNSET
    contract_ends_on: date | None = _UNSET
    annual_value: float | None = _UNSET
    status: SystemStatus | None = _UNSET


# --- opportunities ----------------------------------------------------------------------

_PIPELINE = (
    " closeDate, ownerId (one of our SELF people), probability (0 to 1), stageHistory (stages "
    "of the stage model, oldest first) and criteria are the pipeline fields (see Opportunity)."
)


@strawberry.input(description="A stage an opportunity entered, and the day it did.")
class StageEntryInput:
    stage: str = strawberry.field(description="A stage of the workspace's stage model.")
    entered_on: date = strawberry.field(
        description="The day the deal entered the stage; never before the previous entry's."
    )


@strawberry.input(description="An exit criterion of the opportunity's current stage.")
class CriterionInput:
    name: str = strawberry.field(description="What must be true to leave the stage.")
    met: bool = strawberry.field(default=False, description="Defaults to false.")


@strawberry.input(description="A new opportunity at an existing organization." + _PIPELINE + _IDS)
class OpportunityCreateInput:
    id: strawberry.ID
    name: str
    organization_id: strawberry.ID
    category: str
    department_id: strawberry.ID | None = _UNSET
    stage: str | None = _UNSET
    amount: float | None = _UNSET
    status: OpportunityStatus | None = strawberry.field(
        default=_UNSET, description="Defaults to OPEN."
    )
    close_date: date | None = strawberry.field(
        default=_UNSET, description="The expected close day."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="The owner: a person of our own (SELF) organization."
    )
    probability: float | None = strawberry.field(
        default=_UNSET, description="0 to 1; left out: the stage's default applies."
    )
    stage_history: list[StageEntryInput] | None = strawberry.field(
        default=_UNSET,
        description="Stages entered, oldest first. The stage, if of the model and not the "
        "history's last, is appended as entered today (UTC); left out: just that entry.",
    )
    criteria: list[CriterionInput] | None = strawberry.field(
        default=_UNSET, description="The exit criteria of the stage."
    )


@strawberry.input(
    description="Changes to an opportunity: only the given fields change." + _PIPELINE
)
class OpportunityUpdateInput:
    name: str | None = _UNSET
    organization_id: strawberry.ID | None = _UNSET
    category: str | None = _UNSET
    department_id: strawberry.ID | None = _UNSET
    stage: str | None = strawberry.field(
        default=_UNSET,
        description="A new stage of the model is appended to stageHistory, dated today (UTC).",
    )
    amount: float | None = _UNSET
    status: OpportunityStatus | None = _UNSET
    close_date: date | None = strawberry.field(
        default=_UNSET, description="The expected close day (null clears it)."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=_UNSET,
        description="A person of our own (SELF) organization; checked when set or changed.",
    )
    probability: float | None = strawberry.field(
        default=_UNSET, description="0 to 1 (null: the stage's default applies)."
    )
    stage_history: list[StageEntryInput] | None = strawberry.field(
        default=_UNSET,
        description="Replaces the history (left out: kept; null or []: emptied); the stage is "
        "then appended when the history does not end with it.",
    )
    criteria: list[CriterionInput] | None = strawberry.field(
        default=_UNSET, description="Replaces the criteria (null: none)."
    )


# --- links ------------------------------------------------------------------------------


@strawberry.input(
    description="A relationship to create, or the changes to the one with the same (type, "
    "from, to) (for KNOWS in either direction). A field left out keeps its stored value "
    "(its default for a new relationship); an explicit null clears it. So setting a strength "
    "keeps the last contact date, and logging a contact keeps the strength." + _IDS
)
class RelationshipInput:
    type: RelationshipType
    from_: strawberry.ID = strawberry.field(name="from")
    to: strawberry.ID
    strength: float | None = strawberry.field(
        default=_UNSET,
        description="In (0, 1]. Left out: unchanged. Null: none (the type's default applies).",
    )
    last_contact_on: date | None = strawberry.field(
        default=_UNSET, description="The date of the last contact. Left out: unchanged."
    )
    dotted: bool | None = strawberry.field(
        default=_UNSET,
        description="Only for REPORTS_TO: a dotted line. Left out: unchanged (false for a new "
        "relationship); null: false.",
    )

    def given(self) -> dict[str, Any]:
        """The relationship's key and the fields given, camelCase (null kept: it clears)."""
        fields = document_fields(self, keep_null=True)
        fields["from"] = fields.pop("from_")
        return fields


@strawberry.input(
    description="A decision right to grant, or to update (budgetLimit) when the same person, "
    "scope, area and role exists already."
)
class DecisionRightInput:
    person_id: strawberry.ID
    scope_id: strawberry.ID = strawberry.field(description="An organization or department id.")
    area: str
    role: BuyingRole
    budget_limit: float | None = None
