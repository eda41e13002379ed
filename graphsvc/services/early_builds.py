"""Projection builds that ``graphsvc serve`` starts before it imports the API (issue 14, item 4).

Why: from process spawn, a server's first analytic answer waited for the API's imports
(FastAPI, Strawberry, the schema: most of a second) and only then started the build of its
projection (another second and more at 100k people). ``EarlyBuilds`` starts that build in
a thread of its own as the command's first step, over a store of its own (opened, pinged,
read, closed in the thread's own event loop), while the main thread imports and starts the
API; SQLite's reads release the GIL, so they overlap the imports.

It is the same build the start-up warm build (``ProjectionCache.warm_up``) would make, and
handed to it: the cache takes a workspace's early projection (``claim``) instead of streaming
its own, with the version the build started from, and applies the same checks as to its
own builds (the writes announced meanwhile replayed, the store's version compared after;
a write from elsewhere makes it build again). Requests in the meantime wait for it as they
wait for any build, and ``/readyz`` says "starting" until it is done.

Any failure of an early build leaves the workspace to the cache's own build; ``stop`` ends
the thread (cancelling a build under way) and closes its store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from concurrent.futures import Future, InvalidStateError
from typing import Any, NamedTuple

from graphsvc.analytics.projection import Projection
from graphsvc.config import Settings
from graphsvc.services.projection_build import stream_projection
from graphsvc.store import create_store

__all__ = ["EarlyBuilds", "EarlyProjection"]

log = logging.getLogger(__name__)


class EarlyProjection(NamedTuple):
    """An early build: the store's version before it streamed, and what it read."""

    version_before: int
    projection: Projection


class EarlyBuilds:
    """The projections of every workspace of the store ``settings`` name, built in a thread
    from the moment ``start`` is called, for the server's warm start to ``claim``."""

    def __init__(self, settings: Settings) -> None:
        """Refuses an unsupported store URL at once (``create_store``); nothing connects
        before ``start``."""
        self._store = create_store(settings)
        self._opened: Future[None] = Future()
        self._built: Future[dict[str, Future[EarlyProjection]]] = Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="graphsvc-early-build", daemon=True)

    def start(self) -> EarlyBuilds:
        """Start the thread: open the store, then build each workspace in turn."""
        self._thread.start()
        return self

    def check_store(self, timeout: float | None = None) -> None:
        """Wait until the store is open and answers; raise what opening it raised (the
        ``serve`` command's check of the store, before it listens)."""
        self._opened.result(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every early build is done (or failed) and the thread has let its store
        go; False if ``timeout`` seconds passed first (tests and benchmarks)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    async def claim(self, workspace: str) -> EarlyProjection | None:
        """The early build of ``workspace`` once done, or None when there is none to take
        (the workspace did not exist when the thread listed them, its build failed or was
        stopped, or it was claimed already). Each build is handed out once."""
        # Shielded, here and below: a caller cancelled while waiting (the server stopping)
        # must not cancel the thread's futures, which other callers may still wait for.
        try:
            builds = await asyncio.shield(asyncio.wrap_future(self._built))
        except asyncio.CancelledError:
            raise
        except Exception:
            return None
        found = builds.pop(workspace, None)
        if found is None:
            return None
        try:
            return await asyncio.shield(asyncio.wrap_future(found))
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("workspace %r: early projection build failed: %s", workspace, error)
            return None

    def stop(self) -> None:
        """Cancel a build under way, close the thread's store and wait for the thread."""
        if not self._thread.is_alive():
            return
        self._ready.wait()
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed as the thread ended
                loop.call_soon_threadsafe(task.cancel)
        self._thread.join()

    # --- the thread ---------------------------------------------------------------------

    def _run(self) -> None:
        try:
            with asyncio.Runner() as runner:
                self._loop = runner.get_loop()
                # Failures are handed to the futures (and so to ``check_store`` and ``claim``).
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    runner.run(self._build_all())
        finally:
            self._ready.set()
            _settle(self._opened, RuntimeError("the early projection build was stopped"))
            _settle(self._built, RuntimeError("the early projection build was stopped"))

    async def _build_all(self) -> None:
        self._task = asyncio.current_task()
        self._ready.set()
        store = self._store
        try:
            await store.open()
            try:
                await store.ping()
            except BaseException:
                await store.close()
                raise
        except BaseException as error:
            _settle(self._opened, error)
            raise
        _settle(self._opened, None)
        try:
            names = await store.workspaces()
            builds: dict[str, Future[EarlyProjection]] = {name: Future() for name in names}
            _settle(self._built, dict(builds))
            for name, build in builds.items():
                try:
                    started = time.perf_counter()
                    before = await store.version(name)
                    projection = await stream_projection(store, name)
                except asyncio.CancelledError as error:
                    for left in builds.values():
                        _settle(left, error)
                    raise
                except Exception as error:
                    _settle(build, error)
                    continue
                log.info(
                    "workspace %r: early projection build read version %d (%.3f s)",
                    name,
                    before,
                    time.perf_counter() - started,
                )
                _settle(build, EarlyProjection(before, projection))
        except Exception as error:
            log.warning("early projection builds stopped: %s", error)
            _settle(self._built, error)
        finally:
            await store.close()


def _settle(future: Future[Any], outcome: object) -> None:
    """Give ``future`` its result (an exception when ``outcome`` is one), unless it has one."""
    if isinstance(outcome, asyncio.CancelledError):
        outcome = RuntimeError("the early projection build was stopped")
    with contextlib.suppress(InvalidStateError):  # settled already
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
