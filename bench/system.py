"""The running system seen from outside: start it, its backlog, its CPU use, its metrics."""

import os
import subprocess
import time
import urllib.request
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / ".run"
PROCESSES = ("streams", "agents", "api", "kafka", "neo4j")
GROUPS = ("ocsea-streams", "ocsea-agents")
_TICK = os.sysconf("SC_CLK_TCK")


def ensure_up(timeout_s: float = 240) -> float:
    """Start Kafka, Neo4j and the app (both scripts are idempotent); seconds it took."""
    t0 = time.monotonic()
    for script in ("deploy/services.sh", "deploy/app.sh"):
        done = subprocess.run(
            ["bash", script, "up"], cwd=ROOT, capture_output=True, text=True, timeout=timeout_s
        )
        for line in done.stdout.splitlines()[-4:]:
            print(f"    {line[:140]}")
        if done.returncode != 0:
            raise SystemExit(f"{script} up failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.monotonic() - t0


def pids() -> dict[str, int]:
    out = {"bench": os.getpid()}
    for name in PROCESSES:
        try:
            out[name] = int((RUN / f"{name}.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return out


def cpu_seconds(procs: dict[str, int]) -> dict[str, float]:
    """utime + stime of each process so far, in seconds."""
    out = {}
    for name, pid in procs.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = (int(fields[11]) + int(fields[12])) / _TICK
    return out


def cpu_percent(before: dict[str, float], after: dict[str, float], wall: float) -> dict:
    """Share of one core each process used between two snapshots (200 % = both cores)."""
    return {
        name: round(100 * (after[name] - before[name]) / wall, 1)
        for name in after
        if name in before and wall > 0
    }


WORKER_METRICS = "http://127.0.0.1:6066/metrics"
AGENTS_METRICS = "http://127.0.0.1:6067/metrics"


def scrape(url: str = WORKER_METRICS) -> dict[str, float]:
    """The ocsea_* samples of a Prometheus page, keyed by name{labels}; {} if unreachable."""
    try:
        text = urllib.request.urlopen(url, timeout=3).read().decode()
    except OSError:
        return {}
    return parse(text)


def parse(text: str) -> dict[str, float]:
    """The ocsea_* samples of a Prometheus text exposition, keyed by name{labels}."""
    out = {}
    for line in text.splitlines():
        if line.startswith("ocsea_") and " " in line:
            key, _, value = line.rpartition(" ")
            out[key] = float(value)
    return out


def _comparable(before: dict[str, float], after: dict[str, float]) -> bool:
    """Two scrapes of one process can be subtracted: both answered (a scrape that timed out
    is empty) and the counters did not start again (a restarted process)."""
    counters = [k for k in before if k.partition("{")[0].endswith(("_total", "_count"))]
    return bool(before) and bool(after) and all(after.get(k, 0.0) >= before[k] for k in counters)


def stage_seconds(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Batches and mean batch seconds per stage of the worker between two scrapes."""
    out = {}
    for key in after:
        if key.startswith("ocsea_stage_seconds_count"):
            stage = key[key.index("{") :]
            count = after[key] - before.get(key, 0)
            total_key = f"ocsea_stage_seconds_sum{stage}"
            total = after.get(total_key, 0) - before.get(total_key, 0)
            out[f"{stage} batches"] = count
            out[f"{stage} mean_batch_s"] = round(total / count, 3) if count else 0.0
    return out


def decision_lock_seconds(before: dict[str, float], after: dict[str, float]) -> float:
    """Seconds the worker's decisions held the decision lock between two scrapes."""
    key = "ocsea_decision_lock_held_seconds_total"
    if not _comparable(before, after) or key not in after:
        return 0.0
    return round(after[key] - before.get(key, 0.0), 3)


def graph_retries(before: dict[str, float], after: dict[str, float]) -> dict[str, int]:
    """Graph transactions run again (mostly lost deadlocks) per work between two scrapes of
    one process's metrics; works with none are left out."""
    prefix = 'ocsea_graph_retries_total{work="'
    out: dict[str, int] = {}
    if not _comparable(before, after):
        return out
    for key, value in after.items():
        if key.startswith(prefix):
            count = int(value - before.get(key, 0))
            if count > 0:
                out[key[len(prefix) : -2]] = count
    return out


def gc_pauses(before: dict[str, float], after: dict[str, float]) -> dict[str, dict[str, float]]:
    """Python garbage collections of one process between two scrapes, per generation that
    had any: how many, seconds stood still in all, and how many took over 100 ms."""
    out: dict[str, dict[str, float]] = {}
    if not _comparable(before, after):
        return out

    def diff(series: str, labels: str) -> float:
        key = f"ocsea_gc_pause_seconds_{series}{{{labels}}}"
        return after.get(key, 0.0) - before.get(key, 0.0)

    for generation in ("0", "1", "2"):
        label = f'generation="{generation}"'
        count = diff("count", label)
        if count > 0:
            out[generation] = {
                "count": count,
                "seconds": round(diff("sum", label), 3),
                "over_100ms": count - diff("bucket", f'{label},le="0.1"'),
            }
    return out


def lag(bootstrap: str) -> dict[str, int]:
    """Messages each consumer group of the system has not yet committed, per topic."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="ocsea-bench")
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    try:
        committed = admin.list_group_offsets({g: None for g in GROUPS})
        parts: set[TopicPartition] = set()
        for offsets in committed.values():
            parts |= set(offsets)
        ends = consumer.end_offsets(list(parts)) if parts else {}
        out: dict[str, int] = {}
        for group, offsets in committed.items():
            for tp, meta in offsets.items():
                key = f"{group}:{tp.topic}"
                out[key] = out.get(key, 0) + max(0, ends.get(tp, 0) - max(meta.offset, 0))
        return out
    finally:
        consumer.close()
        admin.close()


def partitions(bootstrap: str, names: list[str]) -> dict[str, list[int]]:
    """Partition numbers of each existing topic."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    try:
        return {name: sorted(consumer.partitions_for_topic(name) or []) for name in names}
    finally:
        consumer.close()


def wait_idle(bootstrap: str, seconds: float) -> int:
    """Wait (bounded) until the system has no backlog; the backlog left when giving up."""
    deadline = time.monotonic() + seconds
    while True:
        left = sum(lag(bootstrap).values())
        if left == 0 or time.monotonic() > deadline:
            return left
        time.sleep(2)


# Background work of the system's own (not the bench's): CPU its processes use while it has
# no backlog. The SLA check escalates the tasks an earlier run left unclaimed a quarter of
# their due time after they were created (15 minutes for P1). With one escalation to a
# transaction (twenty now, agents.sla.GROUP), on 2026-11-30 at 01:15 the agents used ~62 %
# of a core and Neo4j ~44 % with no report in flight, for minutes, and a run then measured
# 350 reports/s against ~490.
QUIET_PERCENT = 30.0  # of one core, all the system's processes together; idle they use ~5


def background_cpu(seconds: float = 1.0) -> dict[str, float]:
    """Share of one core each of the system's processes used over a short sample."""
    procs = {name: pid for name, pid in pids().items() if name != "bench"}
    before, t0 = cpu_seconds(procs), time.monotonic()
    time.sleep(seconds)
    return cpu_percent(before, cpu_seconds(procs), time.monotonic() - t0)


def is_quiet(sample: dict[str, float], limit: float = QUIET_PERCENT) -> bool:
    return sum(sample.values()) < limit


def wait_quiet(seconds: float, sample_s: float = 1.0) -> dict[str, float]:
    """Wait up to `seconds` (one sample at least) until the system's processes are nearly
    idle; the last sample."""
    deadline = time.monotonic() + seconds
    while True:
        sample = background_cpu(sample_s)
        if is_quiet(sample) or time.monotonic() + sample_s > deadline:
            return sample


def top_snapshot() -> list[str]:
    """The busiest lines of one `top -b -n1`, for the record."""
    try:
        out = subprocess.run(["top", "-b", "-n1"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return []
    lines = out.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if "PID" in line and "COMMAND" in line), 0)
    return [line[:120] for line in lines[start : start + 8]]
