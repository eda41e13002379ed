"""The account plan as a neutral document: sections of paragraphs, tables, lists and pictures.

The section builders (``sections_*``) say *what* the plan says; the renderers (``html``,
``markdown``) say how it looks. Both formats render the same ``Document``, so the HTML and
the Markdown plan cannot drift apart. Every text here is plain, unescaped user text: escaping
is the renderers' job, done once, at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Block", "Bullets", "Document", "Paragraph", "Picture", "Section", "Table"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A list of plain-text items (an ordered one for steps)."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells; ``numeric`` columns are right-aligned."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    caption: str | None = None


@dataclass(frozen=True)
class Picture:
    """An SVG picture made by ``svg`` (already escaped inside), with a text alternative."""

    svg: str
    alt: str


Block = Paragraph | Bullets | Table | Picture


@dataclass(frozen=True)
class Section:
    """A numbered section of the plan; ``key`` is its stable anchor (``company``, ...)."""

    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """The whole plan: a title, lines under it (organization, date, language), sections."""

    title: str
    lang: str
    subtitle: tuple[str, ...]
    sections: tuple[Section, ...] = field(default_factory=tuple)
