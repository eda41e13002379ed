"""The driver behind the Neo4j store: one lazily made ``AsyncDriver``, reads, write
transactions, keyset paging, and driver errors turned into graphsvc errors on the way out.

The counterpart of SQLite's ``engine``: ``Neo4jStore`` says *what* to run (statements from
the catalog), this module *how* (access mode, retries, paging), so the store's methods stay
one statement each.

Every operation is bounded (``timeout_seconds``, ``GRAPHSVC_STORE_TIMEOUT_SECONDS``): the
driver's own timeouts cover connecting, waiting for a pooled connection and retrying, but a
server that is frozen (SIGSTOP, a hung disk, a paused VM) keeps its TCP connections open and
never answers, and the driver has no read timeout of its own. So each read, ping, keyset
page and each statement of a write transaction (and its commit) runs under
``asyncio.timeout``; when it fires, the driver's cancellation handling kills the half-used
connection instead of returning it to the pool, and the caller gets ``StoreUnavailable``
naming the server and the wait. A write cut short before its commit was sent was not
stored; one cut short after it (or whose connection broke while committing) is reported
as of unknown outcome, never as a success.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import neo4j
from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    NotificationMinimumSeverity,
    RoutingControl,
)
from neo4j import exceptions as neo4j_errors

from graphsvc.errors import GraphsvcError, StoreUnavailable
from graphsvc.store.neo4j.errors import public_url, raised_by_driver, translate_error
from graphsvc.store.neo4j.rows import BATCH_SIZE

__all__ = ["DEFAULT_TIMEOUT_SECONDS", "Neo4jEngine"]

T = TypeVar("T")

DEFAULT_TIMEOUT_SECONDS = 10.0
"""The longest one step (a read, a page, a write's statement or commit) may wait for Neo4j."""

ROWS_PER_WAIT = 1000
"""A write's statement, and its commit, may wait one more ``timeout_seconds`` per this many
rows it carries (the lists among its parameters; for the commit, all of the transaction's):
a 5,000-row batch or the commit of a big import takes longer than one record's, and on a
loaded machine longer than the bound (a 12,000-person commit took over 5 s at a load
average of 14 on 2 cores). A frozen server is still found out, later for bigger writes."""


def _waits(rows: int) -> int:
    return 1 + rows // ROWS_PER_WAIT


@dataclass
class _WriteProgress:
    """How far the current attempt of a write transaction got (for an honest timeout)."""

    rows: int = 0
    committing: bool = False
    """``work`` returned: the commit is sent next, so a cut now leaves the outcome unknown."""


class _WatchedTransaction:
    """A managed transaction whose every ``run`` gets a fresh deadline: a write is bounded
    per statement, not as a whole, so a long import still runs while a silent server is
    found out within one ``timeout_seconds``."""

    def __init__(
        self,
        tx: AsyncManagedTransaction,
        deadline: asyncio.Timeout,
        seconds: float,
        progress: _WriteProgress,
    ) -> None:
        self._tx = tx
        self._deadline = deadline
        self._seconds = seconds
        self._progress = progress

    async def run(self, query: Any, parameters: Any = None, **kwargs: Any) -> neo4j.AsyncResult:
        """``AsyncManagedTransaction.run`` with the deadline moved to now + the timeout
        (once more per ``ROWS_PER_WAIT`` rows the statement carries)."""
        values = [*(parameters or {}).values(), *kwargs.values()]
        rows = sum(len(value) for value in values if isinstance(value, list))
        self._progress.rows += rows
        wait = _waits(rows) * self._seconds
        self._deadline.reschedule(asyncio.get_running_loop().time() + wait)
        return await self._tx.run(query, parameters, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tx, name)


class Neo4jEngine:
    """Runs catalog statements on one Neo4j database; every driver error leaves translated."""

    def __init__(
        self,
        url: str,
        *,
        user: str,
        password: str | None,
        database: str,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.url = public_url(url)
        """The server's URL without credentials, for messages."""
        self.database = database
        self.timeout_seconds = timeout_seconds
        """The longest one step waits for the server (module docstring)."""
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

    @asynccontextmanager
    async def _bounded(self, what: str) -> AsyncIterator[asyncio.Timeout]:
        """Run the body within ``timeout_seconds`` (the deadline may be moved); past it,
        ``StoreUnavailable`` saying ``what`` got no answer. The body's driver calls see
        the cancellation, so the session kills its connection rather than pooling it."""
        try:
            async with asyncio.timeout(self.timeout_seconds) as deadline:
                yield deadline
        except TimeoutError as exc:
            raise StoreUnavailable(self._silent(what)) from exc

    def _silent(self, what: str) -> str:
        return (
            f"Neo4j at {self.url} did not answer {what} within {self.timeout_seconds:g} s "
            "(GRAPHSVC_STORE_TIMEOUT_SECONDS)"
        )

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
                    # Bounded like every operation (module docstring): a server that is
                    # down is reported within seconds, not after the driver's 30-60 s.
                    connection_timeout=self.timeout_seconds,
                    connection_acquisition_timeout=self.timeout_seconds,
                    # Half the bound: a write the driver retries against a server that
                    # refuses connections ends with the driver's own reason, not a timeout.
                    max_transaction_retry_time=self.timeout_seconds / 2,
                )
            except (neo4j_errors.DriverError, ValueError) as exc:  # a malformed URL
                raise translate_error(exc, self.url, self.database) from exc
        return self._driver

    async def connect(self) -> None:
        """Make the driver if needed and check that the server answers."""
        driver = self._connection()
        async with self._bounded("a connection check"):
            with self._errors():
                await driver.verify_connectivity()

    async def close(self) -> None:
        """Close the driver; the next statement makes a new one. A server that does not
        answer the goodbye is left behind after ``timeout_seconds``."""
        driver, self._driver = self._driver, None
        if driver is not None:
            with suppress(StoreUnavailable):
                async with self._bounded("closing the driver"):
                    with self._errors():
                        await driver.close()

    async def read(self, query: str, **params: Any) -> list[neo4j.Record]:
        """Run a read in an auto-commit transaction; once more at once if the connection
        failed (a pooled connection the server dropped when it restarted: the driver then
        discards the address's idle connections), or in a managed transaction if it failed
        with another error the driver calls retryable (that one retries with back-off). A
        server that refuses connections is reported after two quick tries, not after the
        managed transaction's whole retry time.

        Auto-commit sends RUN and PULL in one round trip: 1.0 ms per small read here against
        2.1 ms for ``execute_query``'s managed transaction, which a warm route pays several
        times (the version check, the people it names).
        """
        driver = self._connection()
        async with self._bounded("a read"):
            with self._errors():
                for last_try in (False, True):
                    try:
                        async with driver.session(
                            database=self.database, default_access_mode=neo4j.READ_ACCESS
                        ) as session:
                            result = await session.run(query, params)
                            return [record async for record in result]
                    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired):
                        if last_try:
                            raise
                    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
                        if not exc.is_retryable():
                            raise
                        break
                retried = await driver.execute_query(
                    query,
                    parameters_=params,
                    database_=self.database,
                    routing_=RoutingControl.READ,
                )
        records: list[neo4j.Record] = retried.records
        return records

    async def write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run ``work`` in a managed write transaction (the driver retries transient errors).

        Each statement ``work`` runs, and the commit, is bounded (``_WatchedTransaction``);
        a write cut short says whether it was stored: not, when its commit was never sent;
        unknown, when the server fell silent after it.
        """
        driver = self._connection()
        progress = _WriteProgress()
        loop = asyncio.get_running_loop()

        async def watched(tx: AsyncManagedTransaction) -> T:
            progress.rows, progress.committing = 0, False  # each attempt anew
            done = await work(
                cast(
                    AsyncManagedTransaction,
                    _WatchedTransaction(tx, deadline, self.timeout_seconds, progress),
                )
            )
            progress.committing = True
            deadline.reschedule(loop.time() + _waits(progress.rows) * self.timeout_seconds)
            return done

        try:
            async with asyncio.timeout(self.timeout_seconds) as deadline:
                with self._errors():
                    async with driver.session(database=self.database) as session:
                        return await session.execute_write(watched)
        except TimeoutError as exc:
            if progress.committing:
                raise StoreUnavailable(
                    f"Neo4j at {self.url} did not confirm a write's commit in time "
                    "(GRAPHSVC_STORE_TIMEOUT_SECONDS): its outcome is unknown, it may have "
                    "been stored; read the data back before repeating it"
                ) from exc
            raise StoreUnavailable(self._silent("a write") + ": the write was not stored") from exc

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
