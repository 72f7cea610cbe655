"""Raw Kafka baseline: produce and consume the same bytes on a throwaway topic."""

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError

from bench.drive import offer, producer
from bench.watch import Watch
from bench.workload import Item


class _NoWatch(Watch):
    """Nothing to watch: the baseline only produces and consumes."""

    def __init__(self) -> None:
        self.completed = Counter()

    def track(self, report_id: str, phase: str) -> None:
        return None


def _admin(bootstrap: str) -> KafkaAdminClient:
    return KafkaAdminClient(bootstrap_servers=bootstrap, client_id="ocsea-bench")


def create_topic(bootstrap: str, name: str, partitions: int) -> None:
    admin = _admin(bootstrap)
    try:
        admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=1)],
            wait_for_metadata=True,
        )
    finally:
        admin.close()


def delete_topic(bootstrap: str, name: str) -> None:
    admin = _admin(bootstrap)
    try:
        with contextlib.suppress(KafkaError):
            admin.delete_topics([name])
    finally:
        admin.close()


async def _consume(
    bootstrap: str, topic: str, partitions: int, count: int, timeout_s: float
) -> float:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_wait_ms=50,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        seen, t0 = 0, time.perf_counter()
        while seen < count and time.perf_counter() - t0 < timeout_s:
            batches = await consumer.getmany(timeout_ms=200, max_records=5000)
            seen += sum(len(records) for records in batches.values())
        return seen / (time.perf_counter() - t0)
    finally:
        await consumer.stop()


async def measure(
    bootstrap: str, run: str, items: Sequence[Item], partitions: int, timeout_s: float = 60
) -> dict[str, float]:
    """Messages/s producing (acks=all) and consuming the intake bytes, on this host."""
    topic = f"bench.raw.{run}"
    await asyncio.to_thread(create_topic, bootstrap, topic, partitions)
    try:
        # Same bytes, but on one topic; keys keep the same partitioning.
        same = [Item(i.report_id, i.channel, topic, i.value, i.offender, i.event) for i in items]
        p = await producer(bootstrap)
        try:
            sent = await offer(p, same, _NoWatch(), time.monotonic() + timeout_s)
        finally:
            await p.stop()
        consumed = await _consume(bootstrap, topic, partitions, len(items), timeout_s)
        size = sum(len(i.value) for i in items) / max(len(items), 1)
        return {
            "produce_msgs_per_s": round(sent.rate, 1),
            "consume_msgs_per_s": round(consumed, 1),
            "messages": len(items),
            "mean_message_bytes": round(size),
        }
    finally:
        await asyncio.to_thread(delete_topic, bootstrap, topic)
