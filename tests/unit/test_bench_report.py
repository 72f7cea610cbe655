"""The bench's verdicts: the latency target and the warning for a busy system."""

from typing import Any

from bench import report


def _latency(p99_ms: float | None, offer_rate: float) -> dict[str, Any]:
    return {"to_case_event": {"p99_ms": p99_ms}, "offer_rate": offer_rate}


def test_the_latency_target_needs_a_low_p99_at_the_full_rate() -> None:
    assert report.latency_target(_latency(1_668.0, 499.0)) == (True, "")
    assert report.latency_target(_latency(2_051.0, 499.0)) == (False, "")
    assert report.latency_target(_latency(None, 499.0)) == (False, "")  # some never completed


def test_a_low_p99_at_a_rate_short_of_the_target_does_not_meet_it() -> None:
    met, note = report.latency_target(_latency(1_619.0, 467.0))
    assert not met
    assert note == " (offered only 467/s)"


def test_a_phase_that_began_on_a_busy_system_is_flagged_and_names_the_busy_processes() -> None:
    busy = {"agents": 62.0, "neo4j": 44.0, "kafka": 4.0, "streams": 2.0}
    quiet = {"agents": 1.0, "neo4j": 2.0, "kafka": 4.0}
    result = {"latency": {"background_before": quiet}, "throughput": {"background_before": busy}}
    warnings = report._busy_warnings(result)
    assert len(warnings) == 2
    assert "before the throughput phase" in warnings[0]
    assert "agents 62 %, neo4j 44 %, kafka 4 % of a core" in warnings[0]
    # Results written before the check existed carry no sample: no warning.
    assert report._busy_warnings({"latency": {}, "throughput": {}}) == []
