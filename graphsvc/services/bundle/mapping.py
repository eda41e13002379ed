"""``--mapping FILE``: how another tool's CSV files map onto a bundle's lists and fields.

A mapping is TOML with one table per list of CONTRACT §3 (``[people]``, ``[decisionRights]``
…); every key of a table is optional:

```toml
[people]
file = "Kontakte.csv"                 # the file holding this list (default people.csv)
ignore = ["Memo"]                     # columns to leave out
[people.columns]                      # column as written = field of CONTRACT §3
"Name" = "name"
"Firma" = "organizationId"
[people.values.stance]                # a field's value as written = the value imported
"Fürsprecher" = "CHAMPION"
[people.defaults]                     # a field's value where its cell is empty or absent
stance = "UNKNOWN"
```

Value maps match a cell exactly (each item of a ``;``-separated list on its own); values
not in the map are imported as written. Every mistake in a mapping (an unknown list, field
or key, a value of the wrong type) is refused before any CSV is read, naming the mapping
file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphsvc.errors import InvalidDocument, Issue
from graphsvc.services.bundle.columns import BUNDLE_LISTS, LAYOUTS

__all__ = ["BundleMapping", "ListMapping", "load_mapping"]

_KEYS = ("file", "ignore", "columns", "values", "defaults")


@dataclass(frozen=True)
class ListMapping:
    """How one list is read: its file, column renames, value maps, defaults, ignored columns."""

    file: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BundleMapping:
    """A whole mapping: one ``ListMapping`` per list it names (the others read as is)."""

    lists: dict[str, ListMapping] = field(default_factory=dict)

    def of(self, list_name: str) -> ListMapping:
        """The mapping of ``list_name`` (an empty one when the mapping does not name it)."""
        return self.lists.get(list_name) or ListMapping()

    def file_of(self, list_name: str) -> str:
        """The file name holding ``list_name``."""
        return self.of(list_name).file or f"{list_name}.csv"


def load_mapping(name: str, raw: bytes) -> BundleMapping:
    """The mapping in TOML ``raw`` (read from the file ``name``), or ``InvalidDocument``
    listing every mistake in it."""
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidDocument([Issue(name, "", f"not a valid TOML mapping: {error}")]) from None
    problems: list[str] = []
    lists: dict[str, ListMapping] = {}
    for list_name, table in data.items():
        if list_name not in BUNDLE_LISTS:
            problems.append(f"unknown list [{list_name}]; lists: {', '.join(BUNDLE_LISTS)}")
        elif not isinstance(table, Mapping):
            problems.append(f"{list_name} must be a table ([{list_name}])")
        else:
            lists[list_name] = _list_mapping(list_name, table, problems)
    if problems:
        raise InvalidDocument([Issue(name, "", problem) for problem in problems])
    return BundleMapping(lists)


def _list_mapping(list_name: str, table: Mapping[str, Any], problems: list[str]) -> ListMapping:
    fields = LAYOUTS[list_name].columns
    known = ", ".join(fields)
    for key in table:
        if key not in _KEYS:
            problems.append(f"[{list_name}] has unknown key {key!r}; keys: {', '.join(_KEYS)}")
    file = table.get("file")
    if file is not None and not isinstance(file, str):
        problems.append(f"[{list_name}] file must be a file name in quotes")
        file = None
    ignore = table.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        problems.append(f"[{list_name}] ignore must be a list of column names")
        ignore = []
    columns = _strings(table.get("columns", {}), f"[{list_name}.columns]", problems)
    for column, target in columns.items():
        if target not in fields:
            problems.append(
                f"[{list_name}.columns] {column!r} maps to unknown field {target!r}; "
                f"fields of {list_name}: {known}"
            )
    values: dict[str, dict[str, str]] = {}
    raw_values = table.get("values", {})
    if not isinstance(raw_values, Mapping):
        problems.append(f"[{list_name}.values] must be tables, one per field")
        raw_values = {}
    for target, table_of_values in raw_values.items():
        if target not in fields:
            problems.append(f"[{list_name}.values.{target}]: unknown field; fields: {known}")
            continue
        values[target] = _strings(table_of_values, f"[{list_name}.values.{target}]", problems)
    defaults = table.get("defaults", {})
    if not isinstance(defaults, Mapping):
        problems.append(f"[{list_name}.defaults] must be a table of field = value")
        defaults = {}
    for target in defaults:
        if target not in fields:
            problems.append(f"[{list_name}.defaults] {target!r}: unknown field; fields: {known}")
    return ListMapping(file, columns, values, dict(defaults), frozenset(ignore))


def _strings(table: Any, where: str, problems: list[str]) -> dict[str, str]:
    """A table whose keys and values are all text, or a problem saying so."""
    if not isinstance(table, Mapping) or not all(isinstance(v, str) for v in table.values()):
        problems.append(f'{where} must map text to text ("as written" = "imported")')
        return {}
    return dict(table)
