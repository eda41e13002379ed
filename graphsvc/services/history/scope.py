"""Which logged changes lie in an organization scope (CONTRACT §6).

A change belongs to the scope if its record did, before or after the change:

- an organization: it is one of the scope's organizations, or (with subsidiaries) its
  parent was one before or after the change (a subsidiary deleted or moved out);
- a department, person, system or opportunity: its ``organizationId`` before or after;
- a relationship: either person belongs to the scope;
- a decision right: its holder belongs, or its scope is one of the scope's organizations
  or a department of one;
- the stage model: it is the workspace's, not an account's, and lies in no organization
  scope.

People and departments are placed by what the changes being filtered say of them (so one
deleted in the same window still counts) and otherwise by what the store holds now, read in
one batched lookup per kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change, ChangeKind
from graphsvc.services.listing import ListingService
from graphsvc.store.base import GraphReader

__all__ = ["ChangeScope", "change_scope"]

_PLACED = {ChangeKind.PERSON: EntityKind.PERSON, ChangeKind.DEPARTMENT: EntityKind.DEPARTMENT}


def _docs(change: Change) -> Iterable[dict[str, Any]]:
    return [doc for doc in (change.before, change.after) if doc is not None]


def _ends(change: Change) -> set[str]:
    """The people at either end of a relationship change."""
    return {person for doc in _docs(change) for person in (doc["from"], doc["to"])}


class ChangeScope:
    """The organizations of one scope, and the test of a change against it."""

    def __init__(
        self,
        reader: GraphReader,
        workspace: str,
        organizations: Iterable[str],
        *,
        include_subsidiaries: bool,
    ) -> None:
        self.reader = reader
        self.workspace = workspace
        self.organizations = frozenset(organizations)
        self.include_subsidiaries = include_subsidiaries

    async def select(self, changes: Sequence[Change]) -> list[Change]:
        """The changes of ``changes`` that lie in the scope, in their order."""
        where = await self._placements(changes)
        return [change for change in changes if self._contains(change, where)]

    async def _placements(self, changes: Sequence[Change]) -> dict[EntityKind, dict[str, set[str]]]:
        """Each person and department the changes refer to: its organizations (past, present)."""
        where: dict[EntityKind, dict[str, set[str]]] = {kind: {} for kind in _PLACED.values()}
        wanted: dict[EntityKind, set[str]] = {kind: set() for kind in _PLACED.values()}
        for change in changes:
            kind = _PLACED.get(change.kind)
            if kind is not None:
                orgs = where[kind].setdefault(change.key, set())
                orgs.update(doc["organizationId"] for doc in _docs(change))
            elif change.kind is ChangeKind.RELATIONSHIP:
                wanted[EntityKind.PERSON].update(_ends(change))
            elif change.kind is ChangeKind.DECISION_RIGHT:
                for doc in _docs(change):
                    wanted[EntityKind.PERSON].add(doc["personId"])
                    if doc["scopeId"] not in self.organizations:
                        wanted[EntityKind.DEPARTMENT].add(doc["scopeId"])
        for kind, ids in wanted.items():
            missing = sorted(ids - where[kind].keys())
            if missing:
                found = await self.reader.get(self.workspace, kind, missing)
                for id_, record in found.items():
                    where[kind][id_] = {getattr(record, "organization_id", "")}
        return where

    def _contains(self, change: Change, where: dict[EntityKind, dict[str, set[str]]]) -> bool:
        orgs = self.organizations
        kind = change.kind
        if kind is ChangeKind.PIPELINE_STAGES:
            return False
        if kind is ChangeKind.ORGANIZATION:
            return change.key in orgs or (
                self.include_subsidiaries
                and any(doc.get("parentId") in orgs for doc in _docs(change))
            )
        if kind is ChangeKind.RELATIONSHIP:
            people = where[EntityKind.PERSON]
            return any(people.get(person, set()) & orgs for person in _ends(change))
        if kind is ChangeKind.DECISION_RIGHT:
            people, departments = where[EntityKind.PERSON], where[EntityKind.DEPARTMENT]
            return any(
                doc["scopeId"] in orgs
                or bool(people.get(doc["personId"], set()) & orgs)
                or bool(departments.get(doc["scopeId"], set()) & orgs)
                for doc in _docs(change)
            )
        return any(doc.get("organizationId") in orgs for doc in _docs(change))


async def change_scope(
    listing: ListingService,
    reader: GraphReader,
    workspace: str,
    organization_id: str,
    *,
    include_subsidiaries: bool,
) -> ChangeScope:
    """The scope of ``organization_id`` as the lists and analytics scope it (``NotFound`` for
    an unknown organization), testing changes against ``reader``'s records."""
    orgs = await listing.organization_scope(
        workspace, organization_id, include_subsidiaries=include_subsidiaries
    )
    return ChangeScope(reader, workspace, orgs, include_subsidiaries=include_subsidiaries)
