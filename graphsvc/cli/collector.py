"""The cyclic garbage collector held off while a command builds a large import.

An import of 100k people creates a few million objects that all live until it ends
(validated records, the stored state, the change set and its log). CPython's cyclic
collector runs a full collection whenever the long-lived objects grew by a quarter, and each
one walks every live container: on the 100k-person import, 15 full collections made the
records' validation 2.7× and the diff 2.5× slower, a quarter of the import's CPU time
(``bench/README.md``, "Import (issue 14, item 3)"). None of that work makes reference cycles
worth collecting (records and their containers are freed by reference counting), so a
one-shot import command runs with the collector paused and turns it back on when done.

The command line also loads its modules (and ``serve`` the API's) with it paused, for the
same reason: the objects they create are long-lived and form no garbage.

Only the command line does this: it is one process doing one import. The server keeps its
collector, since its requests do create cycles (tasks, exceptions) while an import runs.

Turned back on, the collector's first pass would walk every container made during the pause:
all of them are still in its youngest generation. After an import of 100k people that
was one pass over millions of records, about half a second between the summary line and
the process's exit (issue 14, item 3). So when the pause leaves ``FREEZE_FROM`` or more of
them behind (an import's records, the command line's modules), they are set aside first
(``gc.freeze``, which walks nothing, as ``serve`` does with its modules): they live until
the process exits, and reference counting still frees them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["FREEZE_FROM", "collector_paused"]

FREEZE_FROM = 100_000
"""Containers left in the youngest generation by a pause from which they are set aside."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; on again afterwards if it was on (what
    the block made set aside first when it is ``FREEZE_FROM`` containers or more)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] >= FREEZE_FROM:
                gc.freeze()
            gc.enable()
