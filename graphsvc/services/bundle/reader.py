"""Reading a graphsvc CSV bundle (CONTRACT §8) into a ``BundleDocument``.

Each file is matched to its list by name (``people.csv``, or the file a ``--mapping`` names),
decoded (``text.decode``), and read row by row: the header's columns are renamed by the
mapping and must then be fields of the list; each cell becomes the value a JSON document
would hold (``columns.cell_value``), after the mapping's value map; the mapping's defaults
fill empty cells. Problems are collected, not raised, so an import reports all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphsvc.errors import InvalidDocument, Issue
from graphsvc.services.bundle.columns import (
    BUNDLE_LISTS,
    LAYOUTS,
    TEXT_MARK,
    CellKind,
    CellProblem,
    Layout,
    cell_value,
    plain_text,
)
from graphsvc.services.bundle.document import BundleDocument, Origin
from graphsvc.services.bundle.mapping import BundleMapping, ListMapping
from graphsvc.services.bundle.text import BundleFile, decode, rows

__all__ = ["PROGRESS_EVERY", "read_bundle", "set_self"]

Progress = Callable[[str, int, int], None]

PROGRESS_EVERY = 5000
"""Rows between progress reports of one file."""


def read_bundle(
    files: list[BundleFile],
    mapping: BundleMapping | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> BundleDocument:
    """The graph document of a bundle's ``files`` (as from ``text.load_files``).

    A file of no list (neither ``<list>.csv`` nor named by the mapping) is a problem, not
    skipped: leaving data out of an import silently would be worse.
    """
    mapping = mapping or BundleMapping()
    # File names match in any case (``People.csv``): Windows and zips made there ignore it.
    by_file = {mapping.file_of(name).casefold(): name for name in BUNDLE_LISTS}
    bundle = BundleDocument()
    present = {file.name.casefold(): file for file in files}
    ordered = [present[name] for name in by_file if name in present]
    ordered += [file for file in files if file.name.casefold() not in by_file]
    bundle.files = [file.name for file in ordered]
    for file in ordered:
        list_name = by_file.get(file.name.casefold())
        if list_name is None:
            expected = ", ".join(mapping.file_of(name) for name in BUNDLE_LISTS)
            bundle.problem(
                file.name, 1, None, f"no list is read from this file; expected {expected}"
            )
            continue
        try:
            text = decode(file, encoding)
            _read_file(bundle, file.name, text, LAYOUTS[list_name], mapping.of(list_name), progress)
        except InvalidDocument as refused:
            bundle.issues.extend(refused.issues)
    return bundle


def _read_file(
    bundle: BundleDocument,
    name: str,
    text: str,
    layout: Layout,
    mapping: ListMapping,
    progress: Progress | None,
) -> None:
    total = text.count("\n")
    stage = f"read {name}"
    records = rows(name, text)
    header = next(records, None)
    if header is None:
        return  # an empty file is an empty list
    fields = _header(bundle, name, header.cells, layout, mapping)
    columns = {field: header.cells[i].strip() for i, field in fields.items()}
    for field in mapping.defaults:
        columns.setdefault(field, f"default of [{layout.list_name}]")
    width = len(header.cells)
    names = [fields.get(i) for i in range(width)]
    special = [
        (f, layout.kinds[f], mapping.values.get(f))
        for f in fields.values()
        if layout.kinds[f] is not CellKind.TEXT or f in mapping.values
    ]
    records_of, lines_of = bundle.lists(layout.list_name, name, columns)
    next_report = PROGRESS_EVERY
    for row in records:
        cells = row.cells
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            bundle.problem(name, row.line, None, f"{len(cells)} cells, but the header has {width}")
        origin = Origin(name, row.line, columns)
        # Plain text cells are taken as they are in one pass (bundles reach a million rows;
        # only a cell starting with the text mark is looked at: ``columns.plain_text``);
        # only cells of other kinds, or with a value map, are converted one by one.
        record = {
            field: text if text[0] != TEXT_MARK else plain_text(text)
            for field, text in zip(names, cells, strict=False)
            if field is not None and text and not text.isspace()
        }
        if special:
            _convert(bundle, origin, record, special)
        if mapping.defaults:
            _defaults(bundle, origin, record, layout, mapping)
        records_of.append(record)
        lines_of.append(row.line)
        if progress is not None and row.line >= next_report:
            progress(stage, row.line, total)
            next_report = row.line + PROGRESS_EVERY
    if progress is not None:
        progress(stage, total, total)


def _header(
    bundle: BundleDocument, name: str, cells: list[str], layout: Layout, mapping: ListMapping
) -> dict[int, str]:
    """The field of each column (by position); unknown and repeated columns are problems."""
    fields: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, raw in enumerate(cells):
        column = raw.strip()
        if not column or column in mapping.ignore:
            continue
        field = mapping.columns.get(column, column)
        if field not in layout.kinds:
            bundle.problem(
                name,
                1,
                column,
                f"unknown column {column!r}; columns of {layout.file_name}: "
                f"{', '.join(layout.columns)} (or map it with --mapping)",
            )
        elif field in seen:
            bundle.problem(name, 1, column, f"{field} is already column {seen[field]!r}")
        else:
            fields[index] = field
            seen[field] = column
    return fields


_Special = tuple[str, CellKind, dict[str, str] | None]
"""A field whose cells need converting: its name, cell kind and value map."""


def _convert(
    bundle: BundleDocument, origin: Origin, record: dict[str, Any], special: list[_Special]
) -> None:
    """Cells of ``record`` that are not plain text, or have a value map, as document values."""
    for field, kind, values in special:
        text = record.get(field)
        if text is None:
            continue
        if values and kind is not CellKind.LIST:
            text = values.get(text, values.get(text.strip(), text))
        try:
            value = cell_value(kind, field, text)
        except CellProblem as problem:
            bundle.problem(origin.file, origin.line, _column(origin, field), str(problem))
            del record[field]
            continue
        if values and kind is CellKind.LIST:
            value = [values.get(item, item) for item in value]
        record[field] = value


def _defaults(
    bundle: BundleDocument,
    origin: Origin,
    record: dict[str, Any],
    layout: Layout,
    mapping: ListMapping,
) -> None:
    """The mapping's defaults for the fields ``record`` lacks."""
    for field, default in mapping.defaults.items():
        if field in record:
            continue
        kind = layout.kinds[field]
        try:
            record[field] = (
                cell_value(kind, field, default) if isinstance(default, str) else default
            )
        except CellProblem as problem:
            bundle.problem(origin.file, origin.line, field, f"default: {problem}")


def set_self(bundle: BundleDocument, organization_id: str) -> None:
    """Make the organization ``organization_id`` of the bundle our own (kind SELF)."""
    for record in bundle.data.get("organizations", []):
        if record.get("id") == organization_id:
            record["kind"] = "SELF"
            return
    bundle.issues.append(
        Issue("--self", "", f"names no organization of the bundle: {organization_id!r}")
    )


def _column(origin: Origin, field: str) -> str:
    """``氏名 (name)``: the column as written, and the field when they differ."""
    written = origin.columns.get(field, field)
    return field if written == field else f"{written} ({field})"
