"""The plan as Markdown: the same sections as the HTML, for wikis, tickets and diffs.

The power map picture is embedded as an SVG data URI (``![…](data:image/svg+xml;base64,…)``)
so the file stays self-contained; viewers that refuse data URIs show its alt text, and the
key-person table below it carries the same facts in words. User text is escaped so that a
name can neither start Markdown markup nor inject HTML (``<`` becomes ``&lt;``)."""

from __future__ import annotations

import base64
import re

from graphsvc.services.report.document import (
    Block,
    Bullets,
    Document,
    Paragraph,
    Picture,
    Section,
    Table,
)

__all__ = ["escape_markdown", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]{}#+!|~])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: markup characters backslashed, HTML made inert, one line."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", text)


def render_markdown(document: Document) -> str:
    """``document`` as Markdown (CommonMark with GitHub's pipe tables)."""
    parts = [f"# {escape_markdown(document.title)}", ""]
    parts += [f"{escape_markdown(line)}  " for line in document.subtitle]
    parts.append("")
    for number, section in enumerate(document.sections, 1):
        parts.append(_section(number, section))
    return "\n".join(parts).rstrip() + "\n"


def _section(number: int, section: Section) -> str:
    blocks = "\n\n".join(_block(b) for b in section.blocks)
    return f"## {number}. {escape_markdown(section.title)}\n\n{blocks}\n"


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return escape_markdown(block.text)
    if isinstance(block, Bullets):
        return "\n".join(
            f"{f'{i}.' if block.ordered else '-'} {escape_markdown(item)}"
            for i, item in enumerate(block.items, 1)
        )
    if isinstance(block, Table):
        return _table(block)
    return _picture(block)


def _table(table: Table) -> str:
    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(escape_markdown(c) for c in cells) + " |"

    rule = (
        "| "
        + " | ".join("---:" if i in table.numeric else "---" for i in range(len(table.headers)))
        + " |"
    )
    return "\n".join([row(table.headers), rule, *(row(r) for r in table.rows)])


def _picture(picture: Picture) -> str:
    data = base64.b64encode(picture.svg.encode()).decode("ascii")
    return f"![{escape_markdown(picture.alt)}](data:image/svg+xml;base64,{data})"
