"""``graphsvc import`` reads a valid document straight into records; a text that orjson
reads otherwise (or refuses) is still refused as it always was, changing nothing."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cli
from tests.cli.test_data_commands import error_line

ORGANIZATION = '{"format": "graphsvc/v1", "organizations": [{"id": "o", "name": "O", "kind": "SELF"'


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param('"revenue": Infinity', "not valid JSON: ", id="infinity"),
        pytest.param(
            '"employees": 100000000000000000000000',
            "organizations[0].employees (o): employees 1e+23 is not valid",
            id="an-integer-beyond-64-bits",
        ),
    ],
)
def test_numbers_orjson_refuses_are_refused_as_before(cli: Cli, field: str, expected: str) -> None:
    (cli.cwd / "numbers.json").write_text(f"{ORGANIZATION}, {field}}}]}}", "utf-8")

    done = cli.run("import", "numbers.json")

    assert done.returncode == 2
    assert expected in error_line(done.stderr)
    assert '"organizations":[]' in cli.ok("export").stdout.decode().replace(" ", "")
