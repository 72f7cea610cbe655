"""How long Python's garbage collector stops a worker, by generation.

A collection stops the whole process: in the stream worker, a decision holding the decision
lock waits for it, and so does every other worker. The counts Python keeps
(python_gc_collections_total) say how often, not how long.
"""

import contextlib
import gc
from time import perf_counter
from typing import Any

from runtime import metrics

_installed = False

# Every message allocates many short-lived objects; collecting the young generation every
# 700 allocations cost a noticeable share of a worker's core.
YOUNG_THRESHOLD = 50_000


def tune_collector() -> None:
    """Freeze what start-up created and collect less often (the workers, and the benchmark
    tools that time their Python: with Python's defaults, `bench.intake_cpu` timed decoding
    a triaged event at ~110-150 µs, ~30 µs of it the decoding, the rest collections)."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)


def observe_gc_pauses() -> None:
    """Time every collection into ocsea_gc_pause_seconds{generation}; once per process."""
    global _installed
    if _installed:
        return
    # Children made here, not in the callback: `labels()` takes the metric's lock, and a
    # collection can start while this thread holds it (the lock is not reentrant).
    pauses = {g: metrics.GC_PAUSE.labels(generation=str(g)) for g in range(3)}
    started = 0.0

    def on_collection(phase: str, info: dict[str, Any]) -> None:
        nonlocal started
        if phase == "start":
            started = perf_counter()
            return
        with contextlib.suppress(Exception):  # nothing may escape into the collector
            pauses[info["generation"]].observe(perf_counter() - started)

    gc.callbacks.append(on_collection)
    _installed = True
