"""The bench's reading of the system's metrics."""

from bench import system


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


def test_gc_pauses_per_generation_between_two_scrapes() -> None:
    def sample(generation: str, count: float, seconds: float, fast: float) -> dict[str, float]:
        label = f'{{generation="{generation}"}}'
        return {
            f"ocsea_gc_pause_seconds_count{label}": count,
            f"ocsea_gc_pause_seconds_sum{label}": seconds,
            f'ocsea_gc_pause_seconds_bucket{{generation="{generation}",le="0.1"}}': fast,
        }

    before = {**sample("0", 100, 0.05, 100), **sample("2", 1, 0.2, 0)}
    after = {**sample("0", 160, 0.08, 160), **sample("2", 4, 0.65, 1), **sample("1", 0, 0, 0)}
    assert system.gc_pauses(before, after) == {
        "0": {"count": 60, "seconds": 0.03, "over_100ms": 0},
        "2": {"count": 3, "seconds": 0.45, "over_100ms": 2},
    }
    assert system.gc_pauses(after, after) == {}
