"""Summarise the measurements: a readable block on stdout and JSON in bench/results/."""

import json
import math
from pathlib import Path
from typing import Any

from bench.drive import percentile
from bench.system import is_quiet

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_RATE = 1000.0  # reports/s end-to-end
TARGET_P99_MS = 2000.0  # at 500 reports/s offered
TARGET_OFFER_RATE = 500.0
# A bench starved of CPU sends late and offers less than asked: below this share of the
# target rate, a low p99 says nothing about 500/s.
OFFER_RATE_SHARE = 0.98


def latency_summary(values: list[float]) -> dict[str, Any]:
    """p50/p99/max in ms; None where a percentile falls on a report that never completed."""
    finite = [v for v in values if math.isfinite(v)]

    def fmt(v: float) -> float | None:
        return round(v, 1) if math.isfinite(v) else None

    return {
        "count": len(values),
        "completed": len(finite),
        "p50_ms": fmt(percentile(values, 50)) if values else None,
        "p99_ms": fmt(percentile(values, 99)) if values else None,
        "max_ms": fmt(max(finite)) if finite else None,
    }


def ratios(result: dict[str, Any]) -> dict[str, float | None]:
    e2e = result["throughput"]["reports_per_s"]
    kafka, cypher = result["baselines"]["kafka"], result["baselines"]["cypher"]

    def ratio(base: float | None) -> float | None:
        return round(e2e / base, 4) if base else None

    # The slower of the two: a message must be produced and consumed.
    raw_kafka = min(kafka.get("produce_msgs_per_s", 0), kafka.get("consume_msgs_per_s", 0))
    return {
        "e2e_vs_raw_kafka": ratio(raw_kafka),
        "e2e_vs_raw_cypher": ratio(cypher.get("rows_per_s")),
    }


def _ms(value: float | None) -> str:
    return "n/a (did not complete)" if value is None else f"{value:,.0f} ms"


def render(result: dict[str, Any]) -> str:
    t, lat = result["throughput"], result["latency"]
    kafka, cypher, r = result["baselines"]["kafka"], result["baselines"]["cypher"], result["ratios"]
    case, task = lat["to_case_event"], lat["to_first_task_event"]
    ok_rate = t["reports_per_s"] >= TARGET_RATE
    ok_p99, p99_note = latency_target(lat)
    lines = [
        f"ocsea-hub benchmark  run {result['run_id']}  ({result['host']['cpus']} cores)",
        "-" * 72,
        f"end-to-end throughput   {t['reports_per_s']:>9,.1f} reports/s  "
        f"({t['completed']:,}/{t['offered']:,} in {t['seconds']} s; steady "
        f"{t['steady_reports_per_s']:,.1f}/s; offered at {t['offer_rate']:,.0f}/s)",
        f"latency @ {lat['offer_rate']:,.0f}/s offered  to case event: p50 {_ms(case['p50_ms'])}, "
        f"p99 {_ms(case['p99_ms'])}  ({case['completed']:,}/{case['count']:,} completed; "
        f"sends at most {lat.get('late_s', 0):.2f} s late)",
        f"{'':24}to first task:  p50 {_ms(task['p50_ms'])}, p99 {_ms(task['p99_ms'])}  "
        f"({task['completed']:,} of {case['count']:,} had a task event of their own: the "
        "others' went out in a batch-mate's, 'calls for it too')",
        *_stopped_early(lat),
        f"raw Kafka (aiokafka)    produce {kafka.get('produce_msgs_per_s', 0):>9,.0f} msg/s, "
        f"consume {kafka.get('consume_msgs_per_s', 0):,.0f} msg/s "
        f"({kafka.get('mean_message_bytes', 0)} B/msg)",
        f"raw Cypher (UNWIND)     {cypher.get('rows_per_s', 0):>9,.1f} reports/s "
        f"({cypher.get('identifier_mentions', 0):,} mentions, "
        f"{cypher.get('batch_rows', 0)} rows/tx)",
        f"ratios                  end-to-end / raw Kafka (slower of produce, consume)  "
        f"{r['e2e_vs_raw_kafka']}",
        f"{'':24}end-to-end / raw Cypher {r['e2e_vs_raw_cypher']}",
        f"targets                 >= {TARGET_RATE:,.0f} reports/s: "
        f"{'met' if ok_rate else 'NOT met'};  p99 < {TARGET_P99_MS:,.0f} ms at "
        f"{TARGET_OFFER_RATE:,.0f}/s: {'met' if ok_p99 else 'NOT met'}{p99_note}",
        f"cpu % during throughput {_cpu(t.get('cpu_percent', {}))}",
        f"cpu ms per report       {_per_report(t, result['host']['cpus'])}",
        f"cpu % during latency    {_cpu(lat.get('cpu_percent', {}))}",
        f"decision lock held      throughput {_lock(t)}; latency {_lock(lat)}",
        f"graph retries           throughput {_retries(t)}, latency {_retries(lat)}",
        f"python gc pauses        throughput {_gc(t)}; latency {_gc(lat)}",
        f"worker stage timings    {t.get('stages', {})}",
        f"backlog before phases   throughput {t.get('backlog_before')}, "
        f"latency {lat.get('backlog_before')} messages",
        f"idle before phases      throughput {_cpu(t.get('background_before', {}))}, "
        f"latency {_cpu(lat.get('background_before', {}))} (% of a core)",
    ]
    return "\n".join(lines + _busy_warnings(result))


def _stopped_early(lat: dict[str, Any]) -> list[str]:
    """A line saying so when the latency phase stopped offering before its last report: its
    p50 and p99 are then of the reports sent, and lower bounds of the rate's (the reports the
    overload would have kept waiting longest were never sent)."""
    if not lat.get("stopped"):
        return []
    planned = f" of {lat['planned']:,}" if "planned" in lat else ""
    after = f" after {lat['offered_s']:.1f} s" if "offered_s" in lat else ""
    return [
        f"{'':24}offering stopped{after} ({lat['stopped']}), {lat['offered']:,}{planned} sent: "
        "these latencies are of those, lower bounds at this rate"
    ]


def cpu_ms_per_report(phase: dict[str, Any]) -> dict[str, float]:
    """Each process's CPU per report in a phase (ms): its CPU seconds over the reports the
    phase completed, both over the phase's whole time. (Results written before they kept CPU
    seconds: its share of a core over the phase's rate.)"""
    seconds, completed = phase.get("cpu_seconds"), phase.get("completed", 0)
    if seconds and completed > 0:
        return {name: 1000 * cpu / completed for name, cpu in seconds.items()}
    rate = phase.get("reports_per_s", 0)
    if rate <= 0:
        return {}
    return {name: 10 * share / rate for name, share in phase.get("cpu_percent", {}).items()}


def cpu_budget_ms(cores: int) -> float:
    """The CPU a report may take, all processes together, for the target rate on `cores`."""
    return 1000 * cores / TARGET_RATE


# The load generator's own process: on the same cores, but no part of the system's cost.
BENCH_PROCESS = "bench"


def _per_report(phase: dict[str, Any], cores: int) -> str:
    costs = cpu_ms_per_report(phase)
    if not costs:
        return "n/a"
    bench = costs.pop(BENCH_PROCESS, None)
    parts = "  ".join(f"{k} {v:.2f}" for k, v in sorted(costs.items(), key=lambda kv: -kv[1]))
    generator = f"; the bench itself {bench:.2f}, not counted" if bench is not None else ""
    return (
        f"{parts}  all {sum(costs.values()):.2f} (the target leaves "
        f"{cpu_budget_ms(cores):.2f} on {cores} cores{generator})"
    )


def latency_target(lat: dict[str, Any]) -> tuple[bool, str]:
    """Whether the latency target was met, and why not when the p99s alone would say so.

    Both p99s count: to the case event (every report has one) and to the first task event
    (the issue's "submission to task"; only reports that got a task have one)."""
    p99s = [lat["to_case_event"]["p99_ms"], lat["to_first_task_event"]["p99_ms"]]
    if lat.get("stopped"):
        # Stopped early (overloaded, or out of time), the p99 covers only the first seconds
        # of load: it says nothing of the rate held for the whole phase, and a high one is
        # a lower bound (the stop rule, not the system, set where it ended).
        return False, f" (offering stopped: {lat['stopped']})"
    if any(p99 is None or p99 >= TARGET_P99_MS for p99 in p99s):
        return False, ""
    if lat["offer_rate"] < OFFER_RATE_SHARE * TARGET_OFFER_RATE:
        return False, f" (offered only {lat['offer_rate']:,.1f}/s)"
    return True, ""


def busy(sample: dict[str, float]) -> str:
    """The processes that were busy, e.g. 'agents 62 %, neo4j 44 % of a core'."""
    top = [f"{name} {pct:.0f} %" for name, pct in sorted(sample.items(), key=lambda kv: -kv[1])]
    return ", ".join(top[:3]) + " of a core"


def _busy_warnings(result: dict[str, Any]) -> list[str]:
    """A warning for each phase that began while the system was busy on its own."""
    out = []
    for name in ("latency", "throughput"):
        sample = result[name].get("background_before", {})
        if not sample or is_quiet(sample):
            continue
        backlog = result[name].get("backlog_before") or 0
        if backlog:
            out.append(
                f"WARNING: the {name} phase began with {backlog:,} messages of backlog left "
                f"({busy(sample)}): its figures are understated."
            )
            continue
        out += [
            f"WARNING: the system was busy before the {name} phase with no backlog "
            f"({busy(sample)}): its figures are understated.",
            "  Usually the SLA check escalating tasks that earlier runs left unclaimed, "
            "from 15 min after them; for comparable figures run within 15 min of a reset "
            "(bash deploy/services.sh reset).",
        ]
    return out


def _lock(phase: dict[str, Any]) -> str:
    """The decision lock's share of the phase's wall time, and its time per report: the
    serial part of linking (README: where the time goes)."""
    held, wall = phase.get("decision_lock_s"), phase.get("wall_s")
    reports = phase.get("completed") or phase.get("offered") or 0
    if held is None or not wall or not reports:
        return "n/a"
    return f"{100 * held / wall:.0f} % of the phase, {1000 * held / reports:.2f} ms a report"


def _retries(phase: dict[str, Any]) -> str:
    """Transactions run again in a phase (mostly lost deadlocks), per work."""
    counts = phase.get("graph_retries", {})
    return ", ".join(f"{work} {n}" for work, n in sorted(counts.items())) or "none"


def _gc(phase: dict[str, Any]) -> str:
    """Python collections per process in a phase: how many, the time the process stood still,
    how many pauses took over 100 ms, and how many were full (generation 2)."""
    parts = []
    for process, generations in sorted(phase.get("gc_pauses", {}).items()):
        if not generations:
            continue
        count = sum(g["count"] for g in generations.values())
        seconds = sum(g["seconds"] for g in generations.values())
        slow = sum(g["over_100ms"] for g in generations.values())
        full = generations.get("2", {}).get("count", 0)
        parts.append(
            f"{process} {count:.0f} ({seconds:.2f} s, {slow:.0f} over 100 ms, {full:.0f} full)"
        )
    return ", ".join(parts) or "none"


def _cpu(cpu: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.0f}" for k, v in sorted(cpu.items(), key=lambda kv: -kv[1]))


def write(result: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "latest.json"
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    (RESULTS / f"{result['run_id']}.json").write_text(path.read_text())
    return path
