"""graph.linking.decision_clock_from: a decision's time follows the decision before it, within
a minute's lead, and never precedes its own preparation or this host's clock."""

from datetime import UTC, datetime, timedelta

import pytest

from graph.linking import MAX_CLOCK_LEAD, decision_clock_from


def test_without_a_decision_before_it_is_this_hosts_time() -> None:
    before = datetime.now(UTC)
    decided = decision_clock_from(before - timedelta(seconds=5))(None)
    assert before <= decided <= datetime.now(UTC)


def test_it_is_never_before_its_preparation() -> None:
    prepared = datetime.now(UTC) + timedelta(seconds=30)
    assert decision_clock_from(prepared)(None) == prepared
    assert decision_clock_from(prepared)(prepared - timedelta(seconds=1)) == prepared


def test_a_decision_before_it_that_this_clock_has_passed_leaves_this_clocks_time() -> None:
    before = datetime.now(UTC)
    decided = decision_clock_from(before)(before - timedelta(seconds=10))
    assert before <= decided <= datetime.now(UTC)


@pytest.mark.parametrize("lead", [timedelta(seconds=1), timedelta(seconds=5), MAX_CLOCK_LEAD])
def test_a_decision_before_it_on_a_clock_ahead_times_it(lead: timedelta) -> None:
    last = datetime.now(UTC) + lead
    assert decision_clock_from(datetime.now(UTC))(last) == last


def test_a_lead_beyond_a_minute_is_a_clock_set_wrong_and_not_followed() -> None:
    before = datetime.now(UTC)
    decided = decision_clock_from(before)(before + MAX_CLOCK_LEAD + timedelta(seconds=10))
    assert before <= decided <= datetime.now(UTC)
