"""API tokens: issue, list, revoke, and turn a presented secret into a workspace and role.

A token is ``gsv_`` followed by 43 URL-safe characters (256 bits from ``secrets``). The
prefix makes a leaked token recognisable to secret scanners and lets ``api/auth`` reject
garbage without a store round trip. Only the SHA-256 hash of the whole token is stored, so
a copy of the database does not let anyone in; a lookup by hash needs no constant-time
comparison because the attacker does not control which row the hash selects.

The secret exists in memory only while it is issued or checked: it is returned once by
``create`` and never logged (``api/observability`` also scrubs anything shaped like it).

Stale-if-error: a token this process found live in the store is remembered (by its hash,
up to ``VERIFIED_LIMIT``), and accepted from memory only while the store cannot be reached
(``StoreUnavailable``), so that reads the server can still answer (the analytic projection)
keep answering during an outage. That is safe because revoking a token needs the store too:
no revocation can happen while it is down. The one window: a token revoked through another
process just before the outage is accepted here until this process reaches the store again.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from graphsvc.domain.auth import ApiToken, Role
from graphsvc.errors import InvalidInput, NotFound, StoreUnavailable, Unauthenticated
from graphsvc.store.base import GraphStore

__all__ = [
    "TOKEN_PATTERN",
    "TOKEN_PREFIX",
    "IssuedToken",
    "TokenService",
    "hash_secret",
    "looks_like_token",
]

TOKEN_PREFIX = "gsv_"  # noqa: S105 -- the public prefix, not a secret
TOKEN_PATTERN = re.compile(r"gsv_[A-Za-z0-9_-]{43}")
"""The exact shape of a token issued here (``token_urlsafe(32)`` gives 43 characters)."""

WORKSPACE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""Workspace names a token may be issued for: short, printable, safe in logs and URLs."""

Clock = Callable[[], datetime]

VERIFIED_LIMIT = 10_000
"""Most tokens remembered as verified (module docstring); the oldest is forgotten first."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def hash_secret(secret: str) -> str:
    """The stored form of a token: hex SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def looks_like_token(value: str) -> bool:
    """True when ``value`` has the shape of a graphsvc token (no store lookup)."""
    return TOKEN_PATTERN.fullmatch(value) is not None


@dataclass(frozen=True)
class IssuedToken:
    """A newly created token: the stored record and the secret, shown to the user once."""

    token: ApiToken
    secret: str

    def __repr__(self) -> str:
        # A repr that ends up in a log or a traceback must not carry the secret.
        return f"IssuedToken(token={self.token!r}, secret='gsv_…')"


class TokenService:
    """Token administration (CLI, admin mutations) and request authentication (API)."""

    def __init__(self, store: GraphStore, clock: Clock = _utc_now) -> None:
        self.store = store
        self.clock = clock
        self._verified: dict[str, ApiToken] = {}
        """Live tokens by secret hash, as last read from the store (stale-if-error)."""
        self._store_down = False
        """The last token lookup found the store unreachable."""
        self._rechecking: asyncio.Future[None] | None = None

    async def create(
        self, workspace: str, role: Role | str, label: str | None = None
    ) -> IssuedToken:
        """Issue a token for ``workspace`` with ``role``; the secret is in the result only."""
        if WORKSPACE_PATTERN.fullmatch(workspace) is None:
            raise InvalidInput(
                f"workspace {workspace!r} is not a valid name: use 1-64 letters, digits, "
                "'.', '_' or '-', starting with a letter or digit"
            )
        try:
            parsed_role = Role(role)
        except ValueError:
            allowed = ", ".join(r.value for r in Role)
            raise InvalidInput(f"role {role!r} is not one of {allowed}") from None
        if label is not None and len(label) > 200:
            raise InvalidInput("token label is longer than 200 characters")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(
            id="tok_" + secrets.token_hex(8),
            workspace=workspace,
            role=parsed_role,
            secret_hash=hash_secret(secret),
            label=label,
            created_at=self.clock(),
        )
        await self.store.save_token(token)
        return IssuedToken(token=token, secret=secret)

    async def tokens(self, workspace: str | None = None) -> list[ApiToken]:
        """Tokens of ``workspace`` (every workspace when ``None``), revoked ones included."""
        return await self.store.tokens(workspace)

    async def revoke(self, token_id: str, workspace: str | None = None) -> ApiToken:
        """Revoke a token by id; ``NotFound`` if there is none (in ``workspace``, when given).

        Revoking twice is harmless and keeps the first revocation time. An admin of one
        workspace passes its workspace so that it cannot revoke another tenant's tokens.
        """
        existing = {t.id: t for t in await self.store.tokens(workspace)}.get(token_id)
        if existing is None:
            where = f" in workspace {workspace!r}" if workspace is not None else ""
            raise NotFound(f"no token with id {token_id!r}{where}")
        if existing.revoked_at is not None:
            return existing
        at = self.clock()
        if not await self.store.revoke_token(token_id, at):
            raise NotFound(f"no token with id {token_id!r}")
        self._forget(existing.secret_hash)
        return existing.model_copy(update={"revoked_at": at})

    async def check_live(self, token_id: str, workspace: str) -> None:
        """``Unauthenticated`` unless token ``token_id`` of ``workspace`` still works: what a
        long-lived connection (a subscription) asks again, as each HTTP request does.
        While the store is down, a token verified before still works (module docstring)."""
        try:
            token = {t.id: t for t in await self.store.tokens(workspace)}.get(token_id)
        except StoreUnavailable:
            if any(t.id == token_id and t.workspace == workspace for t in self._verified.values()):
                return
            raise
        if token is None or token.revoked_at is not None:
            raise Unauthenticated("unknown or revoked token")

    async def authenticate(self, secret: str) -> ApiToken:
        """The live token ``secret`` belongs to; ``Unauthenticated`` otherwise.

        The messages never repeat the secret, and do not tell an unknown token from a
        revoked one: both simply do not work.
        """
        if not looks_like_token(secret):
            raise Unauthenticated("malformed token: expected 'gsv_' followed by 43 characters")
        digest = hash_secret(secret)
        known = self._verified.get(digest)
        if known is not None and self._store_down:
            # Known unreachable: answer at once, and let one lookup in the background find
            # out when the store is back, so a request pays the store's timeout once (its
            # own reads), not twice.
            self._recheck(digest)
            return known
        try:
            token = await self.store.token_by_hash(digest)
        except StoreUnavailable:
            if known is None:
                raise
            self._store_down = True
            return known  # stale-if-error (module docstring)
        self._store_down = False
        return self._checked(digest, token)

    def _checked(self, digest: str, token: ApiToken | None) -> ApiToken:
        if token is None or token.revoked_at is not None:
            self._forget(digest)
            raise Unauthenticated("unknown or revoked token")
        self._remember(digest, token)
        return token

    def _recheck(self, digest: str) -> None:
        """Look ``digest`` up in the background (one lookup at a time): when the store
        answers, the outage is over and the token's record is refreshed."""
        if self._rechecking is not None and not self._rechecking.done():
            return

        async def lookup() -> None:
            try:
                token = await self.store.token_by_hash(digest)
            except StoreUnavailable:
                return
            self._store_down = False
            with suppress(Unauthenticated):
                self._checked(digest, token)

        self._rechecking = asyncio.ensure_future(lookup())

    def _remember(self, digest: str, token: ApiToken) -> None:
        self._verified.pop(digest, None)
        self._verified[digest] = token
        while len(self._verified) > VERIFIED_LIMIT:
            del self._verified[next(iter(self._verified))]

    def _forget(self, digest: str) -> None:
        self._verified.pop(digest, None)
