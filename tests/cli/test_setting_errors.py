"""A wrong ``GRAPHSVC_*`` variable: one clear line naming it and its value, exit 2."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cli


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("GRAPHSVC_PERSISTED_QUERY_CACHE_SIZE", "-1", "greater than or equal to 0"),
        ("GRAPHSVC_MAX_DEPTH", "deep", "a valid integer"),
    ],
)
def test_a_wrong_setting_is_named_in_one_line_without_a_traceback(
    cli: Cli, variable: str, value: str, says: str
) -> None:
    cli.env[variable] = value
    done = cli.run("serve", "--port", "1")
    assert done.returncode == 2
    message = done.stderr.decode()
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1, message
    assert f"{variable}={value!r}" in message
    assert says in message
