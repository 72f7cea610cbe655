"""Watch a topic from its current end, for asserting what the system emitted."""

import json
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import NewTopic
from kafka.structs import OffsetAndMetadata


class TopicWatch:
    """Assigned to every partition and positioned at the end when created. With
    `event_type`, other events are passed over: the dead-letter topic also holds the records
    of replays (DeadLetterReplayed), which a predicate reading a dead letter's fields would
    fail on."""

    def __init__(
        self, topic: str, bootstrap: str = "127.0.0.1:9092", event_type: str | None = None
    ):
        self.event_type = event_type
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None
        )
        partitions = [
            TopicPartition(topic, p)
            for p in sorted(self.consumer.partitions_for_topic(topic) or [])
        ]
        assert partitions, f"topic {topic} does not exist"
        self.consumer.assign(partitions)
        self.consumer.seek_to_end(*partitions)
        for tp in partitions:
            self.consumer.position(tp)  # resolve the lazy seek now, before anything is produced
        self._pending: deque[dict[str, Any]] = deque()

    def wait_for(
        self, match: Callable[[dict[str, Any]], bool], seconds: float = 30
    ) -> dict[str, Any]:
        """The next matching message; others polled with it are kept for later calls."""
        deadline = time.monotonic() + seconds
        while True:
            # Messages of several partitions come in no set order: one polled before the
            # match stays for a later call too (it used to be dropped).
            for index, value in enumerate(self._pending):
                if match(value):
                    del self._pending[index]
                    return value
            if time.monotonic() >= deadline:
                others = len(self._pending)
                raise AssertionError(
                    f"no matching message within {seconds}s ({others} others seen)"
                )
            for records in self.consumer.poll(timeout_ms=500).values():
                values = (json.loads(record.value) for record in records)
                self._pending.extend(
                    v for v in values if self.event_type in (None, v.get("event_type"))
                )

    def close(self) -> None:
        self.consumer.close()


def topic_of_2000_bytes(bootstrap: str, prefix: str) -> str:
    """A new topic of one partition whose record limit was lowered by hand."""
    name = f"{prefix}.{uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        config = {"max.message.bytes": "2000"}
        admin.create_topics([NewTopic(name, 1, 1, topic_configs=config)])
    finally:
        admin.close()
    return name


def stable_members(group: str, bootstrap: str = "127.0.0.1:9092") -> int:
    """Members of a consumer group once it is Stable (partitions assigned), else 0."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        description = admin.describe_groups([group])[group]
    finally:
        admin.close()
    return len(description["members"]) if description["group_state"] == "Stable" else 0


def wait_for_members(group: str, count: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while stable_members(group) < count:
        assert time.monotonic() < deadline, (
            f"consumer group {group} never had {count} stable members"
        )
        time.sleep(0.5)


def commit_group_at_end(
    group: str, topic_names: list[str], bootstrap: str = "127.0.0.1:9092"
) -> None:
    """Give a new consumer group committed offsets at the topics' current ends, so its
    workers start there: they take no history and miss nothing produced after this."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:
        partitions = [
            TopicPartition(t, p)
            for t in topic_names
            for p in consumer.partitions_for_topic(t) or []
        ]
        consumer.assign(partitions)
        consumer.seek_to_end(*partitions)
        offsets = {tp: OffsetAndMetadata(consumer.position(tp), "", -1) for tp in partitions}
        consumer.commit(offsets)
    finally:
        consumer.close()
