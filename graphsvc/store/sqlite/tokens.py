"""``TokenRecords``: the SQLite store's API tokens (table ``tokens``, one JSON doc a row)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from graphsvc.domain.auth import ApiToken
from graphsvc.store.sqlite.reads import EngineReads
from graphsvc.store.sqlite.rows import token_row
from graphsvc.store.sqlite.write import transaction

__all__ = ["TokenRecords"]


class TokenRecords(EngineReads):
    """The token methods of ``GraphStore`` over SQLite."""

    async def save_token(self, token: ApiToken) -> None:
        """Store a new token durably; ``Conflict`` if its id or secret hash is taken."""
        await self._engine.write(
            lambda c: c.execute(
                "INSERT INTO tokens (id, workspace, secret_hash, created_ts, doc) "
                "VALUES (?, ?, ?, ?, ?)",
                token_row(token),
            )
        )

    async def tokens(self, workspace: str | None = None) -> list[ApiToken]:
        """Tokens of one workspace (all when ``None``), revoked ones included, by creation."""
        if workspace is None:
            rows = await self._all("SELECT doc FROM tokens ORDER BY created_ts, id", ())
        else:
            rows = await self._all(
                "SELECT doc FROM tokens WHERE workspace = ? ORDER BY created_ts, id", (workspace,)
            )
        return [ApiToken.model_validate_json(row[0]) for row in rows]

    async def token_by_hash(self, secret_hash: str) -> ApiToken | None:
        """The token whose secret hashes to ``secret_hash``, revoked or not."""
        # Every authenticated request asks this: a point read, on the calling thread. Not
        # cached, so that a revocation by any process (the CLI, another worker) holds at once.
        row = await self._engine.read_point(
            lambda c: c.execute(
                "SELECT doc FROM tokens WHERE secret_hash = ?", (secret_hash,)
            ).fetchone()
        )
        return ApiToken.model_validate_json(row[0]) if row else None

    async def revoke_token(self, token_id: str, at: datetime) -> bool:
        """Mark a token revoked at ``at`` (a second revocation keeps the first time)."""

        def revoke(c: sqlite3.Connection) -> bool:
            def work() -> bool:
                row = c.execute("SELECT doc FROM tokens WHERE id = ?", (token_id,)).fetchone()
                if row is None:
                    return False
                token = ApiToken.model_validate_json(row[0])
                if token.revoked_at is None:
                    revoked = token.model_copy(update={"revoked_at": at})
                    c.execute(
                        "UPDATE tokens SET doc = ? WHERE id = ?",
                        (revoked.model_dump_json(), token_id),
                    )
                return True

            return transaction(c, work)

        return await self._engine.write(revoke)
