"""The driver behind the Neo4j store: one lazily made ``AsyncDriver``, reads, write
transactions, keyset paging, and driver errors turned into graphsvc errors on the way out.

The counterpart of SQLite's ``engine``: ``Neo4jStore`` says *what* to run (statements from
the catalog), this module *how* (access mode, retries, paging), so the store's methods stay
one statement each.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import neo4j
from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    NotificationMinimumSeverity,
    RoutingControl,
)
from neo4j import exceptions as neo4j_errors

from graphsvc.errors import GraphsvcError
from graphsvc.store.neo4j.errors import public_url, raised_by_driver, translate_error
from graphsvc.store.neo4j.rows import BATCH_SIZE

__all__ = ["Neo4jEngine"]

T = TypeVar("T")


class Neo4jEngine:
    """Runs catalog statements on one Neo4j database; every driver error leaves translated."""

    def __init__(self, url: str, *, user: str, password: str | None, database: str) -> None:
        self.url = public_url(url)
        """The server's URL without credentials, for messages."""
        self.database = database
        self._uri = url
        self._auth = (user, password) if password is not None else None
        self._driver: AsyncDriver | None = None

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except GraphsvcError:
            raise
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate_error(exc, self.url, self.database) from exc
        except ValueError as exc:
            if not raised_by_driver(exc):
                raise
            raise translate_error(exc, self.url, self.database) from exc

    def _connection(self) -> AsyncDriver:
        if self._driver is None:
            try:
                self._driver = AsyncGraphDatabase.driver(
                    self._uri,
                    auth=self._auth,
                    # Every statement is linted by Neo4j's parser in the test suite; at run
                    # time the server's notifications (e.g. "relationship type does not
                    # exist" on an empty database) would only reach users as log noise.
                    notifications_min_severity=NotificationMinimumSeverity.OFF,
                )
            except (neo4j_errors.DriverError, ValueError) as exc:  # a malformed URL
                raise translate_error(exc, self.url, self.database) from exc
        return self._driver

    async def connect(self) -> None:
        """Make the driver if needed and check that the server answers."""
        driver = self._connection()
        with self._errors():
            await driver.verify_connectivity()

    async def close(self) -> None:
        """Close the driver; the next statement makes a new one."""
        driver, self._driver = self._driver, None
        if driver is not None:
            with self._errors():
                await driver.close()

    async def read(self, query: str, **params: Any) -> list[neo4j.Record]:
        """Run a read in an auto-commit transaction, once more in a managed one if it fails
        with an error the driver calls retryable (that one retries with back-off).

        Auto-commit sends RUN and PULL in one round trip: 1.0 ms per small read here against
        2.1 ms for ``execute_query``'s managed transaction, which a warm route pays several
        times (the version check, the people it names).
        """
        driver = self._connection()
        with self._errors():
            try:
                async with driver.session(
                    database=self.database, default_access_mode=neo4j.READ_ACCESS
                ) as session:
                    result = await session.run(query, params)
                    return [record async for record in result]
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
                if not exc.is_retryable():
                    raise
            retried = await driver.execute_query(
                query, parameters_=params, database_=self.database, routing_=RoutingControl.READ
            )
        records: list[neo4j.Record] = retried.records
        return records

    async def write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run ``work`` in a managed write transaction (the driver retries transient errors)."""
        driver = self._connection()
        with self._errors():
            async with driver.session(database=self.database) as session:
                return await session.execute_write(work)

    async def run_write(self, query: str, **params: Any) -> list[neo4j.Record]:
        """Run one statement in its own write transaction; its records."""

        async def work(tx: AsyncManagedTransaction) -> list[neo4j.Record]:
            result = await tx.run(query, params)
            return [record async for record in result]

        return await self.write(work)

    async def keyset(
        self, query: str, workspace: str, after: Any = "", **params: Any
    ) -> AsyncIterator[list[str]]:
        """The ``data`` of every row of a keyset-paged statement, page by page.

        The statement takes ``$workspace``, ``$after`` (the key to continue after), ``$batch``
        and ``params``, and answers a page as one record ``(rows, n, last)``: the rows' JSON in
        key order, how many keys the page covered (fewer than ``BATCH_SIZE``: the last page)
        and the key to continue after. One record per page, not one per row, because the
        async driver's receive path costs ~20 µs per record: a 100k-person projection build
        read row by row spent ~15 s receiving (measured in bench/README.md).
        """

        async def page_after(key: Any) -> neo4j.Record:
            [page] = await self.read(
                query, workspace=workspace, after=key, batch=BATCH_SIZE, **params
            )
            return page

        # The next page is asked for before this one is handed over, so the server finds it
        # while the caller decodes this one (they run on different cores).
        pending: asyncio.Task[neo4j.Record] | None = asyncio.ensure_future(page_after(after))
        try:
            while pending is not None:
                page = await pending
                pending = None
                if page["n"] >= BATCH_SIZE:
                    pending = asyncio.ensure_future(page_after(page["last"]))
                if page["rows"]:
                    yield page["rows"]
        finally:
            if pending is not None:
                pending.cancel()
                with suppress(asyncio.CancelledError, GraphsvcError):
                    await pending
