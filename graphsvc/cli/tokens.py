"""``graphsvc token create|list|revoke``: local administration of API tokens.

The commands act on the store directly (whoever can open the store file or the Neo4j
database is already its administrator), so they need no token themselves. ``create``
prints the secret as the last line of stdout, once; it cannot be shown again, because
only its hash is stored. ``issue_demo_access`` is what ``graphsvc demo`` calls to give a
first-time user a working token and a GraphiQL link that already carries it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar
from urllib.parse import quote

import typer

from graphsvc.cli.options import StoreOption, settings_for
from graphsvc.cli.run import with_services
from graphsvc.config import Settings
from graphsvc.domain.auth import ApiToken, Role
from graphsvc.services.tokens import TokenService

__all__ = ["DemoAccess", "announce_demo_access", "app", "issue_demo_access"]

DEMO_LABEL = "graphsvc demo"

app = typer.Typer(
    name="token",
    help="Create, list and revoke API tokens (acts on the store directly).",
    no_args_is_help=True,
    add_completion=False,
)

T = TypeVar("T")


def _run(
    ctx: typer.Context, store_url: str | None, work: Callable[[TokenService], Awaitable[T]]
) -> T:
    """Open the store (``--store`` before or after ``token``), run ``work`` with a token service.

    Expected errors propagate to ``graphsvc.cli.main``, which prints one line and exits.
    """
    settings = settings_for(ctx, store=store_url)
    return with_services(settings, lambda opened: work(opened.tokens))


def _workspace(ctx: typer.Context, given: str | None) -> str | None:
    """``--workspace`` after ``token <command>``, else one given before the command, else None.

    CONTRACT §1 lets the common options stand on either side of the command. The
    environment's default workspace is deliberately not applied: a bare ``token list``
    lists every workspace, and ``token create`` must be told which workspace to open.
    """
    if given is not None:
        return given
    before = (ctx.obj or {}).get("workspace")
    return before if isinstance(before, str) else None


def _row(token: ApiToken) -> dict[str, str | None]:
    return {
        "id": token.id,
        "workspace": token.workspace,
        "role": token.role.value,
        "label": token.label,
        "createdAt": token.created_at.isoformat(timespec="seconds"),
        "revokedAt": token.revoked_at.isoformat(timespec="seconds") if token.revoked_at else None,
    }


@app.command()
def create(
    ctx: typer.Context,
    role: Annotated[Role, typer.Option("--role", help="viewer reads; editor writes; admin all")],
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace",
            help="The workspace the token opens (required, here or before the command)",
            show_default=False,
        ),
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="A note on who holds it")] = None,
    store: StoreOption = None,
) -> None:
    """Create a token; its secret is the last line of stdout and is shown only this once."""
    chosen = _workspace(ctx, workspace)
    if chosen is None:
        raise typer.BadParameter(
            "missing; name the workspace the token opens (before or after the command)",
            ctx=ctx,
            param_hint="'--workspace'",
        )
    issued = _run(ctx, store, lambda tokens: tokens.create(chosen, role, label))
    typer.echo(
        f"created token {issued.token.id} ({issued.token.role.value} of workspace "
        f"{issued.token.workspace!r}); store the secret now, it is not shown again:",
        err=True,
    )
    typer.echo(issued.secret)


@app.command("list")
def list_tokens(
    ctx: typer.Context,
    workspace: Annotated[
        str | None, typer.Option("--workspace", help="Only this workspace's tokens")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array")] = False,
    store: StoreOption = None,
) -> None:
    """List tokens (never their secrets), revoked ones included."""
    chosen = _workspace(ctx, workspace)
    found = _run(ctx, store, lambda tokens: tokens.tokens(chosen))
    rows = [_row(t) for t in found]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no tokens", err=True)
        return
    for token in found:
        status = f"revoked {token.revoked_at:%Y-%m-%dT%H:%M:%S}" if token.revoked_at else "active"
        created = f"{token.created_at:%Y-%m-%dT%H:%M:%S}"
        fields = (token.id, token.workspace, token.role.value, status, created, token.label or "")
        typer.echo("\t".join(fields))


@app.command()
def revoke(
    ctx: typer.Context,
    token_id: Annotated[str, typer.Argument(help="The token id shown by 'token list'")],
    store: StoreOption = None,
) -> None:
    """Revoke a token: requests carrying it get 401 from now on."""
    revoked = _run(ctx, store, lambda tokens: tokens.revoke(token_id))
    typer.echo(f"revoked token {revoked.id} of workspace {revoked.workspace!r}", err=True)


@dataclass(frozen=True)
class DemoAccess:
    """A ready token for the demo workspace, a GraphiQL link that sends it, and a console link
    that signs in with it."""

    token: str
    graphiql_url: str
    console_url: str

    def __repr__(self) -> str:
        return "DemoAccess(token='gsv_…', graphiql_url='…', console_url='…')"


async def issue_demo_access(
    tokens: TokenService, settings: Settings, console_path: str = "/app/"
) -> DemoAccess:
    """Revoke earlier demo tokens of the workspace and issue a fresh editor token.

    The GraphiQL link puts the ``Authorization`` header into GraphiQL's ``headers`` URL
    parameter, so the page works at once. The console link (to ``console_path``) carries it
    as ``#token=…``: a fragment never reaches the server, and the console stores it and drops
    it from the address. The token travels in these URLs only on the loopback machine the
    demo runs on, and the request logs never record query strings.
    """
    for old in await tokens.tokens(settings.workspace):
        if old.label == DEMO_LABEL and old.revoked_at is None:
            await tokens.revoke(old.id)
    issued = await tokens.create(settings.workspace, Role.EDITOR, DEMO_LABEL)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    headers = json.dumps({"Authorization": f"Bearer {issued.secret}"})
    url = f"http://{host}:{settings.port}/graphql?headers={quote(headers, safe='')}"
    console = f"http://{host}:{settings.port}{console_path}#token={quote(issued.secret, safe='')}"
    return DemoAccess(token=issued.secret, graphiql_url=url, console_url=console)


def announce_demo_access(access: DemoAccess) -> None:
    """Tell the demo user how to get in: the link on stderr, the token as a stdout line."""
    print(
        "GraphiQL with the demo token preset:\n  " + access.graphiql_url + "\n"
        "The console, signed in with the demo token:\n  " + access.console_url + "\n"
        "The editor token for scripts (Authorization: Bearer <token>) follows on stdout.",
        file=sys.stderr,
    )
    print(access.token, flush=True)
