"""``Neo4jTokens``: the Neo4j store's API tokens (a base of ``Neo4jStore``, as
``sqlite/tokens`` is of the SQLite store)."""

from __future__ import annotations

from datetime import datetime

from neo4j import AsyncManagedTransaction

from graphsvc.domain.auth import ApiToken
from graphsvc.store.neo4j.catalog import statement
from graphsvc.store.neo4j.engine import Neo4jEngine
from graphsvc.store.neo4j.rows import token_props

__all__ = ["Neo4jTokens"]


class Neo4jTokens:
    """The token methods of ``GraphStore`` (``_engine`` is the store's)."""

    _engine: Neo4jEngine

    async def save_token(self, token: ApiToken) -> None:
        """Create the token; a reused id or secret hash is a ``Conflict``."""
        await self._engine.run_write(statement("create_token"), props=token_props(token))

    async def tokens(self, workspace: str | None = None) -> list[ApiToken]:
        """Tokens of a workspace (all when ``None``), in creation order."""
        records = await self._engine.read(statement("list_tokens"), workspace=workspace)
        return [ApiToken.model_validate_json(r["data"]) for r in records]

    async def token_by_hash(self, secret_hash: str) -> ApiToken | None:
        """The token with this secret hash, revoked or not."""
        records = await self._engine.read(statement("get_token_by_hash"), secretHash=secret_hash)
        return ApiToken.model_validate_json(records[0]["data"]) if records else None

    async def revoke_token(self, token_id: str, at: datetime) -> bool:
        """Mark the token revoked at ``at`` (an earlier revocation is kept); False if unknown."""

        async def work(tx: AsyncManagedTransaction) -> bool:
            result = await tx.run(statement("get_token"), {"id": token_id})
            record = await result.single()
            if record is None:
                return False
            token = ApiToken.model_validate_json(record["data"])
            if token.revoked_at is None:
                token = token.model_copy(update={"revoked_at": at})
            props = token_props(token)
            update = await tx.run(
                statement("update_token"),
                {"id": token_id, "data": props["data"], "revokedTs": props["revokedTs"]},
            )
            await update.consume()
            return True

        return await self._engine.write(work)
