"""Pydantic records of the stakeholder graph, exactly the fields of CONTRACT §3.

Field names are snake_case in Python and camelCase on the wire (aliases); unknown fields
are an error. These models check each record on its own (types, enums, ranges); rules that
span records (references, cycles, duplicates) live in ``domain.validation``.

Stored records carry no ``reportsToId``: a person's solid manager is a REPORTS_TO
relationship, and ``reportsToId`` in a document (``PersonEntry``) is shorthand for it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails, PydanticCustomError

from graphsvc.domain.compact import with_shared_fields_set
from graphsvc.domain.enums import (
    BuyingRole,
    EntityKind,
    OpportunityStatus,
    OrganizationKind,
    ParentRelation,
    RelationshipType,
    Seniority,
    Stance,
    SystemStatus,
)

CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc): newline, tab, NUL, DEL…"""

_ID_PATTERN = r"^[^\s\x00-\x1f\x7f-\x9f](?:[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f])?$"
"""Not blank, no whitespace at either end, no control character. Checked by pydantic's own
(compiled) regex, since ids reach the millions; ``id_problem`` says which part failed."""


def id_problem(value: str) -> str:
    """Why ``value`` is not an id, in words that follow the field name."""
    if not value.strip():
        return "must not be blank"
    if CONTROL_CHARACTER.search(value):
        return "must not contain control characters"
    return "must not begin or end with spaces"


Id = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=_ID_PATTERN)]
"""An identifier, and every reference to one (``organizationId``, ``from``, ``scopeId``…): one to
256 characters, not blank, without leading or trailing whitespace or control characters
(newline, tab…). Such ids are refused, never trimmed: an id is a key that other records and
other systems refer to, and quietly storing ``"p-1"`` for ``" p-1"`` would make them
disagree."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
"""A name or other text (``name``, ``title``, ``category``, ``area``…): surrounding whitespace
is trimmed, and a text left blank is refused."""
Strength = Annotated[float, Field(gt=0.0, le=1.0)]
Fraction = Annotated[float, Field(gt=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]

DEFAULT_STRENGTH: dict[tuple[RelationshipType, bool], float] = {
    (RelationshipType.KNOWS, False): 0.5,
    (RelationshipType.INFLUENCES, False): 0.5,
    (RelationshipType.REPORTS_TO, False): 0.7,
    (RelationshipType.REPORTS_TO, True): 0.5,
}
"""CONTRACT §5: the strength of a hop whose relationship has none, by (type, dotted)."""


def field_error(field: str, message: str, value: Any) -> ValidationError:
    """A rule spanning fields of one record, reported at ``field`` (its wire name).

    A plain ``ValueError`` in a model validator has no location; this one names the field, so
    that the issue's path says where to look (``input.ownership``, ``people[3].stance``).
    """
    error = PydanticCustomError("record_rule", message)
    return ValidationError.from_exception_data(
        "record", [InitErrorDetails(type=error, loc=(field,), input=value)]
    )


class Record(BaseModel):
    """Base of every record: camelCase aliases, no unknown fields, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
    )

    def to_document(self) -> dict[str, Any]:
        """The record as it appears in a graph document (camelCase, nulls omitted)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Organization(Record):
    """A company: ours (SELF), an account, a partner, a competitor; possibly in a group."""

    id: Id
    name: Text
    kind: OrganizationKind
    industry: Text | None = None
    employees: Annotated[int, Field(ge=0)] | None = None
    revenue: NonNegative | None = None
    parent_id: Id | None = None
    parent_relation: ParentRelation | None = None
    ownership: Fraction | None = None

    @model_validator(mode="after")
    def _relation_needs_parent(self) -> Organization:
        if self.parent_id is None and (
            self.parent_relation is not None or self.ownership is not None
        ):
            field = "parentRelation" if self.parent_relation is not None else "ownership"
            raise field_error(field, "parentRelation and ownership need a parentId", None)
        if self.parent_id is not None and self.parent_relation is None:
            # CONTRACT §3: parentRelation defaults to SUBSIDIARY; store it explicitly so
            # that export shows what the analytics assume.
            object.__setattr__(self, "parent_relation", ParentRelation.SUBSIDIARY)
        return self


class Department(Record):
    """A unit of an organization; departments nest through ``parent_id``."""

    id: Id
    organization_id: Id
    name: Text
    function: Text | None = None
    headcount: Annotated[int, Field(ge=0)] | None = None
    parent_id: Id | None = None


class Person(Record):
    """Someone at an organization (ours or an account), with formal level and stance."""

    id: Id
    name: Text
    organization_id: Id
    title: Text | None = None
    department_id: Id | None = None
    seniority: Seniority | None = None
    stance: Stance = Stance.UNKNOWN

    def to_document(self) -> dict[str, Any]:
        """``Record.to_document`` written out field by field, in the model's order: an
        import's log asks it of 100k people, and pydantic's ``model_dump`` (with a
        descriptor call per enum for its value) took 1.3 µs a person where this takes 0.4.
        ``tests/domain/test_documents.py`` holds it equal to ``model_dump``'s and fails
        when a field is added to the model and not here."""
        values = self.__dict__
        doc: dict[str, Any] = {
            "id": values["id"],
            "name": values["name"],
            "organizationId": values["organization_id"],
        }
        if (title := values["title"]) is not None:
            doc["title"] = title
        if (department_id := values["department_id"]) is not None:
            doc["departmentId"] = department_id
        if (seniority := values["seniority"]) is not None:
            doc["seniority"] = seniority._value_
        doc["stance"] = values["stance"]._value_
        return doc


class PersonEntry(Person):
    """A person as written in a graph document: ``reportsToId`` is a solid REPORTS_TO line.

    When present it *replaces* the person's solid REPORTS_TO lines (a person moved to a new
    manager keeps one manager); when absent, the existing lines stay as they are.
    """

    reports_to_id: Id | None = None

    def to_document(self) -> dict[str, Any]:
        """Pydantic's own (``Record.to_document``): with ``reportsToId``."""
        return Record.to_document(self)


class InstalledSystem(Record):
    """A product running in departments of an organization: ours or a competitor's."""

    id: Id
    name: Text
    organization_id: Id
    category: Text
    vendor: Text | None = None
    ours: bool = False
    department_ids: tuple[Id, ...] = ()
    contract_ends_on: date | None = None
    annual_value: NonNegative | None = None
    status: SystemStatus = SystemStatus.ACTIVE


Probability = Annotated[float, Field(ge=0.0, le=1.0)]
"""A probability: 0 to 1, both inclusive."""


class PipelineStage(Record):
    """One stage of a workspace's stage model: its name and the default probability of a
    deal in it (CONTRACT §7; the default model is ``domain.pipeline.DEFAULT_STAGES``)."""

    name: Text
    probability: Probability


class StageEntry(Record):
    """One step of an opportunity's ``stageHistory``: the stage and the day it was entered."""

    stage: Text
    entered_on: date


class Criterion(Record):
    """An exit criterion of an opportunity's current stage, and whether it is met."""

    name: Text
    met: bool = False


class Opportunity(Record):
    """A deal in our pipeline for an organization (and usually one department).

    ``stage`` is the current stage, ``stage_history`` the stages entered, oldest first (the
    write path appends the current stage when a write moves the deal, see
    ``services.writes.stamp``); ``owner_id`` is one of our own (SELF) people; ``probability``
    overrides the stage's default; ``criteria`` are the current stage's exit criteria.
    """

    id: Id
    name: Text
    organization_id: Id
    category: Text
    department_id: Id | None = None
    stage: Text | None = None
    amount: NonNegative | None = None
    status: OpportunityStatus = OpportunityStatus.OPEN
    close_date: date | None = None
    owner_id: Id | None = None
    probability: Probability | None = None
    stage_history: tuple[StageEntry, ...] = ()
    criteria: tuple[Criterion, ...] = ()

    @property
    def criteria_met(self) -> float | None:
        """The share of the exit criteria met; None without criteria."""
        if not self.criteria:
            return None
        return sum(1 for c in self.criteria if c.met) / len(self.criteria)

    def to_document(self) -> dict[str, Any]:
        """As in a graph document; empty ``stageHistory`` and ``criteria`` left out."""
        data = super().to_document()
        for name in ("stageHistory", "criteria"):
            if not data[name]:
                data.pop(name)
        return data


RelationshipKey = tuple[RelationshipType, str, str]
"""(type, from, to); for KNOWS the pair is sorted, since KNOWS is mutual."""


class Relationship(Record):
    """KNOWS (mutual), INFLUENCES (informal, directed) or REPORTS_TO (formal, directed)."""

    type: RelationshipType
    from_id: Id = Field(alias="from")
    to_id: Id = Field(alias="to")
    strength: Strength | None = None
    last_contact_on: date | None = None
    dotted: bool = False

    @model_validator(mode="after")
    def _check_shape(self) -> Relationship:
        if self.from_id == self.to_id:
            raise field_error("to", "a relationship needs two different people", self.to_id)
        if self.dotted and self.type is not RelationshipType.REPORTS_TO:
            raise field_error("dotted", "dotted applies only to REPORTS_TO", self.dotted)
        return self

    @property
    def key(self) -> RelationshipKey:
        """Identity within a workspace (CONTRACT §3): ``relationship_key`` written out, since
        an import of 100k people asks for a million keys."""
        type_, from_id, to_id = self.type, self.from_id, self.to_id
        if type_ is RelationshipType.KNOWS and to_id < from_id:
            return (type_, to_id, from_id)
        return (type_, from_id, to_id)

    @property
    def effective_strength(self) -> float:
        """The strength, or the contract's default for this type when none is recorded."""
        if self.strength is not None:
            return self.strength
        return DEFAULT_STRENGTH[(self.type, self.dotted)]

    def to_document(self) -> dict[str, Any]:
        """As in a graph document; ``dotted`` only when true, to keep documents short.

        Written out field by field, in the model's order, as ``Person.to_document`` and for
        the same reason (an import's log asks it of 215k relationships at 100k people;
        ``model_dump`` and the ``pop`` took 1.7 µs each, this 0.4); the same test holds it
        equal to ``model_dump``'s."""
        values = self.__dict__
        doc: dict[str, Any] = {
            "type": values["type"]._value_,
            "from": values["from_id"],
            "to": values["to_id"],
        }
        if (strength := values["strength"]) is not None:
            doc["strength"] = strength
        if (last_contact_on := values["last_contact_on"]) is not None:
            doc["lastContactOn"] = last_contact_on.isoformat()
        if values["dotted"]:
            doc["dotted"] = True
        return doc


def relationship_key(type_: RelationshipType, from_id: str, to_id: str) -> RelationshipKey:
    """The identity of a relationship: KNOWS is unordered, the others are directed."""
    if type_ is RelationshipType.KNOWS and to_id < from_id:
        return (type_, to_id, from_id)
    return (type_, from_id, to_id)


DecisionRightKey = tuple[str, str, str, BuyingRole]
"""(personId, scopeId, casefolded area, role)."""


class DecisionRight(Record):
    """A person's buying role for an area, scoped to an organization or a department."""

    person_id: Id
    scope_id: Id
    area: Text
    role: BuyingRole
    budget_limit: NonNegative | None = None

    @property
    def key(self) -> DecisionRightKey:
        """Identity: the same person, scope, area (any case) and role is one right."""
        return (self.person_id, self.scope_id, self.area.casefold(), self.role)


Entity = Organization | Department | Person | InstalledSystem | Opportunity

ENTITY_MODELS: dict[EntityKind, type[Entity]] = {
    EntityKind.ORGANIZATION: Organization,
    EntityKind.DEPARTMENT: Department,
    EntityKind.PERSON: Person,
    EntityKind.SYSTEM: InstalledSystem,
    EntityKind.OPPORTUNITY: Opportunity,
}
"""The model of each id-keyed kind."""

FORMAT: Literal["graphsvc/v1"] = "graphsvc/v1"

DOCUMENT_LISTS: tuple[str, ...] = (
    "organizations",
    "departments",
    "people",
    "systems",
    "relationships",
    "decisionRights",
    "opportunities",
)
"""The lists of a graph document by their wire names, in the order of CONTRACT §3 (and of
every document graphsvc writes)."""


Shared = AfterValidator(with_shared_fields_set)
"""A document's records hold one fields set per distinct set of fields (``domain.compact``:
a set of its own per record was ~40 % of what a person's record takes)."""


class GraphDocument(Record):
    """The import/export format (CONTRACT §3). Lists default to empty."""

    format: Literal["graphsvc/v1"] = FORMAT
    organizations: list[Annotated[Organization, Shared]] = []
    departments: list[Annotated[Department, Shared]] = []
    people: list[Annotated[PersonEntry, Shared]] = []
    systems: list[Annotated[InstalledSystem, Shared]] = []
    relationships: list[Annotated[Relationship, Shared]] = []
    decision_rights: list[Annotated[DecisionRight, Shared]] = []
    opportunities: list[Annotated[Opportunity, Shared]] = []
    pipeline_stages: list[PipelineStage] | None = None
    """The workspace's stage model, replaced whole when given (CONTRACT §7)."""

    def record_count(self) -> int:
        """How many records the document's lists hold in all."""
        return (
            len(self.organizations)
            + len(self.departments)
            + len(self.people)
            + len(self.systems)
            + len(self.relationships)
            + len(self.decision_rights)
            + len(self.opportunities)
        )
