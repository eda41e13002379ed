"""The ``graphsvc`` command line (CONTRACT §1); ``main`` is the console script's entry point
(the typer app is ``graphsvc.cli.app.app``).

This module stays light: ``main`` imports the commands (typer, pydantic, the services: seconds
on a loaded machine) under its own Ctrl-C guard, so an interrupt during start-up exits 130
quietly like one during the command, instead of a traceback from whichever import it hit.
"""

from __future__ import annotations

from graphsvc.cli.collector import collector_paused
from graphsvc.cli.failures import exit_interrupted

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Run the command line (``graphsvc.cli.app.main``), loading it under the Ctrl-C guard.

    The modules load with the cyclic collector paused: they create hundreds of thousands
    of long-lived objects and no garbage, and its passes over them were about a tenth of the
    loading's CPU time (issue 14, item 4: every command, and a server's start, load them).
    """
    try:
        with collector_paused():
            from graphsvc.cli.app import main as run
    except KeyboardInterrupt:
        exit_interrupted()
    run(argv)
