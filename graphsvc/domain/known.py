"""What the store already holds that a graph document touches: the validator's view of the store.

``domain.validation`` is pure, so the write path first gathers these facts from the store
(``services.writes.stored_state``) in a few batched lookups and hands them over. Only the facts the
rules need are kept, which keeps a million-record import's memory in check:

- organizations: kind and parent (SELF rule, parent cycles through stored parents),
- departments: organization and parent (same-organization rules, parent cycles),
- people: organization (a department of the person's organization),
- the ids of the stored SELF organizations,
- the stored solid REPORTS_TO lines reachable upwards from the document's people (to find a
  cycle that a document line closes through stored lines),
- stored records that point at a department the document moves to another organization,
- the workspace's stage model, and, when the document replaces it, the stages each stored
  opportunity names (its ``stage`` and ``stageHistory``).

Every map must hold at least the records the document references and their stored
ancestors; holding more is harmless. ``people`` may leave out the document's own people: the
rules look a person up in the document first (a re-import of a million people would
otherwise hold a million entries that no rule reads).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graphsvc.domain.enums import EntityKind, OrganizationKind
from graphsvc.domain.pipeline import DEFAULT_STAGES, PipelineStage

__all__ = ["KnownDepartment", "KnownGraph", "KnownOrganization", "StoredDependent"]


@dataclass(frozen=True, slots=True)
class KnownOrganization:
    """A stored organization, as far as the rules care."""

    kind: OrganizationKind
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class KnownDepartment:
    """A stored department, as far as the rules care."""

    organization_id: str
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class StoredDependent:
    """A stored record that points at a department (as its department or parent department).

    ``kind`` is PERSON, DEPARTMENT (a child department) or OPPORTUNITY; ``organization_id``
    is the record's own organization, which must stay the department's organization.
    """

    kind: EntityKind
    id: str
    organization_id: str
    department_id: str


@dataclass(frozen=True)
class KnownGraph:
    """The stored facts a document is validated against (empty: an empty workspace)."""

    organizations: Mapping[str, KnownOrganization] = field(default_factory=dict)
    departments: Mapping[str, KnownDepartment] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)
    """Person id → the person's organization id."""
    self_organizations: frozenset[str] = frozenset()
    """Ids of the stored organizations of kind SELF (at most one in a valid store)."""
    solid_managers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Person id → the targets of the person's stored solid REPORTS_TO lines."""
    department_dependents: tuple[StoredDependent, ...] = ()
    stage_model: tuple[PipelineStage, ...] = DEFAULT_STAGES
    """The stage model in use (the workspace's own, else the default)."""
    stored_owners: Mapping[str, str] = field(default_factory=dict)
    """Opportunity id → its stored ``ownerId``, for the document's opportunities that have
    one: an owner is checked when a write sets or changes it, not on every later write (our
    person may have moved on since; the deal stays writable)."""
    stage_users: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Stored opportunity id → the stages it names; loaded only when the document replaces
    the stage model (every stored opportunity then), else empty."""
