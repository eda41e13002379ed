"""powerMap's brokerage over HTTP is exact betweenness beyond the old 1,000-person line.

Brokerage used to be a 256-pivot estimate above 1,000 people; it is now exact up to
``EXACT_UP_TO`` (10,000) people, and PowerScore.brokerage's description says where the
line is.
"""

from __future__ import annotations

import pytest

from graphsvc.analytics.centrality import betweenness_reference
from tests.analytics.conftest import project
from tests.analytics.test_power_map_kernels import generated_document, scope_graph
from tests.api.conftest import Api

POWER_MAP = '{ powerMap(organizationId: "org1") { person { id } brokerage } }'


async def test_brokerage_of_a_1481_person_group_is_networkx_exact_betweenness(api: Api) -> None:
    # Given a generated group whose holding, with subsidiaries, has 1,481 people
    document = generated_document()
    await api.service.import_document(api.workspace, document)
    people, pairs = scope_graph(project(document), "org1")
    assert len(people) > 1_000  # above the old line, within the new one (EXACT_UP_TO)

    # When its power map is asked for over HTTP
    data = await api.data(POWER_MAP)

    # Then every brokerage is networkx's exact betweenness, to the 6 decimals served
    exact = betweenness_reference(pairs, people)
    served = {row["person"]["id"]: row["brokerage"] for row in data["powerMap"]}
    assert sorted(served) == people
    assert served == pytest.approx(exact, abs=5e-7)


async def test_the_schema_says_where_exact_brokerage_ends(api: Api) -> None:
    data = await api.data('{ __type(name: "PowerScore") { fields { name description } } }')
    described = {f["name"]: f["description"] for f in data["__type"]["fields"]}
    assert "exact for scopes of up to 10,000 people" in described["brokerage"]
