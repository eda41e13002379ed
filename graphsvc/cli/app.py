"""The ``graphsvc`` command: one typer app, its commands, and failure handling.

Commands live in small modules (``data``, ``serving``) and sub-apps in their own (``token``
in ``graphsvc.cli.tokens``); adding one is a line here. ``main`` turns every expected
error into one line on stderr and an exit code documented in ``failures``.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.exceptions import TyperException

from graphsvc import __version__
from graphsvc.cli import data, report, retention, serving
from graphsvc.cli.failures import describe, exit_interrupted
from graphsvc.cli.options import HostOption, PortOption, StoreOption, WorkspaceOption
from graphsvc.cli.tokens import app as token_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="graphsvc",
    help="Stakeholder and power-structure graph of enterprise accounts, over GraphQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"graphsvc {__version__}")
        raise typer.Exit


@app.callback()
def common(
    ctx: typer.Context,
    store: StoreOption = None,
    workspace: WorkspaceOption = None,
    host: HostOption = None,
    port: PortOption = None,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Options given before the command apply to it (and may be repeated after it)."""
    ctx.obj = {"store": store, "workspace": workspace, "host": host, "port": port}


app.command("serve")(serving.serve_command)
app.command("demo")(serving.demo_command)
app.command("import")(data.import_command)
app.command("export")(data.export_command)
app.command("generate")(data.generate_command)
app.command("schema")(data.schema)
app.command("migrate")(data.migrate_command)
app.command("compact")(retention.compact_command)
app.command("report")(report.report_command)
app.add_typer(token_app, name="token")


def main(argv: list[str] | None = None) -> None:
    """Run the command line and exit with its status; no traceback for user mistakes.

    Ctrl-C exits 130 quietly wherever it lands, also while a failure is being reported.
    """
    try:
        _run(argv)
    except KeyboardInterrupt:
        exit_interrupted()


def _run(argv: list[str] | None) -> None:
    try:
        result: Any = app(args=argv, prog_name="graphsvc", standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):
        exit_interrupted()
    except TyperException as error:
        # Usage errors: typer shows the usage line and the problem (exit code 2).
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            print(f"error: {error.format_message()}", file=sys.stderr)
        sys.exit(error.exit_code)
    except Exception as error:
        failure = describe(error)
        if failure is None:
            raise
        print(f"error: {failure.message}", file=sys.stderr)
        sys.exit(failure.exit_code)
    sys.exit(result if isinstance(result, int) else 0)
