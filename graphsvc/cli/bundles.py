"""The CSV side of ``import`` and ``export`` (CONTRACT §8): bundles in, bundles out.

``data.import_command`` hands a folder or a ``.zip`` here; ``data.export_command`` hands
``--format csv``. The work is the services' (``services.bundle``); this module reads the
options, draws progress and prints the summary line, like the JSON commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphsvc.cli.collector import collector_paused
from graphsvc.cli.progress import Reporter, counts_text, say
from graphsvc.cli.run import with_services
from graphsvc.config import Settings
from graphsvc.services.bundle import BundleImport, import_bundle, read_source, write_bundle
from graphsvc.services.container import Services, build_services

__all__ = [
    "EncodingOption",
    "MappingOption",
    "SelfOption",
    "export_bundle",
    "import_source",
]

MappingOption = Annotated[
    str | None,
    typer.Option(
        "--mapping",
        help="CSV bundles: a TOML file mapping other files, columns and values onto the "
        "bundle's (see README), or 'salesforce' for Salesforce's Account.csv, Contact.csv "
        "and Opportunity.csv",
        show_default=False,
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="CSV bundles: the files' encoding (default: detected, UTF-8 with or without "
        "BOM, else Shift_JIS/CP932)",
        show_default=False,
    ),
]
SelfOption = Annotated[
    str | None,
    typer.Option(
        "--self",
        help="CSV bundles: the id of the organization that is us; it is imported with kind "
        "SELF (for CRM exports, where every account is a customer)",
        show_default=False,
    ),
]


def import_source(
    settings: Settings,
    source: str,
    mapping: str | None,
    encoding: str | None,
    self_id: str | None,
) -> None:
    """Import the bundle at ``source`` into the settings' workspace and say what was done."""
    from graphsvc.cli.data import import_summary

    services = build_services(settings)  # refuse an unsupported URL before reading the files
    with Reporter() as progress, collector_paused():
        bundle = read_source(
            source, mapping=mapping, encoding=encoding, self_id=self_id, progress=progress
        )

        async def work(opened: Services) -> BundleImport:
            return await import_bundle(opened.graph, settings.workspace, bundle, progress)

        done = with_services(services, work)
        elapsed = progress.elapsed
    say(import_summary(source, settings.workspace, done.document, done.summary, elapsed))


def export_bundle(settings: Settings, output: Path) -> None:
    """Write the settings' workspace as a CSV bundle into the folder ``output``."""
    counts: dict[str, int] = {}
    with Reporter() as progress:

        def track(stage: str, done: int, total: int) -> None:
            counts[stage] = done
            progress(stage, done, total)

        async def work(opened: Services) -> list[Path]:
            return await write_bundle(opened.store, settings.workspace, output, track)

        files = with_services(settings, work)
        elapsed = progress.elapsed
    say(
        f"exported {sum(counts.values()):,} records ({counts_text(counts)}) of workspace "
        f"{settings.workspace!r} as {len(files)} CSV files in {output} in {elapsed:.1f} s"
    )
