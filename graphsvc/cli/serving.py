"""The serving commands: ``serve`` (the API) and ``demo`` (load the demo group, then serve).

Both check the port (``ports``) and the store before starting uvicorn, so that a busy port,
an unreachable store or a missing schema is one line and a non-zero exit instead of a server
that starts and then fails.
"""

from __future__ import annotations

import gc
import textwrap
from typing import Annotated

import typer

from graphsvc.cli.budget import TokenBudgetOption, checked_token_budget
from graphsvc.cli.collector import collector_paused
from graphsvc.cli.options import HostOption, PortOption, StoreOption, WorkspaceOption, settings_for
from graphsvc.cli.ports import ListenProblem, check_listenable
from graphsvc.cli.progress import Reporter, counts_text, say
from graphsvc.cli.run import with_services
from graphsvc.config import MAX_WORKERS, Settings
from graphsvc.services.container import Services

__all__ = ["CorsOriginsOption", "WorkersOption", "demo_command", "serve_command"]

WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        max=MAX_WORKERS,
        help="Worker processes over the one store, each with its own projection "
        "(default: $GRAPHSVC_WORKERS or 1; about one per core)",
        show_default=False,
    ),
]

CorsOriginsOption = Annotated[
    str | None,
    typer.Option(
        "--cors-origins",
        help="Comma-separated browser origins (scheme://host[:port]) whose pages may call "
        "/graphql (default: $GRAPHSVC_CORS_ORIGINS or none: same-origin only)",
        show_default=False,
    ),
]


def _listenable_settings(ctx: typer.Context) -> Settings:
    """The settings of ``serve`` and ``demo`` with their options applied, once their port is
    known to be free (a busy port is one error line before anything is loaded).

    The options are read from ``ctx.params`` (click's parsed values, named as the
    ``Settings`` fields they set), so both commands take the same listening options without
    forwarding each one by name.
    """
    settings = settings_for(ctx, **ctx.params)
    checked_token_budget(settings)
    check_listenable(settings.host, settings.port)
    return settings


def _url(settings: Settings, path: str) -> str:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}{path}"


def _serve(settings: Settings) -> None:
    if settings.workers > 1:
        _serve_workers(settings)
        return
    with collector_paused():  # as for the CLI's own modules (``graphsvc.cli.main``)
        import uvicorn
        from uvicorn.config import STARTUP_FAILURE

        from graphsvc.api.app import create_app
        from graphsvc.cli.workers import SERVER_OPTIONS

        app = create_app(settings, serving=True)
        # The modules and the app live as long as this process: set them aside from the
        # collector now (``gc.freeze`` moves them, walking nothing), instead of letting the
        # first allocation after the pause walk all ~180,000 of them (0.05 s before the
        # server listens) and the start-up's full collection walk them again
        # (``api.collector``, bench/README.md "Cold start, round three").
        gc.freeze()
    say(
        f"serving workspace {settings.workspace!r} of {settings.store} at "
        f"{_url(settings, '/graphql')} (health: {_url(settings, '/healthz')}); Ctrl-C stops"
    )
    from graphsvc.api.observability.log import configure_logging

    configure_logging(settings)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, **SERVER_OPTIONS)
    except SystemExit as stopped:
        if stopped.code == STARTUP_FAILURE:  # e.g. the port was taken since the check
            raise ListenProblem(
                f"could not start serving on port {settings.port} of {settings.host} "
                "(the log above says why)"
            ) from None
        raise


def _serve_workers(settings: Settings) -> None:
    from graphsvc.api.observability.log import configure_logging
    from graphsvc.cli.workers import serve_workers

    say(
        f"serving workspace {settings.workspace!r} of {settings.store} at "
        f"{_url(settings, '/graphql')} (health: {_url(settings, '/healthz')}) with "
        f"{settings.workers} worker processes; Ctrl-C stops them all"
    )
    configure_logging(settings)  # the supervisor's lines; each worker sets up its own
    serve_workers(settings)


def serve_command(
    ctx: typer.Context,
    store: StoreOption = None,
    workspace: WorkspaceOption = None,
    host: HostOption = None,
    port: PortOption = None,
    workers: WorkersOption = None,
    cors_origins: CorsOriginsOption = None,
    token_budget: TokenBudgetOption = None,
) -> None:
    """Serve the GraphQL API at /graphql (GraphiQL in a browser) and health at /healthz."""
    settings = _listenable_settings(ctx)  # the options above, through ctx.params

    async def check(opened: Services) -> None:
        await opened.store.ping()

    with_services(settings, check)
    _serve(settings)


def demo_command(
    ctx: typer.Context,
    store: StoreOption = None,
    workspace: WorkspaceOption = None,
    host: HostOption = None,
    port: PortOption = None,
    workers: WorkersOption = None,
    cors_origins: CorsOriginsOption = None,
    token_budget: TokenBudgetOption = None,
) -> None:
    """Load the demo enterprise group into the store (idempotent), then serve it."""
    from graphsvc.cli.tokens import DemoAccess, announce_demo_access, issue_demo_access
    from graphsvc.demo import (
        DEMO_HOLDING,
        DEMO_PEOPLE,
        DEMO_SEED,
        DEMO_TODAY,
        EXAMPLE_QUERIES,
        demo_document,
    )
    from graphsvc.services.graph import ImportSummary
    from graphsvc.services.parsing import parse_document

    settings = _listenable_settings(ctx)  # the options above, through ctx.params
    # The demo's pages count days to the demo world's today (the console keeps it per tab).
    console_path = f"/app/organizations/{DEMO_HOLDING}?asOf={DEMO_TODAY.isoformat()}"
    with Reporter() as progress:
        document = parse_document(demo_document())

        async def load(opened: Services) -> tuple[ImportSummary, DemoAccess | None]:
            summary = await opened.graph.import_document(settings.workspace, document, progress)
            access = (
                await issue_demo_access(opened.tokens, settings, console_path)
                if settings.auth == "on"
                else None
            )
            return summary, access

        summary, access = with_services(settings, load)
        elapsed = progress.elapsed
    where = f"workspace {settings.workspace!r} of {settings.store}"
    if summary.applied:
        say(
            f"loaded the demo group (seed {DEMO_SEED}, about {DEMO_PEOPLE:,} people) into "
            f"{where}: {counts_text(summary.counts)} in {elapsed:.1f} s"
        )
    else:
        say(f"the demo group is already loaded in {where} (version {summary.version})")
    say(
        f"The demo world's today is {DEMO_TODAY.isoformat()}: pass asOf: "
        f'"{DEMO_TODAY.isoformat()}" to date-relative queries '
        "(whitespace, coverage, displacementWindows)."
    )
    say("\nQueries to try in GraphiQL:")
    for number, example in enumerate(EXAMPLE_QUERIES, start=1):
        say(f"\n{number}. {example.title}\n{textwrap.indent(example.query, '   ')}")
    say("")
    if access is not None:
        announce_demo_access(access)
    else:
        say(f"GraphiQL: {_url(settings, '/graphql')}")
        say(f"Console: {_url(settings, console_path)}")
    _serve(settings)
