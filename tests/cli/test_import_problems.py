"""An import through the real command line reports every problem of the document at once."""

from __future__ import annotations

import orjson

from tests.cli.conftest import Cli

ORG = {"id": "kaito", "name": "海東", "kind": "CUSTOMER"}


def test_every_problem_is_one_line_each_and_nothing_changes(cli: Cli) -> None:
    # given a document with an unknown departmentId, a strength of 1.5 and an unknown stance
    document = {
        "format": "graphsvc/v1",
        "organizations": [ORG],
        "people": [
            {"id": "p-a", "name": "A", "organizationId": "kaito", "departmentId": "k-nowhere"},
            {"id": "p-b", "name": "B", "organizationId": "kaito", "stance": "FRIENDLY"},
        ],
        "relationships": [{"type": "KNOWS", "from": "p-a", "to": "p-b", "strength": 1.5}],
    }
    # when it is imported
    done = cli.run("import", "-", input=orjson.dumps(document))
    # then each problem is on its own line, naming record, field and value; exit 2
    assert done.returncode == 2
    text = done.stderr.decode()
    assert "Traceback" not in text
    assert text.splitlines() == [
        "error: 3 problems in the document; nothing was changed:",
        "  people[0].departmentId (p-a): departmentId 'k-nowhere' names no department in the "
        "document or the workspace",
        '  people[1].stance (p-b): stance "FRIENDLY" is not one of CHAMPION, SUPPORTER, '
        "NEUTRAL, SKEPTIC, BLOCKER, UNKNOWN",
        "  relationships[0].strength (KNOWS p-a→p-b): strength 1.5 is not in (0, 1]",
    ]
    assert orjson.loads(cli.ok("export").stdout).get("people", []) == []


def test_many_problems_are_capped_with_the_count_of_the_rest(cli: Cli) -> None:
    people = [{"id": f"p{i}", "name": "", "organizationId": "kaito"} for i in range(60)]
    document = {"format": "graphsvc/v1", "organizations": [ORG], "people": people}

    done = cli.run("import", "-", input=orjson.dumps(document))

    lines = done.stderr.decode().splitlines()
    assert done.returncode == 2
    assert lines[0] == "error: 60 problems in the document; nothing was changed:"
    assert lines[1] == "  people[0].name (p0): name must not be blank"
    assert len(lines) == 1 + 50 + 1
    assert lines[-1] == "  … and 10 more problems"


def test_a_document_without_format_is_refused(cli: Cli) -> None:
    done = cli.run("import", "-", input=orjson.dumps({"organizations": [ORG]}))

    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        'error: format: format is required: write "format": "graphsvc/v1"'
    ]
    assert b'"kaito"' not in cli.ok("export").stdout


def test_a_blank_id_in_a_document_is_refused(cli: Cli) -> None:
    document = {"format": "graphsvc/v1", "organizations": [ORG | {"id": "kaito\n"}]}

    done = cli.run("import", "-", input=orjson.dumps(document))

    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "error: organizations[0].id (kaito\\n): id must not contain control characters"
    ]
