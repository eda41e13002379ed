"""The plan as one self-contained HTML file: styles inline, the picture inline as SVG, no
address outside the file (only ``#section`` links), printable to PDF from a browser (A4,
each section on a new page, tables and boxes kept whole where they fit).

Every user string is escaped here (``html.escape``, quotes too); the SVG is escaped where it
is made (``power_picture``)."""

from __future__ import annotations

from html import escape

from graphsvc.services.report.document import (
    Block,
    Bullets,
    Document,
    Paragraph,
    Picture,
    Section,
    Table,
)

__all__ = ["render_html"]

_STYLE = """
:root { color-scheme: light; }
body { font-family: 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', 'Meiryo', system-ui,
  sans-serif; color: #1f2328; margin: 2rem auto; max-width: 68rem; padding: 0 1.5rem;
  line-height: 1.55; }
h1 { font-size: 1.8rem; margin-bottom: .25rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #d0d7de; padding-bottom: .25rem;
  margin-top: 2.5rem; }
.meta { color: #57606a; margin: 0; }
nav ol { columns: 2; padding-left: 1.5rem; }
nav a { color: #0969da; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: .75rem 0; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #57606a; font-size: .85rem; }
li { margin: .35rem 0; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  nav { break-after: page; }
  section { break-before: page; }
  h2 { margin-top: 0; break-after: avoid; }
  tr, li, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; }
}
"""


def render_html(document: Document) -> str:
    """``document`` as a complete HTML5 page."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(document.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(document.title)}</h1>",
        *(f'<p class="meta">{escape(line)}</p>' for line in document.subtitle),
        "</header>",
        "<nav><ol>",
        *(f'<li><a href="#{escape(s.key)}">{escape(s.title)}</a></li>' for s in document.sections),
        "</ol></nav>",
        *(_section(number, s) for number, s in enumerate(document.sections, 1)),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _section(number: int, section: Section) -> str:
    blocks = "\n".join(_block(b) for b in section.blocks)
    return (
        f'<section id="{escape(section.key)}">\n'
        f"<h2>{number}. {escape(section.title)}</h2>\n{blocks}\n</section>"
    )


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Bullets):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>"
    if isinstance(block, Table):
        return _table(block)
    return _picture(block)


def _table(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    rows = []
    for row in table.rows:
        cells = "".join(
            f'<td class="num">{escape(c)}</td>' if i in table.numeric else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        rows.append(f"<tr>{cells}</tr>")
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _picture(picture: Picture) -> str:
    return f"<figure>{picture.svg}<figcaption>{escape(picture.alt)}</figcaption></figure>"
