"""Giving the memory an import freed back to the system, so that later stages start low.

pydantic's JSON reader builds a parse tree of the whole text (about 3x its size: 0.9 GB for
a million people) in the C heap and frees it once the records are made. The C allocator
keeps freed heap memory for later C allocations, but Python's own objects come from separate
memory (its arenas), so without this the tree's memory stayed counted against the process
through the whole import (85 MB at 100k people).
"""

from __future__ import annotations

import sys

__all__ = ["release_freed_memory"]


def release_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``); a no-op on
    other platforms or C libraries."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # here, not at start-up: only an import of a JSON document needs it

    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return
    trim(0)
