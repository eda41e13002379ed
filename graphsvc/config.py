"""Settings from the environment (prefix ``GRAPHSVC_``), one cached instance per process."""

from __future__ import annotations

from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STORE = "sqlite:///./graphsvc.db"


class Settings(BaseSettings):
    """Everything configurable, named as in CONTRACT §2; CLI options override these."""

    model_config = SettingsConfigDict(env_prefix="GRAPHSVC_", extra="ignore")

    store: str = DEFAULT_STORE
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    host: str = "127.0.0.1"
    port: int = 8000
    workspace: str = "default"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
