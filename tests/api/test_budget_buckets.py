"""The token buckets of ``api.limits.buckets``, with a clock of the test's own (no sleeping):
continuous refill, refusal with the wait, separate tokens, a full table, a shared file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from graphsvc.api.limits.buckets import PROBES, BucketTable, Charge, shared_table_file


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_new_token_has_a_full_bucket_and_spends_from_it() -> None:
    table = BucketTable.in_memory(600, clock=Clock())
    assert table.remaining("a") == 600
    assert table.charge("a", 100) == Charge(True, 500, 0.0)
    assert table.charge("a", 500) == Charge(True, 0, 0.0)
    assert table.remaining("a") == 0


def test_a_refused_charge_takes_nothing_and_says_how_long_to_wait() -> None:
    clock = Clock()
    table = BucketTable.in_memory(600, clock=clock)  # 10 points a second
    table.charge("a", 550)
    refused = table.charge("a", 80)
    assert not refused.granted
    assert refused.remaining == 50
    assert refused.retry_after == pytest.approx(3.0)  # (80 - 50) / 10
    clock.now += 3.0
    assert table.charge("a", 80) == Charge(True, 0, 0.0)


def test_the_bucket_refills_continuously_up_to_its_capacity() -> None:
    clock = Clock()
    table = BucketTable.in_memory(60, clock=clock)  # 1 point a second
    table.charge("a", 60)
    clock.now += 0.5
    assert table.remaining("a") == 0
    clock.now += 0.5
    assert table.remaining("a") == 1
    clock.now += 25
    assert table.remaining("a") == 26
    clock.now += 3600
    assert table.remaining("a") == 60  # never more than the budget


def test_tokens_have_buckets_of_their_own() -> None:
    table = BucketTable.in_memory(10, clock=Clock())
    assert table.charge("a", 10).granted
    assert not table.charge("a", 1).granted
    assert table.charge("b", 10).granted


def test_a_full_table_reuses_a_bucket_that_is_full_again_and_keeps_spent_ones() -> None:
    # given a table of PROBES slots (every token probes all of them), all taken
    clock = Clock()
    table = BucketTable.in_memory(60, slots=PROBES, clock=clock)
    for n in range(PROBES):
        table.charge(f"t{n}", 1 if n else 60)  # t0 spent, the others nearly full
    clock.now += 2  # the others are full again, t0 holds 2
    # when a new token comes
    assert table.charge("new", 5).granted
    # then t0 is still remembered as spent
    assert table.remaining("t0") == 2
    assert table.remaining("new") == 55


def test_when_every_bucket_is_in_use_the_fullest_is_forgotten() -> None:
    clock = Clock()
    table = BucketTable.in_memory(60, slots=PROBES, clock=clock)
    for n in range(PROBES):
        table.charge(f"t{n}", 50 if n else 10)  # t0 holds 50, the others 10
    assert table.charge("new", 1).granted
    assert table.remaining("t1") == 10  # kept
    assert table.remaining("t0") == 60  # forgotten: a fresh bucket, full


def _frozen() -> float:
    return 0.0


def _spend(path: str, times: int) -> None:
    table = BucketTable.over_file(100_000, path, clock=_frozen)  # no refill: exact sums
    for _ in range(times):
        table.charge("shared", 1)


def test_processes_over_one_file_draw_from_one_bucket(tmp_path: Path) -> None:
    with shared_table_file() as path:
        assert Path(path).stat().st_mode & 0o777 == 0o600
        context = multiprocessing.get_context("spawn")
        spenders = [context.Process(target=_spend, args=(path, 500)) for _ in range(2)]
        for spender in spenders:
            spender.start()
        for spender in spenders:
            spender.join(60)
            assert spender.exitcode == 0
        # every charge of both processes counted (none lost to a race), as a third sees
        table = BucketTable.over_file(100_000, path, clock=_frozen)
        assert table.remaining("shared") == 100_000 - 1000
    assert not Path(path).exists()
