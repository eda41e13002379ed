"""Driver exceptions to graphsvc errors: the one place that knows the Neo4j driver's errors."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from neo4j import exceptions as neo4j_errors

from graphsvc.errors import Conflict, GraphsvcError, StoreUnavailable

__all__ = ["public_url", "raised_by_driver", "translate_error"]


def public_url(url: str) -> str:
    """The URL without user info, for messages (``neo4j://u:p@h:7687`` → ``neo4j://h:7687``)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def raised_by_driver(exc: BaseException) -> bool:
    """True when the innermost frame of ``exc`` is in the driver (e.g. resolving the URL's
    address), so a ``ValueError`` of our own code is never mistaken for an unusable store."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and str(frame.tb_frame.f_globals.get("__name__", "")).startswith(
        "neo4j."
    )


def translate_error(exc: Exception, url: str, database: str) -> GraphsvcError:
    """The graphsvc error for a driver exception: the one mapping for the Neo4j store."""
    if isinstance(exc, neo4j_errors.AuthError):
        return StoreUnavailable(
            f"Neo4j at {url} refused the credentials: check GRAPHSVC_NEO4J_USER and "
            f"GRAPHSVC_NEO4J_PASSWORD ({exc.message})"
        )
    if isinstance(exc, neo4j_errors.ConstraintError):
        return Conflict(
            f"Neo4j at {url} rejected a write that breaks a uniqueness rule: {exc.message}"
        )
    if isinstance(exc, neo4j_errors.Neo4jError) and exc.code == (
        "Neo.ClientError.Database.DatabaseNotFound"
    ):
        return StoreUnavailable(
            f"Neo4j at {url} has no database {database!r}: create it or set GRAPHSVC_NEO4J_DATABASE"
        )
    if isinstance(exc, neo4j_errors.IncompleteCommit):
        return StoreUnavailable(
            f"Neo4j at {url} lost the connection while committing a write: its outcome is "
            "unknown, it may have been stored; read the data back before repeating it"
        )
    if isinstance(exc, neo4j_errors.ConfigurationError | ValueError):
        return StoreUnavailable(f"cannot use Neo4j at {url}: {exc}")
    if isinstance(
        exc,
        neo4j_errors.ServiceUnavailable
        | neo4j_errors.SessionExpired
        | neo4j_errors.DatabaseUnavailable
        | neo4j_errors.TransientError
        | neo4j_errors.DriverError
        | OSError,
    ):
        return StoreUnavailable(f"Neo4j at {url} is unavailable: {exc}")
    if isinstance(exc, neo4j_errors.Neo4jError):
        return GraphsvcError(f"Neo4j at {url} failed a statement: {exc.code}: {exc.message}")
    return GraphsvcError(f"Neo4j at {url}: {exc!r}")
