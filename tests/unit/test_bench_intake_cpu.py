"""bench.intake_cpu: one round times each step of the worker's Python on real reports."""

from bench.intake_cpu import _round
from bench.workload import Workload


def test_a_round_times_each_step_on_reports_that_route() -> None:
    items = Workload("intake-cpu-test", 30).items(30)
    figures = _round(items)
    assert list(figures) == [
        "intake (route_intake)",
        "triaged event, encoded",
        "triaged event, decoded",
        "identifier rows",
    ]
    assert all(value > 0 for value in figures.values())
