"""The columns of each file of a CSV bundle and how a cell holds a field (CONTRACT §8).

The header row names the fields of CONTRACT §3 (camelCase, as in a graph document). A cell
becomes the value the JSON document would hold, so the domain models validate both formats
alike: list fields (``departmentIds``) are ``;``-separated, booleans are ``true``/``false``,
an empty cell is an absent field, and the fields that hold a list of objects
(``stageHistory``, ``criteria`` of an opportunity) hold that list as JSON text in one cell
(``[{"stage": "PROPOSAL", "enteredOn": "2026-09-01"}]``). Numbers, dates and enum values
stay text here and are converted by the models, with the same checks and messages as JSON.
Text that a spreadsheet would run as a formula (``=…``, ``+…``, ``-…``, ``@…``) is written
with the spreadsheet's text mark ``'`` before it and read back without it (``safe_text``).

The file of each list is ``<list>.csv``; the stage model (CONTRACT §7) is
``pipelineStages.csv`` with columns ``name`` and ``probability``.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from enum import Enum
from typing import Any, Union, get_args, get_origin

import orjson
from pydantic import BaseModel

from graphsvc.domain.models import PipelineStage
from graphsvc.services.parsing import LIST_MODELS, PIPELINE_STAGES

__all__ = [
    "BUNDLE_LISTS",
    "LAYOUTS",
    "TEXT_MARK",
    "CellKind",
    "Layout",
    "cell_text",
    "cell_value",
    "plain_text",
    "safe_text",
]

LIST_SEPARATOR = ";"

BUNDLE_LISTS: tuple[str, ...] = (*LIST_MODELS, PIPELINE_STAGES)
"""Every list a bundle may hold, in document order; each is ``<list>.csv``."""


class CellKind(Enum):
    """How a cell holds a field."""

    TEXT = "text"
    """As written: text, numbers, dates and enum values (the models convert them)."""
    BOOLEAN = "boolean"
    """``true`` or ``false``."""
    LIST = "list"
    """``;``-separated values."""
    JSON = "json"
    """A list of objects, as JSON text."""


@dataclass(frozen=True)
class Layout:
    """The columns of one list's file: each field's wire name and cell kind, in the model's
    order (which is also the column order of an export)."""

    list_name: str
    kinds: dict[str, CellKind]

    @property
    def file_name(self) -> str:
        return f"{self.list_name}.csv"

    @property
    def columns(self) -> list[str]:
        return list(self.kinds)


def _kind(annotation: Any) -> CellKind:
    """The cell kind of a field from its type (``X | None`` counts as ``X``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = inner[0] if len(inner) == 1 else annotation
    if annotation is bool:
        return CellKind.BOOLEAN
    if get_origin(annotation) in (tuple, list):
        item = get_args(annotation)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return CellKind.JSON
        return CellKind.LIST
    return CellKind.TEXT


def _layout(list_name: str, model: type[BaseModel]) -> Layout:
    kinds = {
        field.alias or name: _kind(field.annotation) for name, field in model.model_fields.items()
    }
    return Layout(list_name, kinds)


_MODELS: dict[str, type[BaseModel]] = {**LIST_MODELS, PIPELINE_STAGES: PipelineStage}

LAYOUTS: dict[str, Layout] = {name: _layout(name, model) for name, model in _MODELS.items()}
"""The layout of each list's file, by list name."""


class CellProblem(ValueError):
    """A cell that cannot hold its field (a boolean other than true/false, bad JSON)."""


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's "CSV injection" list): a
name like ``=HYPERLINK("http://…")`` typed into a CRM would run in whoever opens the
export in Excel or LibreOffice."""

TEXT_MARK = "'"
"""The spreadsheet's own "this is text" prefix, put before text that would read as a
formula (and before text that itself starts with the mark before such text, so that
reading removes exactly what writing added: ``'=x`` holds ``=x``, ``''=x`` holds ``'=x``,
and ``'abc`` is left as it is)."""


def _marked(text: str) -> bool:
    """True when ``text`` would need the mark on its own (a formula start, or a mark that
    reading would take for one)."""
    return text.startswith(FORMULA_STARTS) or (
        text.startswith(TEXT_MARK) and _marked(text[len(TEXT_MARK) :])
    )


def safe_text(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as text, never runs: the inverse of
    ``plain_text``."""
    return TEXT_MARK + text if _marked(text) else text


def plain_text(cell: str) -> str:
    """The text a cell written by ``safe_text`` holds (a cell without the mark as it is)."""
    if cell.startswith(TEXT_MARK) and _marked(cell[len(TEXT_MARK) :]):
        return cell[len(TEXT_MARK) :]
    return cell


def cell_value(kind: CellKind, field: str, text: str) -> Any:
    """The document value of a non-empty cell text of ``field`` (``plain_text`` of the
    file's cell); ``CellProblem`` says why not."""
    if kind is CellKind.TEXT:
        return text
    if kind is CellKind.BOOLEAN:
        lowered = text.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise CellProblem(f"{field} must be true or false, not {text!r}")
    if kind is CellKind.LIST:
        return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise CellProblem(f"{field} must be a JSON list, not {_cut(text)!r}") from None
    if not isinstance(value, list):
        raise CellProblem(f"{field} must be a JSON list, not {_cut(text)!r}")
    return value


def cell_text(value: Any) -> str:
    """A document value as cell text: the inverse of ``cell_value``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], dict):
            return orjson.dumps(value).decode()
        return safe_text(LIST_SEPARATOR.join(str(item) for item in value))
    return orjson.dumps(value).decode()


def _cut(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"
