"""API tokens and roles: who may read, write or administer a workspace."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """viewer reads; editor also writes and imports; admin also manages tokens."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """True when this role includes everything ``needed`` may do."""
        order = [Role.VIEWER, Role.EDITOR, Role.ADMIN]
        return order.index(self) >= order.index(needed)


class ApiToken(BaseModel):
    """A stored token: only the SHA-256 hash of the secret is kept, never the secret."""

    model_config = ConfigDict(frozen=True)

    id: str
    workspace: str
    role: Role
    secret_hash: str
    label: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None
