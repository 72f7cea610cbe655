"""`python -m bench`: throughput, latency and raw baselines of the running system."""

import argparse
import asyncio
import gc
import os
import platform
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from bench import drive, raw_cypher, raw_kafka, report, system, warmup
from bench.cleanup import close_run_tasks
from bench.watch import Watch
from bench.workload import Workload
from graph.driver import sync_driver
from runtime.settings import get_settings


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000, help="reports for throughput")
    parser.add_argument("--rate", type=float, default=500.0, help="reports/s for latency")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of latency run")
    parser.add_argument("--budget", type=float, default=285.0, help="hard limit, seconds")
    # Closed loop: throughput <= window / latency, so the window must cover ~2 s of load.
    parser.add_argument("--window", type=int, default=3000, help="max reports in flight")
    parser.add_argument("--drain", type=float, default=30.0, help="max wait for stragglers")
    # Neo4j's JIT and caches make the first thousands of links after a restart slower: the
    # warm-up links chunks until three in a row run at the same rate (bench.warmup).
    parser.add_argument("--warmup", type=int, default=3000, help="reports linked first, at least")
    parser.add_argument(
        "--warmup-max", type=int, default=24000, help="reports linked first, at most"
    )
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def phase(t0: float, text: str) -> None:
    print(f"[bench +{time.monotonic() - t0:5.1f}s] {text}", flush=True)


async def _measured(run: Any) -> dict[str, Any]:
    """Run a phase coroutine, with the CPU and worker metrics it caused."""
    procs = system.pids()
    cpu0, met0, w0 = system.cpu_seconds(procs), system.scrape(), time.time()
    agents0 = system.scrape(system.AGENTS_METRICS)
    out = await run
    wall = time.time() - w0
    cpu1 = system.cpu_seconds(procs)
    out["cpu_percent"] = system.cpu_percent(cpu0, cpu1, wall)
    out["cpu_seconds"] = {name: round(cpu1[name] - cpu0[name], 3) for name in cpu1 if name in cpu0}
    met1, agents1 = system.scrape(), system.scrape(system.AGENTS_METRICS)
    out["stages"] = system.stage_seconds(met0, met1)
    out["wall_s"] = round(wall, 3)
    out["decision_lock_s"] = system.decision_lock_seconds(met0, met1)
    out["graph_retries"] = {
        **system.graph_retries(met0, met1),
        **system.graph_retries(agents0, agents1),
    }
    out["gc_pauses"] = {
        "streams": system.gc_pauses(met0, met1),
        "agents": system.gc_pauses(agents0, agents1),
    }
    out["top"] = system.top_snapshot()
    return out


async def _quiet(t0: float, deadline: float, backlog: int) -> dict[str, float]:
    """Wait (up to 15 s, less near the end of the budget) for the system to be idle before a
    measured phase; say so if it is not."""
    seconds = max(0.0, min(15.0, deadline - 60 - time.monotonic()))
    sample = await asyncio.to_thread(system.wait_quiet, seconds)
    if not system.is_quiet(sample):
        why = f"{backlog:,} messages of backlog left" if backlog else "no backlog"
        phase(t0, f"  busy ({report.busy(sample)}) with {why}; measuring anyway")
    return sample


async def main(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.monotonic()
    deadline = t0 + args.budget
    settings = get_settings()
    bootstrap, db = settings.kafka_bootstrap, settings.neo4j_database
    run = f"b{uuid4().hex[:8]}"
    phase(t0, f"run {run}: ensuring Kafka, Neo4j and the system are up")
    system.ensure_up()

    n_latency = int(args.rate * args.duration)
    n_warm = max(args.warmup, args.warmup_max) if args.warmup > 0 else 0
    phase(t0, f"generating {n_warm:,} + {args.reports:,} + {n_latency:,} reports")
    workload = Workload(run, n_warm + args.reports + n_latency, seed=args.seed)
    fast = workload.items(args.reports)
    paced = workload.items(n_latency, start=args.reports)
    warm = workload.items(n_warm, start=args.reports + n_latency)
    # The workload is ~1.2M objects that live to the end. A full collection walks them all
    # (~1.1 s idle, more on the loaded cores), and one during the paced phase sent reports up
    # to 1.7 s late and then in a burst. Frozen, collections skip them.
    gc.collect()
    gc.freeze()

    phase(t0, "waiting for the system to have no backlog (<= 30 s)")
    backlog = await asyncio.to_thread(system.wait_idle, bootstrap, 30)
    phase(t0, f"raw Kafka baseline on a throwaway topic ({len(fast):,} messages)")
    kafka = await raw_kafka.measure(bootstrap, run, fast, settings.topic_partitions)
    phase(t0, f"raw Cypher baseline into throwaway labels ({len(fast):,} reports)")
    with sync_driver(settings) as driver:
        cypher = await asyncio.to_thread(raw_cypher.measure, driver, db, run, fast)

    watch = Watch(bootstrap)
    await watch.start()
    p = await drive.producer(bootstrap)
    try:
        warm_rates: list[float] = []
        if warm:
            phase(t0, f"warm-up: {args.warmup:,} to {len(warm):,} reports, not measured")
            for chunk in warmup.chunks(warm, args.warmup):
                offer = await drive.offer(p, chunk, watch, deadline - 150, window=args.window)
                await drive.wait_done(watch, offer.sent, time.monotonic() + args.drain, "warm-up")
                # The steady rate (10-90 % done): a chunk's start and drain are ramps.
                warm_rates.append(drive.completion_rate(offer, watch)["steady_reports_per_s"])
                # A chunk cut short says so: at its time budget one printed '0 reports/s'.
                cut = f" ({offer.stopped}: {len(offer.sent):,} sent)" if offer.stopped else ""
                phase(
                    t0, f"  warm-up chunk of {len(chunk):,}: {warm_rates[-1]:,.0f} reports/s{cut}"
                )
                if offer.stopped or warmup.steady(warm_rates):
                    break
            backlog = await asyncio.to_thread(system.wait_idle, bootstrap, args.drain)
        background = await _quiet(t0, deadline, backlog)
        phase(t0, f"latency: {args.rate:,.0f} reports/s for {args.duration:.0f} s")

        async def latency() -> dict[str, Any]:
            until = time.monotonic() + args.duration + 5
            offer = await drive.offer(p, paced, watch, until, rate=args.rate)
            phase(t0, f"  offered {len(offer.sent):,} at {offer.rate:,.0f}/s {offer.stopped}")
            await drive.wait_done(watch, offer.sent, time.monotonic() + args.drain, "latency")
            # A report's task events leave with its case event, on other partitions: the
            # watch may read them a fetch (<= 50 ms) later. Missed, they would drop out of
            # the first-task p99, and the last reports done are its slowest.
            await asyncio.sleep(0.5)
            worst = drive.worst_seconds(offer.sent, watch.case)
            phase(
                t0,
                "  worst seconds (second: max ms) "
                + ", ".join(f"{s}: {ms:,.0f}" for s, ms in worst),
            )
            sends = offer.sent.values()
            return {
                "planned": len(paced),
                "offered": len(offer.sent),
                "offered_s": round(max(sends) - min(sends), 1) if offer.sent else 0.0,
                "offer_rate": round(offer.rate, 1),
                "late_s": round(offer.late_s, 3),
                "stopped": offer.stopped,
                "to_case_event": report.latency_summary(
                    drive.latency_ms(offer.sent, watch.case, all_count=True)
                ),
                "to_first_task_event": report.latency_summary(
                    drive.latency_ms(offer.sent, watch.task, all_count=False)
                ),
            }

        lat = await _measured(latency())
        lat["backlog_before"] = backlog
        lat["background_before"] = background
        case = lat["to_case_event"]
        phase(t0, f"  p50 {case['p50_ms']} ms, p99 {case['p99_ms']} ms")

        phase(t0, f"waiting for the system to drain (<= {2 * args.drain:.0f} s)")
        backlog2 = await asyncio.to_thread(system.wait_idle, bootstrap, 2 * args.drain)
        background2 = await _quiet(t0, deadline, backlog2)
        phase(t0, f"throughput: up to {len(fast):,} reports, {args.window:,} in flight at most")

        async def throughput() -> dict[str, Any]:
            until = deadline - 20
            offer = await drive.offer(p, fast, watch, until, window=args.window)
            phase(t0, f"  offered {len(offer.sent):,}; waiting for their case events")
            await drive.wait_done(watch, offer.sent, deadline - 8, "throughput")
            return drive.completion_rate(offer, watch)

        thr = await _measured(throughput())
        thr["backlog_before"] = backlog2
        thr["background_before"] = background2
        phase(t0, f"  {thr['completed']:,} completed, {thr['reports_per_s']:,.1f} reports/s")
    finally:
        await p.stop()
        await watch.stop()
        # Also after a failed run: its tasks would be escalated minutes later all the same.
        phase(t0, "declining the run's open tasks (bench/cleanup.py)")
        rids = [item.report_id for item in (*warm, *paced, *fast)]
        with sync_driver(settings) as driver:
            closed = await asyncio.to_thread(close_run_tasks, driver, db, rids)
        phase(t0, f"  {closed:,} tasks declined")

    result: dict[str, Any] = {
        "run_id": run,
        "finished_at": datetime.now(UTC).isoformat(),
        "elapsed_s": round(time.monotonic() - t0, 1),
        "host": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "params": vars(args),
        "baselines": {"kafka": kafka, "cypher": cypher},
        "warmup_reports_per_s": warm_rates,
        "throughput": thr,
        "latency": lat,
        "system_lag_at_end": await asyncio.to_thread(system.lag, bootstrap),
        "tasks_declined_after": closed,
    }
    result["ratios"] = report.ratios(result)
    return result


if __name__ == "__main__":
    started = time.monotonic()
    outcome = asyncio.run(main(_args()))
    print()
    print(report.render(outcome))
    print(f"\nwritten to {report.write(outcome)}  ({time.monotonic() - started:.0f} s in all)")
