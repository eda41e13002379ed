"""The per-request GraphQL context, and the one place that decides a request's workspace.

The workspace and role come from the request's ``Principal``, which ``api.auth`` derived
from the Bearer token before GraphQL saw the request: the token alone decides the tenant.
"""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from fastapi import Request
from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext

from graphsvc.api.auth import ANONYMOUS, Principal, has_principal, principal_of
from graphsvc.api.graphql.loaders import Loaders, create_loaders
from graphsvc.domain.auth import Role
from graphsvc.domain.history import LOCAL_ACTOR
from graphsvc.services.container import Services

__all__ = [
    "GraphContext",
    "Info",
    "create_context",
    "get_context",
    "request_workspace",
    "sign_in",
]


@dataclass
class GraphContext(BaseContext):
    """What every resolver may use: the caller's workspace and role, the services, loaders."""

    workspace: str
    services: Services
    loaders: Loaders
    role: Role = Role.ADMIN
    actor: str = LOCAL_ACTOR
    """Who writes, for the change log: the token's id, or ``local`` with authentication off."""
    token_id: str | None = None
    """The caller's token (None with authentication off): a subscription checks it again."""

    def __post_init__(self) -> None:
        # BaseContext sets request/response/background_tasks; the router fills them in.
        BaseContext.__init__(self)


Info = strawberry.Info[GraphContext, None]
"""The ``info`` argument of every resolver."""


def create_context(
    services: Services, workspace: str, role: Role = Role.ADMIN, actor: str = LOCAL_ACTOR
) -> GraphContext:
    """A context with fresh loaders (also for running the schema outside HTTP)."""
    return GraphContext(
        workspace=workspace,
        services=services,
        loaders=create_loaders(services.graph, workspace),
        role=role,
        actor=actor,
    )


async def request_workspace(request: Request) -> str:
    """The workspace this request works in: the one its token opens (``api.auth``)."""
    return principal_of(request).workspace


async def get_context(connection: HTTPConnection) -> GraphContext:
    """Strawberry's ``context_getter``: one context, with new loaders, per HTTP request or
    WebSocket connection.

    A WebSocket whose upgrade carried no token gets a context that can see nothing (the
    anonymous principal: no workspace, read-only) until its ``connection_init`` message is
    authenticated (``api.websocket`` then calls ``sign_in``).
    """
    services: Services = connection.app.state.services
    if connection.scope["type"] == "websocket" and not has_principal(connection):
        principal = ANONYMOUS
    else:
        principal = principal_of(connection)
    actor = principal.token_id or LOCAL_ACTOR
    context = create_context(services, principal.workspace, principal.role, actor)
    context.token_id = principal.token_id
    return context


def sign_in(context: GraphContext, principal: Principal) -> None:
    """Make ``context`` (a WebSocket connection's) act for ``principal``, with new loaders."""
    context.workspace = principal.workspace
    context.role = principal.role
    context.actor = principal.token_id or LOCAL_ACTOR
    context.token_id = principal.token_id
    context.loaders = create_loaders(context.services.graph, principal.workspace)
