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
