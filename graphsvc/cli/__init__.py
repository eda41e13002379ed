"""The ``graphsvc`` command line (CONTRACT §1); ``main`` is the console script's entry point
(the typer app is ``graphsvc.cli.app.app``).

This module stays light: ``main`` imports the commands (typer, pydantic, the services: seconds
on a loaded machine) under its own Ctrl-C guard, so an interrupt during start-up exits 130
quietly like one during the command, instead of a traceback from whichever import it hit.
"""

from __future__ import annotations

from graphsvc.cli.failures import exit_interrupted

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Run the command line (``graphsvc.cli.app.main``), loading it under the Ctrl-C guard."""
    try:
        from graphsvc.cli.app import main as run
    except KeyboardInterrupt:
        exit_interrupted()
    run(argv)
