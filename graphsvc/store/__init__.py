"""Graph stores behind one protocol (``base``), a package each (``sqlite``, ``neo4j``);
``create_store`` picks one from a URL and imports only its package."""

from __future__ import annotations

from graphsvc.config import Settings
from graphsvc.errors import InvalidInput
from graphsvc.store.base import GraphStore

__all__ = ["GraphStore", "create_store"]

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def create_store(settings: Settings) -> GraphStore:
    """The store named by ``settings.store`` (not yet opened).

    ``sqlite:///PATH`` is the embedded store (``sqlite:///:memory:`` is not offered: a store
    must survive the process); ``sqlite:///PATH?timeout=SECONDS`` sets how long a write
    waits for another process's lock before it is refused (default 30); ``neo4j://``,
    ``bolt://`` and their TLS forms are Neo4j.
    """
    url = settings.store
    if url.startswith("sqlite:///"):
        from graphsvc.store.sqlite import SqliteStore

        path, busy_timeout = _sqlite_target(url)
        if path in ("", ":memory:"):
            # Each SQLite thread connection would get its own private, empty database, so
            # every read after the migration would fail with "no such table".
            raise InvalidInput(
                f"store URL {url!r} names no file: a store must survive the process; "
                "use sqlite:///PATH"
            )
        return SqliteStore(path, busy_timeout)
    if url.startswith(NEO4J_SCHEMES):
        from graphsvc.store.neo4j import Neo4jStore

        return Neo4jStore(
            url,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value()
            if settings.neo4j_password
            else None,
            database=settings.neo4j_database,
            timeout_seconds=settings.store_timeout_seconds,
        )
    raise InvalidInput(
        f"unsupported store URL {url!r}: use sqlite:///PATH or neo4j://HOST:7687 (bolt://, neo4j+s://)"
    )


def _sqlite_target(url: str) -> tuple[str, float]:
    """The path and the busy timeout (seconds) of a ``sqlite:///PATH[?timeout=SECONDS]`` URL."""
    from graphsvc.store.sqlite.engine import BUSY_TIMEOUT_SECONDS

    path, _, query = url.removeprefix("sqlite:///").partition("?")
    if not query:
        return path, BUSY_TIMEOUT_SECONDS
    name, _, value = query.partition("=")
    if name != "timeout":
        raise InvalidInput(
            f"store URL {url!r}: unknown parameter {name!r}; sqlite:///PATH takes only "
            "?timeout=SECONDS"
        )
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise InvalidInput(
            f"store URL {url!r}: timeout={value!r} is not a number of seconds in (0, 3600]"
        )
    return path, seconds
