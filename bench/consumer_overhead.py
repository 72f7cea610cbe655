"""CPU a consumed message costs: a Faust agent with Faust's own consumer, the same agent with
runtime.faustconsumer's, and aiokafka alone, on the same messages of a throwaway topic.

    .venv/bin/python -m bench.consumer_overhead [--messages 60000] [--rounds 3]

Each consumer runs in a process of its own, reads every message once (the agents' batches:
`faustapp.raw_batches`, 1,000 or 0.5 s; aiokafka: `getmany` of 1,000 and a commit) and
reports the process's CPU from its first message to its last. Needs Kafka
(`bash deploy/services.sh up`); the topic is deleted afterwards.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.raw_kafka import create_topic, delete_topic
from runtime.settings import get_settings

MODES = ("faust", "faust+ours", "aiokafka")
PARTITIONS = 4
BATCH, WITHIN_S = 1000, 0.5


class _Clock:
    """CPU and wall time from the first message consumed to the `expected`-th."""

    def __init__(self, expected: int, out: Path) -> None:
        self.expected, self.out, self.seen = expected, out, 0
        self.started: tuple[float, float] | None = None

    def consumed(self, count: int) -> None:
        if self.started is None:
            self.started = (time.process_time(), time.monotonic())
        self.seen += count
        if self.seen >= self.expected:
            cpu = time.process_time() - self.started[0]
            wall = time.monotonic() - self.started[1]
            result = {"us_per_message": cpu / self.seen * 1e6, "wall_s": wall}
            self.out.write_text(json.dumps(result))
            os._exit(0)  # a Faust worker has no quicker clean way out; the group is throwaway


async def _produce(bootstrap: str, topic: str, count: int, size: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_batch_size=512 * 1024)
    await producer.start()
    try:
        value = os.urandom(size // 2).hex().encode()
        sends = [await producer.send(topic, value, key=str(i).encode()) for i in range(count)]
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


async def _consume_aiokafka(bootstrap: str, topic: str, clock: _Clock) -> None:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"bench-consumer-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    while True:
        batches = await consumer.getmany(timeout_ms=500, max_records=BATCH)
        records = [record for part in batches.values() for record in part]
        batch = [(r.value, f"{r.topic}:{r.partition}:{r.offset}") for r in records]
        if batch:
            await consumer.commit()
            clock.consumed(len(batch))


def _consume_faust(bootstrap: str, topic: str, clock: _Clock, ours: bool) -> None:
    import faust

    from runtime import faustapp, faustconsumer

    app = faust.App(
        f"bench-consumer-{uuid.uuid4().hex[:8]}",
        broker=f"kafka://{bootstrap}",
        store="memory://",
        value_serializer="raw",
        key_serializer="raw",
        topic_allow_declare=False,
        topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",
        web_enabled=False,
        # Faust's data directory (default: in the working directory) goes with the run's
        # temporary directory, which also holds the result.
        datadir=str(clock.out.parent / "faust-data"),
    )
    if ours:
        app.transport = faustconsumer.Transport(app.conf.broker_consumer, app)

    @app.agent(faustapp.raw_topic(app, topic))
    async def consume(stream: faust.StreamT) -> None:
        async for batch in faustapp.raw_batches(stream, BATCH, WITHIN_S):
            clock.consumed(len(batch))

    # The worker command's default (--with-web) overrides web_enabled and would take port 6066
    # from a running stream worker.
    sys.argv = [sys.argv[0], "worker", "--loglevel", "warn", "--without-web"]
    app.main()


def _consume(mode: str, topic: str, count: int, out: Path) -> None:
    bootstrap, clock = get_settings().kafka_bootstrap, _Clock(count, out)
    if mode == "aiokafka":
        asyncio.run(_consume_aiokafka(bootstrap, topic, clock))
    else:
        _consume_faust(bootstrap, topic, clock, ours=mode == "faust+ours")


def _run_one(mode: str, topic: str, count: int, timeout_s: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        args = [sys.executable, "-m", "bench.consumer_overhead", "--consume", mode]
        args += ["--topic", topic, "--messages", str(count), "--out", str(out)]
        done = subprocess.run(args, timeout=timeout_s, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"the {mode} consumer failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
        return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=60_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", type=int, default=1300, help="bytes a message")
    parser.add_argument("--consume", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--topic", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        _consume(args.consume, args.topic, args.messages, args.out)
        return
    bootstrap = get_settings().kafka_bootstrap
    topic = f"bench.consumer.{uuid.uuid4().hex[:8]}"
    create_topic(bootstrap, topic, PARTITIONS)
    try:
        print(f"producing {args.messages:,} messages of {args.size} B to {topic}", flush=True)
        asyncio.run(_produce(bootstrap, topic, args.messages, args.size))
        results: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
        for round_ in range(1, args.rounds + 1):
            for mode in MODES:
                got = _run_one(mode, topic, args.messages, timeout_s=300)
                results[mode].append(got)
                print(
                    f"  round {round_}/{args.rounds} {mode:<11} {got['us_per_message']:6.1f} µs "
                    f"a message, {got['wall_s']:.2f} s",
                    flush=True,
                )
    finally:
        delete_topic(bootstrap, topic)
    medians = {m: statistics.median(r["us_per_message"] for r in results[m]) for m in MODES}
    print(f"\nCPU a message, median of {args.rounds} rounds ({args.messages:,} messages each):")
    for mode in MODES:
        wall = statistics.median(r["wall_s"] for r in results[mode])
        ratio = medians[mode] / medians["faust"]
        print(f"  {mode:<11} {medians[mode]:6.1f} µs  ({ratio:.2f} of Faust's own; {wall:.2f} s)")


if __name__ == "__main__":
    main()
