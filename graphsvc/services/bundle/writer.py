"""Writing a workspace as a CSV bundle (CONTRACT §8): one file per list, in a folder.

The export is the JSON export's content (``services.export.document_lists``: the same
records, order and ``reportsToId`` folding) laid out as ``columns`` describes: every file
of CONTRACT §3's lists is written, even empty (its header row then shows the columns), with
every field of the list as a column in the model's order; ``pipelineStages.csv`` only when
the workspace has a stage model of its own, as the JSON export does. Files are UTF-8 with a
byte order mark, so that Excel opens Japanese text correctly, with CRLF line ends (RFC 4180).
The text is deterministic: exporting, importing into an empty workspace and exporting again
gives the same bytes. Records are streamed batch by batch, never held whole.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from graphsvc.services.bundle.columns import LAYOUTS, cell_text
from graphsvc.services.export import document_lists, own_stages, unchanged_since
from graphsvc.services.parsing import PIPELINE_STAGES
from graphsvc.store.base import GraphStore

__all__ = ["ENCODING", "write_bundle"]

ENCODING = "utf-8-sig"

Progress = Callable[[str, int, int], None]


class _File:
    """One list's file, written under a temporary name and put in place when complete."""

    def __init__(self, folder: Path, list_name: str) -> None:
        self.layout = LAYOUTS[list_name]
        self.path = folder / self.layout.file_name
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.out: TextIO = self.partial.open("w", encoding=ENCODING, newline="")
        self.writer = csv.writer(self.out, lineterminator="\r\n")
        self.writer.writerow(self.layout.columns)

    def write(self, records: list[dict[str, Any]]) -> None:
        columns = self.layout.columns
        self.writer.writerows([cell_text(record.get(c)) for c in columns] for record in records)

    def close(self) -> None:
        self.out.close()
        os.replace(self.partial, self.path)


async def write_bundle(
    store: GraphStore, workspace: str, folder: Path, progress: Progress | None = None
) -> list[Path]:
    """Write the workspace as a bundle into ``folder`` (created when missing); the paths
    written. A stale ``pipelineStages.csv`` is removed when the workspace has no stage
    model of its own. Raises ``ExportInterleaved`` (after writing) when a write landed
    during the export, like the JSON export.
    """
    _make(folder)
    before = await store.version(workspace)
    written: list[Path] = []
    current: _File | None = None
    try:
        async for name, records in document_lists(store, workspace, progress):
            if current is None or current.layout.list_name != name:
                if current is not None:
                    current.close()
                    written.append(current.path)
                current = _File(folder, name)
            current.write(records)
    finally:
        if current is not None and not current.out.closed:
            current.close()
            written.append(current.path)
    stages = await own_stages(store, workspace)
    if stages is None:
        _remove(folder / LAYOUTS[PIPELINE_STAGES].file_name)
    else:
        out = _File(folder, PIPELINE_STAGES)
        out.write(stages)
        out.close()
        written.append(out.path)
    await unchanged_since(store, workspace, before)
    return written


def _make(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
