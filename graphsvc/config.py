"""Settings from the environment (prefix ``GRAPHSVC_``), one cached instance per process."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STORE = "sqlite:///./graphsvc.db"

MAX_WORKERS = 64
"""The most worker processes ``--workers`` accepts: each holds a projection per workspace."""

SERVED_SETTINGS_ENV = "_GRAPHSVC_SERVED_SETTINGS"
"""Where ``graphsvc serve --workers N`` hands its settings (the environment's, with the
command line's options applied) to the worker processes, as JSON: uvicorn starts each worker
as a fresh interpreter that imports the app by name, so the environment is the one way in.
Outside the ``GRAPHSVC_`` prefix so that ``Settings`` never reads it as a field."""

SNAPSHOT_SAVER_ENV = "_GRAPHSVC_SAVES_SNAPSHOTS"
"""``0`` in the workers of ``graphsvc serve --workers N`` that load the projection snapshots
but leave saving them to the first worker (``api.workers``)."""


class Settings(BaseSettings):
    """Everything configurable, named as in CONTRACT §2; CLI options override these."""

    model_config = SettingsConfigDict(env_prefix="GRAPHSVC_", extra="ignore")

    store: str = DEFAULT_STORE
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    store_timeout_seconds: float = Field(default=10.0, gt=0, le=3600)
    """The longest one step of the store (a read, a page of a stream, a write's statement or
    commit) waits for Neo4j before the request gets ``STORE_UNAVAILABLE``: a server that is
    down or frozen is reported within it rather than hanging requests (issue 16)."""
    host: str = "127.0.0.1"
    port: int = 8000
    workspace: str = "default"
    workers: int = Field(default=1, ge=1, le=MAX_WORKERS)
    """Processes of ``graphsvc serve``/``demo`` over the one store, each with its own projection."""

    # --- security and limits (issue 5); defaults are the safe choice --------------------
    auth: Literal["on", "off"] = "on"
    """``off`` serves every request as admin of ``workspace``; allowed only on loopback."""
    introspection: bool = True
    graphiql: bool = True
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2000
    max_cost: int = 20000
    """Budget of the cost estimate in ``api/limits/cost`` (page sizes multiply down the tree)."""
    max_page_size: int = 500
    """The largest ``first`` a connection accepts."""
    analytic_cost: int = 1000
    """Base cost of one analytic field (contactRoutes, powerMap, …)."""
    max_body_bytes: int = 5_000_000
    """Largest accepted HTTP request body (413 beyond); imports of big documents use the CLI."""
    analytic_timeout_seconds: float = 20.0
    token_budget: int = Field(default=50_000, ge=0)
    """Cost points each token may spend per minute (CONTRACT §11): a bucket of this many
    points refilling continuously (``api.limits.budget``); 0 turns budgets off."""
    cors_origins: str = ""
    """Comma-separated browser origins allowed to call ``/graphql`` (CONTRACT §10); empty:
    same-origin only. Checked (exact ``scheme://host[:port]``, no ``*``) by ``api.cors``."""
    persisted_query_cache_size: int = Field(default=1000, ge=0)
    """Query texts kept for Automatic Persisted Queries per server process (LRU); 0: off."""
    analytic_queue_limit: int = Field(default=64, ge=0)
    """Analytic computations that may wait for the analytic worker; beyond, one is refused
    at once with ``extensions.code = OVERLOADED`` (0: refused whenever one is running)."""
    warm_start: bool = True
    """Build every workspace's projection in the background when the server starts
    (``/readyz`` answers 503 until done); requests meanwhile wait for the build."""
    projection_snapshots: bool = True
    """Start each workspace's projection from the snapshot saved in the store, caught up
    from the change log, instead of a full build; ``serve`` saves one after its start-up
    builds and at shutdown (issue 14, item 4)."""
    log_level: str = "INFO"
    log_json: bool = True


def settings_to_json(settings: Settings) -> str:
    """``settings`` as JSON that ``settings_from_json`` reads back equal, secrets included
    (the JSON goes to this user's own worker processes, never to a log)."""
    values = settings.model_dump(mode="json")
    for name, value in settings:
        if isinstance(value, SecretStr):
            values[name] = value.get_secret_value()
    return json.dumps(values)


def settings_from_json(text: str) -> Settings:
    """The settings ``settings_to_json`` wrote, validated again."""
    return Settings.model_validate(json.loads(text))


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
