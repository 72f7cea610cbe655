"""Offer reports to the intake topics, as fast as possible or at a fixed rate."""

import asyncio
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer

from bench.watch import Watch
from bench.workload import Item

# At a fixed rate, what falls due within one slice is sent together: one wake-up of this
# process a slice, not one a report. The benchmark shares the system's two cores; waking
# for each report cost it ~20 % of a core at 500 reports/s (py-spy: the sends themselves).
SLICE_S = 0.01


@dataclass
class Offer:
    sent: dict[str, float] = field(default_factory=dict)  # report id -> wall time of send
    started: float = 0.0
    acked: float = 0.0  # when the broker had acknowledged every message
    stopped: str = ""  # why offering stopped before the last item, if it did
    saturated: bool = False  # the in-flight window was full at some point
    late_s: float = 0.0  # at a fixed rate: the most a report went out after it was due

    @property
    def rate(self) -> float:
        return len(self.sent) / (self.acked - self.started) if self.acked > self.started else 0.0


def wait_before(index: int, rate: float, t0: float, now: float, slice_s: float = SLICE_S) -> float:
    """Seconds to wait before sending item `index` of a stream paced at `rate` a second from
    `t0`: none if it falls due within the next slice, so it goes out with the items before it."""
    delay = t0 + index / rate - now
    return delay if delay > slice_s else 0.0


async def producer(bootstrap: str) -> AIOKafkaProducer:
    """The same settings a platform integration would use: acks from all replicas."""
    p = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=256 * 1024
    )
    await p.start()
    return p


async def offer(
    p: AIOKafkaProducer,
    items: Sequence[Item],
    watch: Watch,
    until: float,
    rate: float | None = None,
    window: int | None = None,
) -> Offer:
    """Send items (key = report id) until `until` (monotonic).

    With `rate`: open loop at that many per second, but stop once more than 3 s of offered
    load is outstanding (the system is then overloaded and waiting longer proves nothing).
    With `window`: closed loop, at most that many reports in flight, which saturates the
    system without leaving an unbounded backlog behind.
    """
    out = Offer(started=time.time())
    phase = f"offer-{out.started}"
    futures = []
    t0 = time.perf_counter()
    for i, item in enumerate(items):
        if rate:
            now = time.perf_counter()
            delay = wait_before(i, rate, t0, now)
            out.late_s = max(out.late_s, now - (t0 + i / rate))
            if delay:
                await asyncio.sleep(delay)
            if len(out.sent) - watch.completed[phase] > 3 * rate:
                out.stopped = f"overloaded: over {3 * rate:.0f} reports outstanding"
        while window and len(out.sent) - watch.completed[phase] >= window and not out.stopped:
            out.saturated = True
            await asyncio.sleep(0.02)
            if time.monotonic() > until:
                out.stopped = "time limit"
        if time.monotonic() > until and not out.stopped:
            out.stopped = "time limit"
        if out.stopped:
            break
        watch.track(item.report_id, phase)
        out.sent[item.report_id] = time.time()
        futures.append(await p.send(item.topic, item.value, key=item.report_id.encode()))
    await asyncio.gather(*futures)
    out.acked = time.time()
    return out


async def wait_done(watch: Watch, sent: dict[str, float], deadline: float, label: str) -> int:
    """Wait until every sent report has its case event or the deadline passes; how many did."""
    last_print = time.monotonic()
    while True:
        done = watch.done(sent)
        if done >= len(sent) or time.monotonic() > deadline:
            return done
        if time.monotonic() - last_print > 10:
            print(f"    {label}: {done}/{len(sent)} reports have their case event")
            last_print = time.monotonic()
        await asyncio.sleep(0.25)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile; inf entries stand for reports that never completed."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def latency_ms(sent: dict[str, float], got: dict[str, float], all_count: bool) -> list[float]:
    """Latency per report in ms; with all_count, a report without the event counts as inf."""
    out = []
    for rid, at in sent.items():
        if rid in got:
            out.append(max(0.0, (got[rid] - at) * 1000))
        elif all_count:
            out.append(math.inf)
    return out


def worst_seconds(
    sent: dict[str, float], got: dict[str, float], top: int = 3
) -> list[tuple[int, float]]:
    """(second of the run, worst latency in ms of reports sent in it), worst first."""
    if not sent:
        return []
    start = min(sent.values())
    worst: dict[int, float] = {}
    for rid, at in sent.items():
        second = int(at - start)
        latency = (got[rid] - at) * 1000 if rid in got else math.inf
        worst[second] = max(worst.get(second, 0.0), latency)
    return sorted(worst.items(), key=lambda kv: -kv[1])[:top]


def completion_rate(offer: Offer, watch: Watch) -> dict[str, Any]:
    """Reports/s completed: overall (first send to last case event) and steady (10-90 %)."""
    times = sorted(watch.case[r] for r in offer.sent if r in watch.case)
    n = len(times)
    out: dict[str, Any] = {
        "offered": len(offer.sent),
        "completed": n,
        "offer_rate": round(offer.rate, 1),
        "stopped": offer.stopped,
        "saturated": offer.saturated,
    }
    if n == 0:
        return {**out, "reports_per_s": 0.0, "steady_reports_per_s": 0.0, "seconds": 0.0}
    seconds = max(times[-1] - offer.started, 1e-3)
    lo, hi = int(0.1 * n), max(int(0.9 * n) - 1, 0)
    steady = (hi - lo) / (times[hi] - times[lo]) if times[hi] > times[lo] else n / seconds
    return {
        **out,
        "seconds": round(seconds, 2),
        "reports_per_s": round(n / seconds, 1),
        "steady_reports_per_s": round(steady, 1),
    }
