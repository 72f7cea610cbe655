"""CPU a report costs the stream worker's Python, without Kafka or Neo4j: intake (decode,
triage, normalisation, the triaged event), encoding and decoding the triaged event, and the
linker's identifier rows, on the benchmark's workload.

    .venv/bin/python -m bench.intake_cpu [--reports 3000] [--rounds 5]

Each round reads the same reports (the normalisers' caches warm, as in a running worker),
with the worker's garbage-collector settings (runtime.gcpause.tune_collector; until
2026-12-02 Python's defaults, which put ~80-120 µs of collections on the triaged event's
decoding); prints the median of the rounds after the first, in µs a report.
"""

import argparse
import statistics
import time

from bench.workload import Workload
from contracts.cases import ReportTriaged
from contracts.registry import decode_event, encode_event
from graph.linking import _identifier_rows
from runtime.gcpause import tune_collector
from streams.intake import route_intake

BATCH = 200  # the linker's batch (settings.worker_batch_size)


def _round(items: list) -> dict[str, float]:
    n = len(items)
    clock = time.process_time
    start = clock()
    routed = [route_intake(i.value, i.topic, f"{i.topic}/0@{k}") for k, i in enumerate(items)]
    routed_at = clock()
    encoded = [encode_event(r.event) for r in routed]
    encoded_at = clock()
    triaged = [decode_event(raw, expected=(ReportTriaged,)) for raw in encoded]
    decoded_at = clock()
    payloads = [t.payload for t in triaged if isinstance(t, ReportTriaged)]
    for k in range(0, len(payloads), BATCH):
        _identifier_rows(payloads[k : k + BATCH])
    rows_at = clock()
    return {
        "intake (route_intake)": (routed_at - start) / n * 1e6,
        "triaged event, encoded": (encoded_at - routed_at) / n * 1e6,
        "triaged event, decoded": (decoded_at - encoded_at) / n * 1e6,
        "identifier rows": (rows_at - decoded_at) / n * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    items = Workload("intake-cpu", args.reports).items(args.reports)
    tune_collector()  # as the worker runs (streams.__main__)
    rounds = [_round(items) for _ in range(args.rounds)]
    warm = rounds[1:] or rounds
    print(f"CPU a report, median of {len(warm)} warm rounds ({args.reports:,} reports each):")
    total = 0.0
    for name in rounds[0]:
        median = statistics.median(r[name] for r in warm)
        total += median
        print(f"  {name:<24} {median:7.1f} µs")
    print(f"  {'all':<24} {total:7.1f} µs")


if __name__ == "__main__":
    main()
