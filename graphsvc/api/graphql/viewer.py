"""``viewer``: who the caller is to the API, so a front end can offer only what they may do.

The console hides its editing controls from a viewer token instead of letting every save be
refused; any tool on the API can do the same. Nothing secret is returned: the token's id (the
actor the change log records), its role and its workspace, all of which the caller's own
token already determines.
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from enum import Enum

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.domain.auth import Role

__all__ = ["ViewerQuery"]


@strawberry.enum(
    description="What a token may do: read; also write and import; also manage tokens."
)
class AccessRole(Enum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


@strawberry.type(description="The caller, as the API sees them (see Query.viewer).")
class Viewer:
    workspace: str = strawberry.field(description="The workspace the caller's token opens.")
    role: AccessRole = strawberry.field(
        description="The token's role (ADMIN with authentication off)."
    )
    token_id: str | None = strawberry.field(
        description="The token's id, which the change log records as the actor of the "
        "caller's writes; null with authentication off (the actor is then `local`)."
    )
    can_write: bool = strawberry.field(
        description="True when the role allows mutations (EDITOR or ADMIN); a VIEWER's "
        "mutations are refused with FORBIDDEN."
    )


@strawberry.type
class ViewerQuery:
    @strawberry.field(
        description="Who the caller is: workspace, role and token id, so a front end offers "
        "only what the caller may do (the console hides its editing controls from viewers). "
        "Not in CONTRACT §4."
    )
    async def viewer(self, info: Info) -> Viewer:
        ctx = info.context
        return Viewer(
            workspace=ctx.workspace,
            role=AccessRole(ctx.role.value),
            token_id=ctx.token_id,
            can_write=ctx.role.allows(Role.EDITOR),
        )
