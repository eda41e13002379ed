"""``graphsvc compact --before DATE`` through the real command line (issue 11 item 6)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from graphsvc.domain.history import ChangeQuery, Review
from graphsvc.store.sqlite import SqliteStore
from tests.cli.conftest import Cli
from tests.cli.test_data_commands import error_line

T = TypeVar("T")


def tomorrow() -> str:
    """The day after today in UTC, asked when a test runs (not when the module loads, so a
    suite that runs across midnight still compacts everything written before it)."""
    return (datetime.now(UTC).date() + timedelta(days=1)).isoformat()


def doc(*org_ids: str) -> bytes:
    organizations = [{"id": id_, "name": f"Org {id_}", "kind": "CUSTOMER"} for id_ in org_ids]
    return json.dumps({"format": "graphsvc/v1", "organizations": organizations}).encode()


def store_of(cli: Cli) -> SqliteStore:
    return SqliteStore(cli.store_url.removeprefix("sqlite:///"))


def in_store(cli: Cli, work: Callable[[SqliteStore], Awaitable[T]]) -> T:
    """Run ``work(store)`` on the CLI's store file, opened here (as another process)."""

    async def main() -> T:
        store = store_of(cli)
        await store.open()
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(main())


def review_now(cli: Cli, id_: str, org_id: str, workspace: str = "default") -> None:
    async def save(store: SqliteStore) -> None:
        version = await store.version(workspace)
        await store.save_review(
            workspace, Review(id_, org_id, id_, None, version, datetime.now(UTC), "cli")
        )

    in_store(cli, save)


def summary(stderr: bytes) -> list[str]:
    text = stderr.decode()
    assert "Traceback" not in text
    return text.strip().splitlines()


def test_compact_drops_changes_older_than_the_date(cli: Cli) -> None:
    # Given two imports (versions 1 and 2)
    cli.ok("import", "-", input=doc("a", "b"))
    cli.ok("import", "-", input=doc("c"))

    # When compacting before tomorrow
    done = cli.ok("compact", "--before", tomorrow())

    # Then every change is dropped, said in one line for the workspace
    assert summary(done.stderr) == [
        "workspace 'default': dropped 3 changes through version 2; the change log starts "
        "after version 2"
    ]
    assert done.stdout == b""
    assert in_store(cli, lambda store: store.changes("default", ChangeQuery())) == []
    assert in_store(cli, lambda store: store.log_from("default")) == 2


def test_compact_keeps_what_the_latest_review_needs_and_says_so(cli: Cli) -> None:
    # Given an import, a review of kaito, another import, a later review, a third import
    cli.ok("import", "-", input=doc("kaito", "a"))
    review_now(cli, "r-1", "kaito")
    cli.ok("import", "-", input=doc("b"))
    review_now(cli, "r-2", "kaito")
    cli.ok("import", "-", input=doc("c"))

    # When compacting before tomorrow
    done = cli.ok("compact", "--before", f"{tomorrow()}T09:00:00+09:00")

    # Then it stops at kaito's latest review (version 2) and names the older one it lost
    [line] = summary(done.stderr)
    assert line == (
        "workspace 'default': dropped 3 changes through version 2; the change log starts "
        "after version 2; stopped short of the date at review 'r-2' of organization 'kaito' "
        "(version 2), its latest; no longer answerable by sinceReview: 'r-1'"
    )
    kept = in_store(cli, lambda store: store.changes("default", ChangeQuery()))
    assert [(change.version, change.key) for change in kept] == [(3, "c")]


def test_compact_before_the_first_change_drops_nothing(cli: Cli) -> None:
    cli.ok("import", "-", input=doc("a"))

    done = cli.ok("compact", "--before", "2000-01-01")

    assert summary(done.stderr) == [
        "workspace 'default': nothing to drop; the change log starts after version 0"
    ]


def test_compact_all_workspaces_says_one_line_each(cli: Cli) -> None:
    cli.ok("import", "-", "--workspace", "one", input=doc("a"))
    cli.ok("import", "-", "--workspace", "two", input=doc("a", "b"))

    done = cli.ok("compact", "--before", tomorrow(), "--all-workspaces")

    assert summary(done.stderr) == [
        "workspace 'one': dropped 1 change through version 1; the change log starts after "
        "version 1",
        "workspace 'two': dropped 2 changes through version 1; the change log starts after "
        "version 1",
    ]


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-10-01T25:00", ""])
def test_an_invalid_date_is_one_line_and_exit_2(cli: Cli, value: str) -> None:
    cli.ok("import", "-", input=doc("a"))

    done = cli.run("compact", "--before", value)

    assert done.returncode == 2
    assert error_line(done.stderr) == (
        f"error: --before: {value!r} is not a date (YYYY-MM-DD) or an ISO 8601 date-time "
        "(YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])"
    )
    assert in_store(cli, lambda store: store.log_from("default")) == 0


def test_compact_requires_the_date(cli: Cli) -> None:
    done = cli.run("compact")

    assert done.returncode == 2
    assert "--before" in done.stderr.decode()


def test_compact_help_tells_the_policy(cli: Cli) -> None:
    text = " ".join(cli.ok("compact", "--help").stdout.decode().split())

    assert "latest review" in text
    assert "YYYY-MM-DD" in text
