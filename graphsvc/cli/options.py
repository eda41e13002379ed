"""The common options of CONTRACT §1 and how they override the environment's settings.

``--store``, ``--workspace``, ``--host`` and ``--port`` may be given before the command
(``graphsvc --store sqlite:///x.db import f.json``) or after it (``graphsvc import f.json
--store sqlite:///x.db``); the later one wins, and either wins over ``GRAPHSVC_*``.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from graphsvc.config import Settings, get_settings

__all__ = ["HostOption", "PortOption", "StoreOption", "WorkspaceOption", "settings_for"]

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="sqlite:///PATH or neo4j://HOST:7687 (default: $GRAPHSVC_STORE or "
        "sqlite:///./graphsvc.db)",
        show_default=False,
    ),
]
WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        help="The workspace (tenant) to act on (default: $GRAPHSVC_WORKSPACE or 'default')",
        show_default=False,
    ),
]
HostOption = Annotated[
    str | None,
    typer.Option(
        "--host", help="Bind address (default: $GRAPHSVC_HOST or 127.0.0.1)", show_default=False
    ),
]
PortOption = Annotated[
    int | None,
    typer.Option(
        "--port",
        min=0,
        max=65535,
        help="Port (default: $GRAPHSVC_PORT or 8000)",
        show_default=False,
    ),
]


def settings_for(ctx: typer.Context, **given: Any) -> Settings:
    """The environment's settings with the options given on the command line applied.

    Options before the command live in ``ctx.obj`` (set by the app callback); options given
    to the command itself are ``given``; ``None`` means "not given".
    """
    update = {k: v for k, v in (ctx.obj or {}).items() if v is not None}
    update.update((k, v) for k, v in given.items() if v is not None)
    return get_settings().model_copy(update=update)
