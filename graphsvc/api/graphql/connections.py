"""Relay-style connections: ``first``/``after`` with opaque cursors, ``pageInfo``, ``totalCount``.

A connection maps a domain ``Page`` (``services.listing``). Pages are keyset pages in id
order, so a cursor is the last id seen, wrapped so that clients treat it as opaque; for
relationships and decision rights, ordered by key, it is the last key seen as a JSON list.
``totalCount`` is counted only when asked for.
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from graphsvc.domain.listing import Page
from graphsvc.errors import InvalidInput

__all__ = [
    "DEFAULT_PAGE",
    "MAX_PAGE",
    "Connection",
    "Edge",
    "PageInfo",
    "decode_cursor",
    "decode_key_cursor",
    "encode_cursor",
    "encode_key_cursor",
    "page_size",
]

DEFAULT_PAGE = 50
"""Nodes per page when ``first`` is not given."""
MAX_PAGE = 500
"""The largest ``first`` accepted: bigger pages are an error, not silently truncated."""

_PREFIX = "graphsvc:"

N = TypeVar("N")
R = TypeVar("R")


@strawberry.type(description="Where a page ends and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when a next page exists.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on an empty page."
    )


@strawberry.type(description="One node of a page with the cursor pointing just after it.")
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type(
    description="One page of a list in a stable order (by id; relationships and decision "
    "rights by key). Ask for the next page with "
    "`first` and `after: pageInfo.endCursor`."
)
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many nodes match the filter, on all pages together.")
    async def total_count(self) -> int:
        return await self.count()

    @classmethod
    def of(
        cls, page: Page[R], convert: Callable[[R], N], cursor: Callable[[R], str]
    ) -> Connection[N]:
        """The connection of a domain page: each item converted, with its cursor."""
        edges = [Edge(cursor=cursor(item), node=convert(item)) for item in page.items]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            count=page.total,
        )


def page_size(first: int | None) -> int:
    """``first`` checked against the limits (default ``DEFAULT_PAGE``)."""
    if first is None:
        return DEFAULT_PAGE
    if not 0 <= first <= MAX_PAGE:
        raise InvalidInput(f"first must be between 0 and {MAX_PAGE}, got {first}")
    return first


def encode_cursor(position: str) -> str:
    """An opaque cursor for a position (an id or a key) in a list."""
    return base64.urlsafe_b64encode((_PREFIX + position).encode()).decode()


def decode_cursor(cursor: str | None) -> str | None:
    """The position a cursor stands for; ``InvalidInput`` for anything this API did not issue."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.startswith(_PREFIX):
        raise _not_ours(cursor)
    return text.removeprefix(_PREFIX)


def encode_key_cursor(key: Sequence[str]) -> str:
    """An opaque cursor for a key (of a relationship or a decision right): its JSON list."""
    return encode_cursor(json.dumps(list(key), ensure_ascii=False))


def decode_key_cursor(cursor: str | None) -> tuple[str, ...] | None:
    """The key a cursor of ``encode_key_cursor`` stands for; ``InvalidInput`` for any other."""
    position = decode_cursor(cursor)
    if position is None:
        return None
    try:
        key = json.loads(position)
    except ValueError:
        key = None
    if not isinstance(key, list) or not all(isinstance(part, str) for part in key):
        raise _not_ours(cursor)
    return tuple(key)


def _not_ours(cursor: str | None) -> InvalidInput:
    return InvalidInput(f"after: {cursor!r} is not a cursor returned by this API")
