"""The import commands pause the cyclic collector, always give it back, and set aside what
a long pause leaves behind (its first pass would walk all of it)."""

from __future__ import annotations

import gc

import pytest

from graphsvc.cli import collector
from graphsvc.cli.collector import collector_paused


def test_the_collector_is_off_inside_and_on_again_after_an_error() -> None:
    seen: list[bool] = []

    def failing_import() -> None:
        with collector_paused():
            seen.append(gc.isenabled())
            raise RuntimeError("the import failed")

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        failing_import()
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_long_pause_leaves_behind_is_set_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a pause that leaves more containers behind than the threshold (an import's
    # records, scaled down)
    monkeypatch.setattr(collector, "FREEZE_FROM", 1_000)
    frozen = gc.get_freeze_count()
    try:
        with collector_paused():
            kept = [[i] for i in range(5_000)]

        # then they were set aside from the collector (its first pass will not walk them),
        # and the collector is on again
        assert gc.get_freeze_count() >= frozen + len(kept)
        assert gc.isenabled()
    finally:
        gc.unfreeze()  # give this test process its heap back


def test_a_short_pause_sets_nothing_aside() -> None:
    frozen = gc.get_freeze_count()
    with collector_paused():
        kept = [[i] for i in range(10)]
    assert gc.get_freeze_count() == frozen
    assert len(kept) == 10
