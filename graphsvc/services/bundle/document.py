"""A graph document read from CSV files, and where each of its records came from.

Readers (``reader`` for graphsvc's own bundles, ``salesforce`` for Salesforce exports)
build the same graph document the JSON path reads (``BundleDocument.data``), so that every
rule of CONTRACT §3 and the atomic import apply unchanged. Each record keeps its
``Origin``: the file, the line it starts on, and the column each field was read from.
``located`` turns the document's issues (``people[3].seniority``) back into places in the
files (``people.csv:5 column seniority``), in file and line order.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graphsvc.errors import Issue
from graphsvc.services.bundle.columns import BUNDLE_LISTS
from graphsvc.services.parsing import ParsedDocument, read_document

__all__ = ["BundleDocument", "Origin"]

_PLACE = re.compile(r"^(" + "|".join(BUNDLE_LISTS) + r")\[(\d+)\](?:\.(\w+))?")
"""The record and field an issue's path names: ``people[3].seniority…``."""

_IN_MESSAGE = re.compile(r"\b(" + "|".join(BUNDLE_LISTS) + r")\[(\d+)\]")


class Origin(NamedTuple):
    """Where a record was read: file, starting line, and the column of each field.

    ``columns`` maps a field to the column header it was read from as written in the file
    (``氏名`` for ``name`` under a mapping); fields set otherwise (a mapping's default, a
    department made from a contact's ``Department``) name their source there too. A named
    tuple, since a bundle may hold a million records.
    """

    file: str
    line: int
    columns: Mapping[str, str]


@dataclass
class BundleDocument:
    """The graph document of a bundle, the origin of each record, and reading problems.

    ``issues`` are problems found while reading (an unknown column, a cell that cannot hold
    its field); they already name ``file:line``. ``files`` is the order files are reported in.
    """

    data: dict[str, Any] = field(default_factory=lambda: {"format": "graphsvc/v1"})
    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    departments_by_name: bool = False
    """The departments were made from names (a CRM's ``Department`` column), so those the
    workspace holds under the same organization and name are used instead (``departments``)."""
    sources: dict[str, tuple[str, Mapping[str, str]]] = field(default_factory=dict)
    """Each list's file and columns: every record of a list is read from one file."""
    lines: dict[str, array[int]] = field(default_factory=dict)
    """The line of each record, by list, in step with ``data``: a compact array, since a
    bundle may hold millions of records."""

    def add(self, list_name: str, record: dict[str, Any], origin: Origin) -> None:
        """Append ``record`` to ``list_name``, read at ``origin``."""
        records, lines = self.lists(list_name, origin.file, origin.columns)
        records.append(record)
        lines.append(origin.line)

    def lists(
        self, list_name: str, file: str, columns: Mapping[str, str]
    ) -> tuple[list[dict[str, Any]], array[int]]:
        """The records of ``list_name`` (read from ``file`` with ``columns``) and their
        lines, to append to in step."""
        self.sources.setdefault(list_name, (file, columns))
        return self.data.setdefault(list_name, []), self.lines.setdefault(list_name, array("q"))

    def keep(self, list_name: str, kept: list[int]) -> None:
        """Keep only the records of ``list_name`` at the positions ``kept``."""
        records, lines = self.data[list_name], self.lines[list_name]
        self.data[list_name] = [records[i] for i in kept]
        self.lines[list_name] = array("q", (lines[i] for i in kept))

    def release(self) -> None:
        """Drop the records once parsed (the origins stay, for ``located``): a million-person
        bundle is not held twice during its import."""
        self.data = {"format": self.data.get("format")}

    def problem(self, file: str, line: int, column: str | None, message: str) -> None:
        """A reading problem at ``file:line`` (and the column, when there is one)."""
        self.issues.append(Issue(_place(file, line, column), "", message))

    def parsed(self) -> ParsedDocument:
        """The document read record by record, carrying the reading problems too, so that
        an import refuses the bundle with every problem of both kinds."""
        parsed = read_document(self.data)
        return ParsedDocument(
            parsed.document,
            [*self.issues, *parsed.issues],
            parsed.positions,
            parsed.unparsed_ids,
        )

    def located(self, issues: Iterable[Issue]) -> list[Issue]:
        """``issues`` of the document as places in the files, in file and line order."""
        keyed = [self._locate(issue) for issue in issues]
        keyed.sort(key=lambda pair: pair[0])
        return [issue for _, issue in keyed]

    def _locate(self, issue: Issue) -> tuple[tuple[int, int], Issue]:
        message = _IN_MESSAGE.sub(self._record_place, issue.message)
        match = _PLACE.match(issue.path)
        origin = self._origin(match[1], int(match[2])) if match else None
        if match is None or origin is None:
            return (self._order(issue.path), Issue(issue.path, issue.record, message))
        name = match[3]
        column = None
        if name is not None:
            written = origin.columns.get(name)
            column = name if written is None or written == name else f"{written} ({name})"
        place = _place(origin.file, origin.line, column)
        return (self._rank(origin.file, origin.line), Issue(place, issue.record, message))

    def _origin(self, list_name: str, index: int) -> Origin | None:
        lines = self.lines.get(list_name)
        if lines is None or index >= len(lines):
            return None
        file, columns = self.sources[list_name]
        return Origin(file, lines[index], columns)

    def _record_place(self, match: re.Match[str]) -> str:
        origin = self._origin(match[1], int(match[2]))
        return match[0] if origin is None else f"{origin.file}:{origin.line}"

    def _rank(self, file: str, line: int) -> tuple[int, int]:
        return (self.files.index(file) if file in self.files else len(self.files), line)

    def _order(self, path: str) -> tuple[int, int]:
        """A reading problem's place (``people.csv:5 …``) as a sort key; others first."""
        file, _, rest = path.partition(":")
        digits = re.match(r"\d+", rest)
        if file in self.files:
            return self._rank(file, int(digits[0]) if digits else 0)
        return (-1, 0)


def _place(file: str, line: int, column: str | None) -> str:
    return f"{file}:{line}" + (f" column {column}" if column else "")
