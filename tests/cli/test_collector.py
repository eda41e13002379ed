"""The import commands pause the cyclic collector and always give it back."""

from __future__ import annotations

import gc

import pytest

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
