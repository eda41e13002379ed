"""Departments named by a CRM export, matched to those the workspace already holds.

Salesforce has no departments, only a contact's ``Department`` text; ``salesforce`` makes
one department per account and name with the id ``<AccountId>/<Department>``. When the
workspace already holds a department of that organization with that name (any case), made
by hand, through the API or from another bundle, under another id, the contacts join it
instead, and no second department of the same name is made.
"""

from __future__ import annotations

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Department
from graphsvc.services.bundle.document import BundleDocument
from graphsvc.store.base import GraphStore

__all__ = ["match_departments"]


async def match_departments(store: GraphStore, workspace: str, bundle: BundleDocument) -> None:
    """Point the bundle's people at stored departments of the same organization and name,
    and drop the departments the bundle would have made for them."""
    made = bundle.data.get("departments", [])
    if not bundle.departments_by_name or not made:
        return
    wanted = {(d.get("organizationId"), str(d.get("name", "")).casefold()) for d in made}
    stored: dict[tuple[str, str], str] = {}
    async for batch in store.stream(workspace, EntityKind.DEPARTMENT):
        for department in batch:
            assert isinstance(department, Department)
            key = (department.organization_id, department.name.casefold())
            if key in wanted:
                stored.setdefault(key, department.id)
    if not stored:
        return
    joined: dict[str, str] = {}
    kept: list[int] = []
    for index, record in enumerate(made):
        existing = stored.get((record.get("organizationId"), str(record.get("name")).casefold()))
        if existing is None or existing == record.get("id"):
            kept.append(index)
        else:
            joined[record["id"]] = existing
    bundle.keep("departments", kept)
    for person in bundle.data.get("people", []):
        department_id = person.get("departmentId")
        if department_id in joined:
            person["departmentId"] = joined[department_id]
