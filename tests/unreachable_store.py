"""A real SQLite store made to fail like an unreachable one (``StoreUnavailable``) on
demand, for tests of what graphsvc still answers during a store outage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from graphsvc.domain.auth import ApiToken
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Entity
from graphsvc.errors import StoreUnavailable
from graphsvc.store.sqlite import SqliteStore

__all__ = ["Unreachable"]


class Unreachable(SqliteStore):
    """A real SQLite store whose token lookups and version checks fail while ``down``,
    as an unreachable store's do; counts the lookups that reached it."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.down = False
        self.calls: Counter[str] = Counter()

    def _reach(self, what: str) -> None:
        self.calls[what] += 1
        if self.down:
            raise StoreUnavailable(f"store {self.url} is unreachable (test)")

    async def token_by_hash(self, secret_hash: str) -> ApiToken | None:
        self._reach("token_by_hash")
        return await super().token_by_hash(secret_hash)

    async def version(self, workspace: str) -> int:
        self._reach("version")
        return await super().version(workspace)

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        self._reach("get")
        return await super().get(workspace, kind, ids)
