"""CONTRACT §3 rules through the import path: each broken rule is refused, naming the
offending record, and leaves the workspace exactly as it was (same export, same version).

Every malformed document also carries a valid new organization (``fresh``), so that a
partial apply would show in the export: an import is all or nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from graphsvc.domain.enums import OrganizationKind
from graphsvc.domain.models import GraphDocument
from graphsvc.errors import InvalidDocument
from graphsvc.services.graph import GraphService
from tests.factories import (
    dept,
    document,
    kaito_document,
    knows,
    opportunity,
    org,
    person,
    reports_to,
    right,
    system,
)
from tests.services.support import snapshot

FRESH = org("fresh", "Fresh Prospect", OrganizationKind.PROSPECT)


def _with_fresh(**lists: Any) -> GraphDocument:
    lists["organizations"] = [FRESH, *lists.get("organizations", [])]
    return document(**lists)


# (rule, malformed document applied over the Kaito group, offending record, words in the message)
CASES = [
    pytest.param(
        _with_fresh(organizations=[org("us2", "Second Us", OrganizationKind.SELF)]),
        "us2",
        "at most one SELF organization",
        id="at-most-one-SELF-organization",
    ),
    pytest.param(
        _with_fresh(organizations=[org("x", parent_id="nowhere")]),
        "x",
        "parentId 'nowhere' names no organization",
        id="organization-parent-resolves",
    ),
    pytest.param(
        _with_fresh(departments=[dept("d-x", "nowhere")]),
        "d-x",
        "organizationId 'nowhere' names no organization",
        id="department-organization-resolves",
    ),
    pytest.param(
        _with_fresh(people=[person("p-x", "kaito", department_id="k-gone")]),
        "p-x",
        "departmentId 'k-gone' names no department",
        id="person-department-resolves",
    ),
    pytest.param(
        _with_fresh(people=[person("p-x", "kaito", reports_to_id="p-ghost")]),
        "p-x",
        "reportsToId 'p-ghost' names no person",
        id="person-reportsTo-resolves",
    ),
    pytest.param(
        _with_fresh(systems=[system("s-x", "kaito", department_ids=["k-it", "k-gone"])]),
        "s-x",
        "departmentIds 'k-gone' names no department",
        id="system-departments-resolve",
    ),
    pytest.param(
        _with_fresh(opportunities=[opportunity("o-x", "nowhere")]),
        "o-x",
        "organizationId 'nowhere' names no organization",
        id="opportunity-organization-resolves",
    ),
    pytest.param(
        _with_fresh(relationships=[knows("ae-1", "p-ghost", 0.5)]),
        "KNOWS ae-1→p-ghost",
        "to 'p-ghost' names no person",
        id="relationship-ends-resolve",
    ),
    pytest.param(
        _with_fresh(decision_rights=[right("p-ghost", "kaito")]),
        "p-ghost/kaito/IT/DECISION_MAKER",
        "personId 'p-ghost' names no person",
        id="decision-right-person-resolves",
    ),
    pytest.param(
        _with_fresh(decision_rights=[right("p-cio", "nowhere")]),
        "p-cio/nowhere/IT/DECISION_MAKER",
        "names no organization or department",
        id="decision-right-scope-resolves",
    ),
    pytest.param(
        _with_fresh(
            departments=[dept("rival", "rival")], decision_rights=[right("p-cio", "rival")]
        ),
        "p-cio/rival/IT/DECISION_MAKER",
        "ambiguous",
        id="decision-right-scope-not-ambiguous",
    ),
    pytest.param(
        _with_fresh(departments=[dept("kl-x", "kaito-log", parent_id="k-it")]),
        "kl-x",
        "parent department 'k-it' belongs to organization 'kaito'",
        id="department-parent-in-same-organization",
    ),
    pytest.param(
        _with_fresh(people=[person("p-x", "kaito-log", department_id="k-it")]),
        "p-x",
        "department 'k-it' belongs to organization 'kaito', not to the person's",
        id="person-department-in-person-organization",
    ),
    pytest.param(
        _with_fresh(opportunities=[opportunity("o-x", "kaito-log", department_id="k-hr")]),
        "o-x",
        "department 'k-hr' belongs to organization 'kaito', not to the opportunity's",
        id="opportunity-department-in-its-organization",
    ),
    pytest.param(
        _with_fresh(departments=[dept("k-hr", "kaito-log", "人事部")]),
        "k-hr",
        "person 'p-hr'",
        id="moved-department-strands-stored-people",
    ),
    pytest.param(
        _with_fresh(organizations=[org("kaito", "海塔ホールディングス", parent_id="kaito-log")]),
        "kaito",
        "organization parents form a cycle: kaito → kaito-log → kaito",
        id="no-organization-parent-cycle-through-store",
    ),
    pytest.param(
        _with_fresh(departments=[dept("k-it", "kaito", "情報システム部", parent_id="k-infra")]),
        "k-it",
        "department parents form a cycle: k-it → k-infra → k-it",
        id="no-department-parent-cycle-through-store",
    ),
    pytest.param(
        _with_fresh(people=[person("p-ceo", "kaito", "山田 太郎", reports_to_id="p-eng")]),
        "p-ceo",
        "solid REPORTS_TO lines form a cycle: p-ceo → p-eng → p-itdir → p-cio → p-ceo",
        id="no-solid-reporting-cycle-through-store",
    ),
    pytest.param(
        _with_fresh(relationships=[reports_to("p-ceo", "p-pm")]),
        "REPORTS_TO p-ceo→p-pm",
        "solid REPORTS_TO lines form a cycle",
        id="no-solid-reporting-cycle-from-a-relationship",
    ),
    pytest.param(
        _with_fresh(organizations=[org("dup"), org("dup")]),
        "dup",
        "duplicate id: organization 'dup' is already organizations[1]",
        id="no-duplicate-id-in-a-kind",
    ),
    pytest.param(
        _with_fresh(relationships=[knows("p-ceo", "p-cfo", 0.4), knows("p-cfo", "p-ceo", 0.6)]),
        "KNOWS p-cfo→p-ceo",
        "duplicate relationship",
        id="no-duplicate-relationship-KNOWS-unordered",
    ),
    pytest.param(
        _with_fresh(
            people=[person("p-x", "kaito", reports_to_id="p-ceo")],
            relationships=[reports_to("p-x", "p-ceo", 0.9)],
        ),
        "REPORTS_TO p-x→p-ceo",
        "the same type, from and to as people[0].reportsToId",
        id="no-duplicate-relationship-with-reportsToId",
    ),
    pytest.param(
        _with_fresh(decision_rights=[right("p-cio", "kaito", "it"), right("p-cio", "kaito", "IT")]),
        "p-cio/kaito/IT/DECISION_MAKER",
        "duplicate decision right",
        id="no-duplicate-decision-right-area-any-case",
    ),
]


@pytest.mark.parametrize(("malformed", "record", "words"), CASES)
async def test_a_broken_rule_is_refused_naming_the_record_and_nothing_changes(
    service: GraphService, workspace: str, malformed: GraphDocument, record: str, words: str
) -> None:
    # given the Kaito group is stored
    await service.import_document(workspace, kaito_document())
    before = await snapshot(service.store, workspace)

    # when a document breaking one rule is imported
    with pytest.raises(InvalidDocument) as refused:
        await service.import_document(workspace, malformed)

    # then the refusal names the offending record and says what is wrong
    assert any(
        issue.record == record and words in issue.message for issue in refused.value.issues
    ), [str(i) for i in refused.value.issues]
    assert record in str(refused.value)
    # and the workspace is unchanged: same export, same version
    assert await snapshot(service.store, workspace) == before


async def test_a_record_level_error_in_raw_json_is_refused_naming_path_and_record(
    service: GraphService, workspace: str
) -> None:
    # given the Kaito group is stored
    await service.import_document(workspace, kaito_document())
    before = await snapshot(service.store, workspace)
    raw = {
        "format": "graphsvc/v1",
        "organizations": [{"id": "fresh", "name": "Fresh", "kind": "PROSPECT"}],
        "people": [{"id": "p-x", "name": "X", "organizationId": "kaito", "titel": "CTO"}],
    }

    # when raw JSON with a misspelt field is imported
    with pytest.raises(InvalidDocument) as refused:
        await service.import_document(workspace, raw)

    # then the issue names the path, the record and the unknown field; nothing changed
    assert [str(i) for i in refused.value.issues] == [
        "people[0].titel (p-x): unknown field 'titel'"
    ]
    assert await snapshot(service.store, workspace) == before
