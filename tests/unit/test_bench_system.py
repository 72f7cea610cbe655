"""The bench's reading of the system's metrics."""

from prometheus_client import CollectorRegistry, Histogram, generate_latest

from bench import system
from runtime import metrics


def test_graph_retries_are_counted_per_work_between_two_scrapes() -> None:
    key = 'ocsea_graph_retries_total{work="%s"}'
    before = {key % "link_decide": 2.0, key % "mark_received": 5.0}
    after = {
        key % "link_decide": 5.0,
        key % "mark_received": 5.0,  # none in between: left out
        key % "link_prepare": 1.0,  # first seen after the phase began
        'ocsea_graph_retries_created{work="link_prepare"}': 1.7e9,
        'ocsea_stage_seconds_count{stage="linker"}': 9.0,
    }
    assert system.graph_retries(before, after) == {"link_decide": 3, "link_prepare": 1}
    assert system.graph_retries(after, after) == {}


def test_the_system_is_quiet_only_when_its_processes_together_are_nearly_idle() -> None:
    idle = {"neo4j": 2.0, "kafka": 4.0, "streams": 2.0, "agents": 1.0, "api": 0.0}
    escalating = {**idle, "agents": 62.0, "neo4j": 44.0}  # an SLA backlog, measured
    assert system.is_quiet(idle)
    assert not system.is_quiet(escalating)
    # Spread thin over every process, background work still counts.
    assert not system.is_quiet({name: 7.0 for name in idle})


def _gc_exposition(pauses: list[tuple[int, float]]) -> dict[str, float]:
    """What a worker's /metrics page says after these pauses, as the bench reads it."""
    registry = CollectorRegistry()
    histogram = Histogram(
        "ocsea_gc_pause_seconds",
        "pauses",
        ["generation"],
        registry=registry,
        buckets=metrics.GC_PAUSE_BUCKETS,
    )
    for generation, seconds in pauses:
        histogram.labels(generation=str(generation)).observe(seconds)
    return system.parse(generate_latest(registry).decode())


def test_gc_pauses_per_generation_between_two_scrapes_of_a_real_page() -> None:
    earlier = [(0, 0.06)] * 5 + [(2, 0.2)]
    before = _gc_exposition(earlier)
    after = _gc_exposition(earlier + [(0, 0.05), (0, 0.07), (0, 0.15), (1, 0.129)])
    assert system.gc_pauses(before, after) == {
        "0": {"count": 3, "seconds": 0.27, "over_100ms": 1},
        "1": {"count": 1, "seconds": 0.129, "over_100ms": 1},
    }
    assert system.gc_pauses(after, after) == {}


def test_no_gc_pauses_from_a_scrape_that_failed_or_a_restarted_worker() -> None:
    before = _gc_exposition([(0, 0.06)] * 26)
    restarted = _gc_exposition([(0, 0.06)])  # counters started again from zero
    assert system.gc_pauses({}, before) == {}
    assert system.gc_pauses(before, {}) == {}
    assert system.gc_pauses(before, restarted) == {}


def test_the_decision_lock_is_read_as_seconds_held_between_two_scrapes() -> None:
    key = "ocsea_decision_lock_held_seconds_total"
    before = {key: 12.5, "ocsea_events_processed_total": 1.0}
    after = {key: 20.25, "ocsea_events_processed_total": 2.0}
    assert system.decision_lock_seconds(before, after) == 7.75
    # A worker restarted between the scrapes (its counters began again): not subtracted.
    assert system.decision_lock_seconds(after, {key: 1.0, "ocsea_events_processed_total": 1}) == 0
    assert system.decision_lock_seconds({}, after) == 0.0
