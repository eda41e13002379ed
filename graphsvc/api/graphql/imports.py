"""``importGraph``'s result: ``ImportSuccess | ImportFailed``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphsvc.api.graphql.results import Error, IssueType
from graphsvc.errors import InvalidDocument
from graphsvc.services.graph import ImportSummary

_WRITTEN = "{} written: new or changed (records equal to the stored ones are not counted)."


@strawberry.type(
    description="The document was applied whole. Counts are of records written; importing "
    "the same document again writes nothing."
)
class ImportSuccess:
    organizations: int = strawberry.field(description=_WRITTEN.format("Organizations"))
    departments: int = strawberry.field(description=_WRITTEN.format("Departments"))
    people: int = strawberry.field(description=_WRITTEN.format("People"))
    systems: int = strawberry.field(description=_WRITTEN.format("Installed systems"))
    opportunities: int = strawberry.field(description=_WRITTEN.format("Opportunities"))
    relationships: int = strawberry.field(
        description=_WRITTEN.format("Relationships (reportsToId lines included)")
    )
    decision_rights: int = strawberry.field(description=_WRITTEN.format("Decision rights"))
    version: int = strawberry.field(
        description="The workspace's version after the import (grows with every write)."
    )

    @classmethod
    def of(cls, summary: ImportSummary) -> ImportSuccess:
        """The GraphQL view of the service's summary."""
        counts = summary.counts
        return cls(
            organizations=counts.get("organizations", 0),
            departments=counts.get("departments", 0),
            people=counts.get("people", 0),
            systems=counts.get("systems", 0),
            opportunities=counts.get("opportunities", 0),
            relationships=counts.get("relationships", 0),
            decision_rights=counts.get("decisionRights", 0),
            version=summary.version,
        )


@strawberry.type(
    description="Nothing was imported: the document is invalid (code INVALID, every problem "
    "in issues) or the caller may not import (FORBIDDEN)."
)
class ImportFailed(Error):
    issues: list[IssueType] = strawberry.field(
        description="Every problem found, each naming its path and record."
    )

    @classmethod
    def of(cls, exc: InvalidDocument) -> ImportFailed:
        """The failure of an invalid document."""
        return cls(
            code=exc.code,
            message=exc.message,
            issues=[IssueType.from_issue(i) for i in exc.issues],
        )


ImportResult = Annotated[
    ImportSuccess | ImportFailed,
    strawberry.union(
        "ImportResult", description="ImportSuccess, or ImportFailed when nothing was changed."
    ),
]
