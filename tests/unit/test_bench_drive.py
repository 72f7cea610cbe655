"""The paced benchmark phase: reports falling due within one slice go out together."""

import pytest

from bench.drive import SLICE_S, wait_before


def test_an_item_due_later_than_one_slice_waits_until_it_is_due() -> None:
    # At 500/s item 50 is due 100 ms after the start.
    assert wait_before(50, 500.0, t0=10.0, now=10.0) == pytest.approx(0.1)


def test_items_due_within_the_slice_go_at_once() -> None:
    assert wait_before(4, 500.0, t0=10.0, now=10.0) == 0.0  # due in 8 ms
    assert wait_before(3, 500.0, t0=10.0, now=10.5) == 0.0  # overdue


def test_paced_sending_keeps_the_rate_and_wakes_once_a_slice() -> None:
    rate, now, wakeups = 500.0, 0.0, 0
    sent_at = []
    for i in range(5000):
        delay = wait_before(i, rate, 0.0, now)
        if delay:
            wakeups += 1
            now += delay
        sent_at.append(now)
        assert now - i / rate <= 1e-9  # never later than due, at most one slice early
        assert i / rate - now <= SLICE_S + 1e-9
    assert sent_at[-1] == pytest.approx(4999 / rate, abs=SLICE_S)
    # One wake-up per ~slice-and-a-report (5 reports a slice at 500/s), not one per report.
    assert wakeups <= 5000 / (rate * SLICE_S) + 1
