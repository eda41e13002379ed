"""The garbage collector of a serving process: what lives as long as the process, set aside.

Why: CPython's cyclic collector, when it collects its oldest generation, walks every object
that generation holds, and in a server that is nearly all of them: the modules, the
GraphQL schema, the app, the store, the projection, ~150,000 objects for the demo (a full
collection of them took 120–210 ms). Such a collection holds the GIL, so every request in
flight waits for it, and under ``bench/load.py`` (50 clients, writes and analytic answers
allocating steadily) it ran every second or two: 44 of them in one run, 9.3 s in all, up to
614 ms each (bench/README.md, "Load p95"). Those pauses were the load's slow tail.

``set_aside_long_lived`` collects once, then freezes what is left (``gc.freeze``): the
collector ignores those objects from then on, so a later collection walks only what was
allocated since, and takes milliseconds. Nothing else changes: objects allocated later are
collected as before, and a frozen object still dies when its last reference goes (only a
reference cycle among frozen objects would outlive its use, which the collection before the
freeze leaves none of, and what is frozen is what the process keeps until it exits).

Only serving processes call it (``graphsvc serve`` and each of its workers: ``create_app``
with ``serving``), once their start-up projection builds are done, so the projection is set
aside too; the test suite, which starts and drops many apps in one process, does not.
"""

from __future__ import annotations

import gc

__all__ = ["set_aside_long_lived"]


def set_aside_long_lived() -> int:
    """Collect, then exclude every object alive now from later collections; returns how
    many objects were set aside."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
