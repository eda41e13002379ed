"""The data commands: import, export, generate, schema, migrate.

Each is thin: it resolves settings, reads or writes the streams, and calls one service or
store function. Stdout carries only the data; progress and the summary go to stderr.
"""

from __future__ import annotations

import asyncio
import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from graphsvc.cli.bundles import (
    EncodingOption,
    MappingOption,
    SelfOption,
    export_bundle,
    import_source,
)
from graphsvc.cli.collector import collector_paused
from graphsvc.cli.failures import FileProblem
from graphsvc.cli.memory import release_freed_memory
from graphsvc.cli.options import StoreOption, WorkspaceOption, settings_for
from graphsvc.cli.progress import Reporter, counts_text, say
from graphsvc.cli.run import with_services
from graphsvc.domain.models import GraphDocument
from graphsvc.errors import InvalidDocument, InvalidInput, Issue
from graphsvc.services.bundle import is_bundle
from graphsvc.services.container import Services, build_services
from graphsvc.services.graph import ImportSummary
from graphsvc.services.json_document import read_valid_json
from graphsvc.services.parsing import decode_json, read_document

__all__ = [
    "ExportFormat",
    "export_command",
    "generate_command",
    "import_command",
    "migrate_command",
    "schema",
]


class ExportFormat(StrEnum):
    """What ``graphsvc export`` writes."""

    JSON = "json"
    CSV = "csv"


def read_input(file: str) -> bytes:
    """The bytes of ``file``, or of stdin for ``-``."""
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except OSError as error:
        raise FileProblem(file, error) from None


def import_command(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="A graph document (JSON; - reads stdin), or a CSV bundle: a folder or a .zip",
        ),
    ],
    store: StoreOption = None,
    workspace: WorkspaceOption = None,
    mapping: MappingOption = None,
    encoding: EncodingOption = None,
    self_id: SelfOption = None,
) -> None:
    """Import a graph document or a CSV bundle: an atomic upsert, all of it or (on any
    error) nothing."""
    settings = settings_for(ctx, store=store, workspace=workspace)
    if is_bundle(file):
        import_source(settings, file, mapping, encoding, self_id)
        return
    if mapping is not None or encoding is not None or self_id is not None:
        given = "--mapping" if mapping else "--encoding" if encoding else "--self"
        raise InvalidInput(f"{given} applies to CSV bundles (a folder or a .zip), not to {file}")
    services = build_services(settings)  # refuse an unsupported URL before reading a large file
    source = "<stdin>" if file == "-" else file
    with Reporter() as progress, collector_paused():
        progress("read", 0, 1)
        raw = read_input(file)
        progress("read", 1, 1)
        # A valid document is read straight into records; any other is decoded and read
        # again, its record problems reported together with the write path's cross-record ones.
        document = read_valid_json(raw) or read_document(_decode(raw, source))
        del raw  # the bytes are not needed once parsed (300 MB for a million people)
        release_freed_memory()  # the JSON reader's parse tree (cli/memory.py)

        async def work(opened: Services) -> ImportSummary:
            return await opened.graph.import_document(settings.workspace, document, progress)

        summary = with_services(services, work)
        elapsed = progress.elapsed
    say(import_summary(source, settings.workspace, document.document, summary, elapsed))


def _decode(raw: bytes, source: str) -> Any:
    """The JSON in ``raw``; a syntax error names ``source`` (the file, or ``<stdin>``)."""
    try:
        return decode_json(raw)
    except InvalidDocument as error:
        raise InvalidDocument(
            [Issue(source, "", issue.message) for issue in error.issues]
        ) from None


def import_summary(
    source: str, workspace: str, document: GraphDocument, summary: ImportSummary, elapsed: float
) -> str:
    """The one line an import ends with.

    Records are counted as they are written: each record of the document once, and a
    person's ``reportsToId`` as the REPORTS_TO relationship it stands for, so that what was
    read and what was written are the same unit. An import changing only some of them says
    how many of how many.
    """
    lines = sum(1 for person in document.people if person.reports_to_id)
    total = document.record_count() + lines
    where = f"workspace {workspace!r}"
    if not summary.applied:
        return (
            f"nothing to change: {where} already holds all {total:,} records of {source} "
            f"(version {summary.version}, {elapsed:.1f} s)"
        )
    written = sum(summary.counts.values())
    rate = total / elapsed if elapsed > 0 else 0.0
    if written == total:
        parts = ", ".join(
            f"{name} {count:,}"
            + (f" incl. {lines:,} from reportsToId" if name == "relationships" and lines else "")
            for name, count in summary.counts.items()
            if count
        )
        what = f"{total:,} records ({parts})"
    else:
        noun = "record" if written == 1 else "records"
        what = f"{written:,} new or changed {noun} of {total:,} ({counts_text(summary.counts)})"
    return (
        f"imported {source} into {where}: {what} in {elapsed:.1f} s "
        f"({rate:,.0f} records/s; version {summary.version})"
    )


def export_command(
    ctx: typer.Context,
    store: StoreOption = None,
    workspace: WorkspaceOption = None,
    format: Annotated[
        ExportFormat,
        typer.Option("--format", help="json: a graph document on stdout; csv: a CSV bundle"),
    ] = ExportFormat.JSON,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="The folder a CSV bundle is written to (created when missing; required "
            "with --format csv)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the whole workspace as a graph document (JSON) on stdout, or write it as a CSV
    bundle into a folder."""
    from graphsvc.services.export import write_document

    settings = settings_for(ctx, store=store, workspace=workspace)
    if format is ExportFormat.CSV:
        if output is None:
            raise InvalidInput("--format csv needs --output DIR, the folder to write the bundle to")
        export_bundle(settings, output)
        return
    if output is not None:
        raise InvalidInput("--output applies to --format csv; a JSON export goes to stdout")
    counts: dict[str, int] = {}
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=False)
    with Reporter() as progress:

        def track(stage: str, done: int, total: int) -> None:
            counts[stage] = done
            progress(stage, done, total)

        async def work(opened: Services) -> None:
            await write_document(opened.store, settings.workspace, out, track)

        try:
            with_services(settings, work)
        finally:
            out.flush()
            out.detach()
        elapsed = progress.elapsed
    say(
        f"exported {sum(counts.values()):,} records ({counts_text(counts)}) of workspace "
        f"{settings.workspace!r} in {elapsed:.1f} s"
    )


def generate_command(
    people: Annotated[int, typer.Option("--people", help="About how many people")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes")] = 1,
    locale: Annotated[str, typer.Option("--locale", help="ja (Japanese names) or en")] = "ja",
) -> None:
    """Print a synthetic graph document of a group of companies (deterministic per seed)."""
    from graphsvc.generator import write_generated

    out = sys.stdout.buffer
    with Reporter() as progress:
        counts = write_generated(out, people, seed, locale, progress)
        elapsed = progress.elapsed
    say(
        f"generated {sum(counts.values()):,} records ({counts_text(counts)}) "
        f"with seed {seed} in {elapsed:.1f} s"
    )


def schema() -> None:
    """Print the GraphQL SDL of the API (the text of schema.graphql)."""
    from graphsvc.api.graphql.schema import sdl

    sys.stdout.write(sdl())
    sys.stdout.flush()


def migrate_command(ctx: typer.Context, store: StoreOption = None) -> None:
    """Create the store's constraints and indexes (idempotent)."""
    settings = settings_for(ctx, store=store)

    target = build_services(settings).store

    async def work() -> list[str]:
        # Not opened first: opening Neo4j checks for the very schema this creates.
        try:
            return await target.migrate()
        finally:
            await target.close()

    lines = asyncio.run(work())
    for line in lines:
        say(f"  {line}")
    say(f"migrated {target.url}: {len(lines)} constraints and indexes ensured")
