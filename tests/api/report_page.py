"""Reading an account plan back in tests: a strict HTML reader and a Markdown splitter.

``read_page`` parses the HTML plan with the standard library's parser, strictly enough to
catch what a browser would silently repair: every non-void element closed, in order,
nothing left open at the end. It keeps, per ``<section id>``, the paragraphs, list items
and table rows as text, the SVG pictures' texts, and every address the page would load
(``src``, ``href``, ``url(...)``), so tests can check the page's content against the API's
answers and that it needs nothing outside itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Page", "PageSection", "external_addresses", "markdown_sections", "read_page"]

VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)


@dataclass
class PageSection:
    """What one section of the plan says."""

    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    picture_texts: list[str] = field(default_factory=list)
    svg: str = ""

    def text(self) -> str:
        """Everything the section says, one string."""
        cells = [" | ".join(row) for row in self.rows]
        return "\n".join([self.title, *self.paragraphs, *self.items, *cells])


@dataclass
class Page:
    """The parsed plan."""

    lang: str = ""
    title: str = ""
    sections: dict[str, PageSection] = field(default_factory=dict)
    addresses: list[str] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []
        self.section: PageSection | None = None
        self.text: list[str] | None = None
        self.row: list[str] | None = None
        self.in_svg = 0
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append(tag)
        values = dict(attrs)
        for name in ("src", "href", "xlink:href", "srcset", "action", "data"):
            if values.get(name):
                self.page.addresses.append(str(values[name]))
        self.page.addresses += _URL.findall(values.get("style") or "")
        if tag == "html":
            self.page.lang = values.get("lang") or ""
        if tag == "svg":
            self.in_svg += 1
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "style":
            self.in_style = True
        if tag == "section":
            self.section = PageSection()
            self.page.sections[values.get("id") or f"#{len(self.page.sections)}"] = self.section
        if tag in ("p", "li", "td", "th", "h2", "title") or (tag == "text" and self.in_svg):
            self.text = []
        if tag == "tr":
            self.row = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append(tag)
        values = dict(attrs)
        for name in ("src", "href", "xlink:href"):
            if values.get(name):
                self.page.addresses.append(str(values[name]))
        self.page.addresses += _URL.findall(values.get("style") or "")
        self.page.addresses += _URL.findall(" ".join(str(v) for v in values.values() if v))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            raise AssertionError(f"end tag of the void element <{tag}>")
        if not self.stack or self.stack[-1] != tag:
            raise AssertionError(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        self.stack.pop()
        if tag == "svg":
            self.in_svg -= 1
        if tag == "style":
            self.in_style = False
        said = " ".join("".join(self.text).split()) if self.text is not None else ""
        if tag == "title" and not self.in_svg:
            self.page.title = said
        if self.section is not None:
            if tag == "h2":
                self.section.title = said
            elif tag == "p":
                self.section.paragraphs.append(said)
            elif tag == "li":
                self.section.items.append(said)
            elif tag in ("td", "th") and self.row is not None:
                self.row.append(said)
            elif tag == "text" and self.in_svg:
                self.section.picture_texts.append(said)
            elif tag == "tr" and self.row is not None:
                self.section.rows.append(self.row)
                self.row = None
        if tag in ("p", "li", "td", "th", "h2", "title", "text"):
            self.text = None
        if tag == "section":
            self.section = None

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.page.addresses += _URL.findall(data)
        if self.text is not None:
            self.text.append(data)


def read_page(html: str) -> Page:
    """The plan's HTML, parsed; ``AssertionError`` where it is not well formed."""
    assert html.startswith("<!DOCTYPE html>"), html[:40]
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert not reader.stack, f"left open: {reader.stack}"
    return reader.page


def external_addresses(page: Page) -> list[str]:
    """The addresses the page would load from outside itself (only ``#fragment`` is not)."""
    return [a for a in page.addresses if not a.startswith("#")]


def markdown_sections(markdown: str) -> list[str]:
    """The ``## `` headings of a Markdown plan, in order."""
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
