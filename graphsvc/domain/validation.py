"""The rules of CONTRACT §3 that span records, checked on a document plus what the store holds.

``validate_document(doc, known)`` is pure and total: for any ``GraphDocument`` it returns the
list of ``Issue`` (empty when the document may be applied) and never raises. Every write of
``GraphService``, from an import to a one-field update, is validated here and nowhere else.

The document is an upsert: a record in the document replaces the stored record with the same
id, so every rule reads "the document's version if the document has the record, else the
stored one". The rules:

- at most one SELF organization per workspace (document and store together);
- every reference resolves, in the document or the store; a decision right's scope is an
  organization or a department, and an id naming both is refused as ambiguous;
- a department's parent, a person's department and an opportunity's department belong to
  the record's own organization (also for stored records under a department the document
  moves to another organization);
- no cycles in organization parents, department parents or solid REPORTS_TO lines, also
  through stored records (dotted lines may form cycles);
- no id twice within one kind, no relationship twice (type, from, to; KNOWS unordered, a
  ``reportsToId`` counts as a solid REPORTS_TO line), no decision right twice (person,
  scope, area in any case, role);
- the pipeline rules (an owner of ours, stage histories of the stage model and oldest first,
  a sound stage model): ``domain.validation_pipeline``.

The cost is linear in the size of the document and of the stored facts given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from graphsvc.domain.cycles import Edge, chains_acyclic, cycle_text, find_cycles
from graphsvc.domain.enums import EntityKind, OrganizationKind, RelationshipType
from graphsvc.domain.known import KnownGraph
from graphsvc.domain.labels import (
    KIND_NOUN,
    bounded_list,
    decision_right_label,
    relationship_label,
)
from graphsvc.domain.models import Department, GraphDocument, Organization, PersonEntry
from graphsvc.domain.validation_identity import duplicate_ids, duplicate_keys
from graphsvc.domain.validation_pipeline import pipeline_issues
from graphsvc.errors import Issue

__all__ = ["KnownGraph", "validate_document"]


def validate_document(
    doc: GraphDocument, known: KnownGraph | None = None, unparsed: frozenset[str] = frozenset()
) -> list[Issue]:
    """Every violation of CONTRACT §3 in ``doc`` applied over ``known`` (default: empty store).

    Issues come in document order within each rule; each names its path and record.
    ``unparsed`` are ids of records of the document that were refused on their own (and are
    reported already): a reference to one is not reported again as naming nothing.
    """
    return _Rules(doc, known or KnownGraph(), unparsed).check()


class _Rules:
    """One validation run: the document's indexes and the combined (document-over-store) view."""

    def __init__(self, doc: GraphDocument, known: KnownGraph, unparsed: frozenset[str]) -> None:
        self.doc = doc
        self.known = known
        self.unparsed = unparsed
        self.issues: list[Issue] = []
        # The first occurrence of an id wins; later ones are reported as duplicates.
        self.orgs: dict[str, Organization] = {}
        for o in doc.organizations:
            self.orgs.setdefault(o.id, o)
        self.depts: dict[str, Department] = {}
        for d in doc.departments:
            self.depts.setdefault(d.id, d)
        self.people: dict[str, PersonEntry] = {}
        for p in doc.people:
            self.people.setdefault(p.id, p)
        self.opportunity_ids = {o.id for o in doc.opportunities}

    def check(self) -> list[Issue]:
        self.issues.extend(duplicate_ids(self.doc))
        self.issues.extend(duplicate_keys(self.doc))
        self._self_organization()
        self._organizations()
        self._departments()
        self._people()
        self._systems()
        self._opportunities()
        self.issues.extend(
            pipeline_issues(self.doc, self.known, self.orgs, self.people, self.unparsed)
        )
        self._relationships()
        self._decision_rights()
        self._moved_departments()
        self._organization_cycles()
        self._department_cycles()
        self._reporting_cycles()
        return self.issues

    # --- the combined view ----------------------------------------------------------------

    def _org_exists(self, org_id: str) -> bool:
        return org_id in self.orgs or org_id in self.known.organizations

    def _dept_org(self, dept_id: str) -> str | None:
        """The department's organization, or None when no such department exists."""
        doc_dept = self.depts.get(dept_id)
        if doc_dept is not None:
            return doc_dept.organization_id
        stored = self.known.departments.get(dept_id)
        return stored.organization_id if stored is not None else None

    def _person_exists(self, person_id: str) -> bool:
        return person_id in self.people or person_id in self.known.people

    def _add(self, path: str, record: str, message: str) -> None:
        self.issues.append(Issue(path, record, message))

    def _missing(self, path: str, record: str, field: str, noun: str, ref: str) -> None:
        if ref in self.unparsed:
            return
        self._add(path, record, f"{field} {ref!r} names no {noun} in the document or the workspace")

    def _same_org(
        self, path: str, record: str, dept_id: str, org_id: str, what: str, whose: str
    ) -> None:
        """Issue unless department ``dept_id`` exists and belongs to ``org_id``."""
        dept_org = self._dept_org(dept_id)
        if dept_org is None:
            self._missing(path, record, path.rsplit(".", 1)[-1], "department", dept_id)
        elif dept_org != org_id:
            self._add(
                path,
                record,
                f"{what} {dept_id!r} belongs to organization {dept_org!r}, "
                f"not to {whose} organization {org_id!r}",
            )

    # --- per-record rules -----------------------------------------------------------------

    def _self_organization(self) -> None:
        doc_self = [
            (i, o) for i, o in enumerate(self.doc.organizations) if o.kind is OrganizationKind.SELF
        ]
        # Stored SELF organizations the document does not turn into another kind stay SELF.
        stored_self = sorted(s for s in self.known.self_organizations if s not in self.orgs)
        holders = stored_self + [o.id for _, o in doc_self]
        reported: set[str] = set()
        for i, o in doc_self:
            first = holders[0]
            if o.id != first and o.id not in reported:
                reported.add(o.id)
                where = "in the workspace" if first in stored_self else "in the document"
                self._add(
                    f"organizations[{i}].kind",
                    o.id,
                    f"a workspace has at most one SELF organization, and {first!r} {where} "
                    "is SELF already",
                )

    def _organizations(self) -> None:
        for i, o in enumerate(self.doc.organizations):
            if o.parent_id is not None and not self._org_exists(o.parent_id):
                self._missing(
                    f"organizations[{i}].parentId", o.id, "parentId", "organization", o.parent_id
                )

    def _departments(self) -> None:
        for i, d in enumerate(self.doc.departments):
            path = f"departments[{i}]"
            if not self._org_exists(d.organization_id):
                self._missing(
                    f"{path}.organizationId",
                    d.id,
                    "organizationId",
                    "organization",
                    d.organization_id,
                )
            if d.parent_id is not None:
                self._same_org(
                    f"{path}.parentId",
                    d.id,
                    d.parent_id,
                    d.organization_id,
                    "parent department",
                    "the department's",
                )

    def _people(self) -> None:
        for i, p in enumerate(self.doc.people):
            path = f"people[{i}]"
            if not self._org_exists(p.organization_id):
                self._missing(
                    f"{path}.organizationId",
                    p.id,
                    "organizationId",
                    "organization",
                    p.organization_id,
                )
            if p.department_id is not None:
                self._same_org(
                    f"{path}.departmentId",
                    p.id,
                    p.department_id,
                    p.organization_id,
                    "department",
                    "the person's",
                )
            if p.reports_to_id is not None and not self._person_exists(p.reports_to_id):
                self._missing(f"{path}.reportsToId", p.id, "reportsToId", "person", p.reports_to_id)

    def _systems(self) -> None:
        for i, s in enumerate(self.doc.systems):
            path = f"systems[{i}]"
            if not self._org_exists(s.organization_id):
                self._missing(
                    f"{path}.organizationId",
                    s.id,
                    "organizationId",
                    "organization",
                    s.organization_id,
                )
            for j, dept_id in enumerate(s.department_ids):
                if self._dept_org(dept_id) is None:
                    self._missing(
                        f"{path}.departmentIds[{j}]", s.id, "departmentIds", "department", dept_id
                    )

    def _opportunities(self) -> None:
        for i, o in enumerate(self.doc.opportunities):
            path = f"opportunities[{i}]"
            if not self._org_exists(o.organization_id):
                self._missing(
                    f"{path}.organizationId",
                    o.id,
                    "organizationId",
                    "organization",
                    o.organization_id,
                )
            if o.department_id is not None:
                self._same_org(
                    f"{path}.departmentId",
                    o.id,
                    o.department_id,
                    o.organization_id,
                    "department",
                    "the opportunity's",
                )

    def _relationships(self) -> None:
        for i, r in enumerate(self.doc.relationships):
            for end, person_id in (("from", r.from_id), ("to", r.to_id)):
                if not self._person_exists(person_id):
                    path = f"relationships[{i}].{end}"
                    self._missing(path, relationship_label(r), end, "person", person_id)

    def _decision_rights(self) -> None:
        for i, right in enumerate(self.doc.decision_rights):
            path = f"decisionRights[{i}]"
            label = decision_right_label(right)
            if not self._person_exists(right.person_id):
                self._missing(f"{path}.personId", label, "personId", "person", right.person_id)
            is_org = self._org_exists(right.scope_id)
            is_dept = self._dept_org(right.scope_id) is not None
            if is_org and is_dept:
                self._add(
                    f"{path}.scopeId",
                    label,
                    f"scopeId {right.scope_id!r} is ambiguous: it names both an organization "
                    "and a department",
                )
            elif not (is_org or is_dept):
                self._missing(
                    f"{path}.scopeId",
                    label,
                    "scopeId",
                    "organization or department",
                    right.scope_id,
                )

    def _moved_departments(self) -> None:
        """Stored records under a department the document moves must move along."""
        stranded: dict[str, list[str]] = defaultdict(list)
        for dep in self.known.department_dependents:
            overridden = (
                dep.id in self.people or dep.id in self.depts or dep.id in self.opportunity_ids
            )
            doc_dept = self.depts.get(dep.department_id)
            if overridden or doc_dept is None or doc_dept.organization_id == dep.organization_id:
                continue
            noun = "child department" if dep.kind is EntityKind.DEPARTMENT else KIND_NOUN[dep.kind]
            stranded[dep.department_id].append(
                f"{noun} {dep.id!r} (organization {dep.organization_id!r})"
            )
        for i, d in enumerate(self.doc.departments):
            names = stranded.pop(d.id, None)
            if names:
                self._add(
                    f"departments[{i}].organizationId",
                    d.id,
                    f"moving the department to organization {d.organization_id!r} would leave "
                    f"stored records in a department of another organization: "
                    f"{bounded_list(names, limit=3)}; "
                    "move them in the same document",
                )

    # --- cycles ---------------------------------------------------------------------------

    def _organization_cycles(self) -> None:
        paths = {o.id: i for i, o in reversed(list(enumerate(self.doc.organizations)))}

        def parents(org_id: str) -> Sequence[Edge]:
            doc_org = self.orgs.get(org_id)
            if doc_org is not None:
                if doc_org.parent_id is None:
                    return ()
                return (
                    Edge(doc_org.parent_id, f"organizations[{paths[org_id]}].parentId", org_id),
                )
            stored = self.known.organizations.get(org_id)
            return (Edge(stored.parent_id),) if stored and stored.parent_id else ()

        starts = [o.id for o in self.doc.organizations if o.parent_id is not None]
        self._report_cycles(find_cycles(starts, parents), "organization parents")

    def _department_cycles(self) -> None:
        paths = {d.id: i for i, d in reversed(list(enumerate(self.doc.departments)))}

        def parents(dept_id: str) -> Sequence[Edge]:
            doc_dept = self.depts.get(dept_id)
            if doc_dept is not None:
                if doc_dept.parent_id is None:
                    return ()
                return (
                    Edge(doc_dept.parent_id, f"departments[{paths[dept_id]}].parentId", dept_id),
                )
            stored = self.known.departments.get(dept_id)
            return (Edge(stored.parent_id),) if stored and stored.parent_id else ()

        starts = [d.id for d in self.doc.departments if d.parent_id is not None]
        self._report_cycles(find_cycles(starts, parents), "department parents")

    def _reporting_cycles(self) -> None:
        """Solid lines: the document's, plus stored ones it neither replaces nor makes dotted.

        Proved acyclic first by ``chains_acyclic`` on the managers' ids alone, as they are
        when everyone has one manager; only a graph it cannot clear is searched for its
        cycles by ``find_cycles``, with an ``Edge`` naming each line's record."""
        people, relationships = self.doc.people, self.doc.relationships
        # REPORTS_TO is directed, so (from, to) is its key; a document line of either kind
        # replaces the stored line with the same ends, and a reportsToId all of them.
        reports_to: dict[str, tuple[str, int]] = {}  # person: (manager, index in people)
        lines: dict[str, list[tuple[str, int]]] = defaultdict(list)  # from: (to, index)
        doc_pairs: set[tuple[str, str]] = set()
        for i, p in enumerate(people):
            if p.reports_to_id is not None and p.id not in reports_to:
                reports_to[p.id] = (p.reports_to_id, i)
        for i, r in enumerate(relationships):
            if r.type is RelationshipType.REPORTS_TO:
                doc_pairs.add((r.from_id, r.to_id))
                if not r.dotted:
                    lines[r.from_id].append((r.to_id, i))
        stored_managers = self.known.solid_managers

        def stored(person_id: str) -> list[str]:
            if person_id in reports_to:
                return []
            managers = stored_managers.get(person_id, ())
            return [m for m in managers if (person_id, m) not in doc_pairs]

        def manager_ids(person_id: str) -> Sequence[str]:
            line = reports_to.get(person_id)
            if line is not None and person_id not in lines:
                return (line[0],)  # the common case: a reportsToId and no other solid line
            found = [] if line is None else [line[0]]
            found.extend(to for to, _ in lines.get(person_id, ()))
            found.extend(stored(person_id))
            return found

        def managers(person_id: str) -> list[Edge]:
            found = []
            if person_id in reports_to:
                manager, i = reports_to[person_id]
                found.append(Edge(manager, f"people[{i}].reportsToId", person_id))
            for to, i in lines.get(person_id, ()):
                label = relationship_label(relationships[i])
                found.append(Edge(to, f"relationships[{i}]", label))
            found.extend(Edge(m) for m in stored(person_id))
            return found

        starts = [*reports_to, *(p for p in lines if p not in reports_to)]
        if not chains_acyclic(starts, manager_ids):
            self._report_cycles(find_cycles(starts, managers), "solid REPORTS_TO lines")

    def _report_cycles(self, cycles: list[list[tuple[str, Edge]]], what: str) -> None:
        for cycle in cycles:
            blamed = next((e for _, e in cycle if e.path is not None), None)
            path = blamed.path if blamed and blamed.path else ""
            record = blamed.record if blamed and blamed.record else cycle[0][0]
            self._add(path, record, f"{what} form a cycle: {cycle_text(cycle)}")
