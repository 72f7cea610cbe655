"""Garbage-collector pauses are timed by generation."""

import gc

from prometheus_client import REGISTRY

from runtime.gcpause import observe_gc_pauses


def _count(generation: int) -> float:
    labels = {"generation": str(generation)}
    return REGISTRY.get_sample_value("ocsea_gc_pause_seconds_count", labels) or 0.0


def _seconds(generation: int) -> float:
    labels = {"generation": str(generation)}
    return REGISTRY.get_sample_value("ocsea_gc_pause_seconds_sum", labels) or 0.0


def test_each_collection_is_timed_once_under_its_generation() -> None:
    observe_gc_pauses()
    observe_gc_pauses()  # a second call must not time each collection twice
    was_enabled = gc.isenabled()
    gc.disable()  # only the collections below, none triggered by allocation
    try:
        before_full, before_young, spent = _count(2), _count(0), _seconds(2)
        garbage = [[i] for i in range(50_000)]  # something for the collector to walk
        gc.collect(2)
        gc.collect(0)
        gc.collect(0)
        del garbage
    finally:
        if was_enabled:
            gc.enable()
    assert _count(2) == before_full + 1
    assert _count(0) == before_young + 2
    assert _seconds(2) > spent
