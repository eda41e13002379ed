"""The ``graphsvc`` command line (CONTRACT §1); ``main`` is the console script's entry point.

This module stays light: ``main`` imports the commands (typer, pydantic, the services: seconds
on a loaded machine) under its own Ctrl-C guard, so an interrupt during start-up exits 130
quietly like one during the command, instead of a traceback from whichever import it hit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphsvc.cli.failures import exit_interrupted

if TYPE_CHECKING:
    from graphsvc.cli.app import app

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the command line (``graphsvc.cli.app.main``), loading it under the Ctrl-C guard."""
    try:
        from graphsvc.cli.app import main as run
    except KeyboardInterrupt:
        exit_interrupted()
    run(argv)


def __getattr__(name: str) -> Any:
    """``app`` (the typer app) is loaded on first use, like the commands."""
    if name == "app":
        from graphsvc.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
