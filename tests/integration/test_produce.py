"""Batched sending (runtime.produce) against the real Kafka: every record arrives once, on
the partition a plain `send` picks for its key, in order within each partition."""

import asyncio
import base64
from collections import defaultdict
from collections.abc import Sequence
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import MessageSizeTooLargeError
from kafka.admin import KafkaAdminClient, NewTopic

from contracts import topics
from contracts.envelope import Outgoing
from runtime import faustapp
from runtime.deadletter import ORIGINAL_MAX_B64, Origin
from runtime.produce import Record, send_batched
from runtime.settings import Settings
from tests.e2e.kafka_probe import TopicWatch
from tests.integration.refusals import event_of_words, lowered_topic

PARTITIONS = 3


def _topic(bootstrap: str) -> str:
    name = f"test.produce.{uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(name, num_partitions=PARTITIONS, replication_factor=1)])
    finally:
        admin.close()
    return name


async def _read_all(
    bootstrap: str, topic: str, expected: int
) -> dict[int, list[tuple[bytes, bytes]]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in range(PARTITIONS)])
        got: dict[int, list[tuple[bytes, bytes]]] = defaultdict(list)
        for _ in range(40):
            batches = await consumer.getmany(timeout_ms=250)
            for tp, messages in batches.items():
                got[tp.partition] += [(m.key, m.value) for m in messages]
            if sum(map(len, got.values())) >= expected:
                break
        return got
    finally:
        await consumer.stop()


async def test_batched_records_land_where_send_puts_them_in_order(settings: Settings) -> None:
    bootstrap = settings.kafka_bootstrap
    topic, other = _topic(bootstrap), _topic(bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        # Keys repeat, so each partition gets a run of records whose order must hold, ~20 kB
        # of them: more than one batch (16 kB). One value is larger than a batch and must
        # go on its own without reordering.
        records = [
            (topic, f"case-{i % 7}".encode(), f"{i:04d}".encode() * (5_000 if i == 40 else 50))
            for i in range(300)
        ] + [(other, b"k", b"elsewhere")]
        await send_batched(producer, records)
        # The partition a plain send chooses for each key, for comparison.
        plain = {
            key: (await (await producer.send(other, b"probe", key=key))).partition
            for key in {k for _, k, _ in records}
        }
    finally:
        await producer.stop()
    got = await _read_all(bootstrap, topic, 300)
    assert sum(map(len, got.values())) == 300
    for partition, received in got.items():
        assert {plain[key] for key, _ in received} == {partition}
    mine = [(k, v) for t, k, v in records if t == topic]
    for partition, received in got.items():
        assert received == [(k, v) for k, v in mine if plain[k] == partition]
    assert len(got) > 1  # the keys really spread over partitions


async def test_a_record_over_the_request_limit_is_refused_with_kafkas_error(
    settings: Settings,
) -> None:
    topic = _topic(settings.kafka_bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    await producer.start()
    try:
        with pytest.raises(MessageSizeTooLargeError):
            await send_batched(producer, [(topic, b"k", b"x" * 2_000_000)])
    finally:
        await producer.stop()


async def test_a_full_batch_of_the_workers_size_is_taken_by_a_topic_of_the_default_limit(
    settings: Settings,
) -> None:
    """The workers send batches of up to OCSEA_PRODUCER_BATCH_BYTES to one partition; the
    case and task topics keep Kafka's default record limit (1 MB), which a batch must fit."""
    topic = _topic(settings.kafka_bootstrap)
    size = settings.producer_batch_bytes
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap, acks="all", max_batch_size=size
    )
    await producer.start()
    try:
        # One key, so one partition: enough 1 kB records to fill one batch and start another.
        count = size // 1_000 + 50
        await send_batched(producer, [(topic, b"case", b"x" * 1_000)] * count, size)
    finally:
        await producer.stop()
    got = await _read_all(settings.kafka_bootstrap, topic, count)
    assert sum(map(len, got.values())) == count


async def test_a_workers_record_no_dead_letter_holds_is_kept_as_its_messages_and_the_rest_go(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A topic whose limit was lowered by hand, and a record too large for a dead letter to
    copy: the worker's send tried it for ever, and its input waited behind it. Now Kafka's
    refusal is kept as the dead letter of the message the record was made from."""
    bootstrap = settings.kafka_bootstrap
    small_topic = await lowered_topic(settings, "test.produce.small")
    event = event_of_words
    small, huge = event(1), event(ORIGINAL_MAX_B64 // 18 + 1)  # no letter can copy it
    where = f"test.origin.{uuid4().hex[:10]}"
    origins = [Origin(b"message one", f"{where}/0@1"), Origin(b"message two", f"{where}/0@2")]
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, max_request_size=topics.LARGE_RECORD_MAX_BYTES
    )
    await producer.start()

    async def send_records(_app: object, records: Sequence[Record]) -> None:
        await send_batched(producer, records)

    monkeypatch.setattr(faustapp, "send_records", send_records)
    kept = TopicWatch(small_topic, bootstrap)
    letters = TopicWatch(topics.DEAD_LETTERS, bootstrap, event_type="DeadLetterRecorded")
    try:
        items: Outgoing = [(small_topic, "k1", small), (small_topic, "k2", huge)]
        # Bounded: before, this never returned.
        await asyncio.wait_for(faustapp.send_events(object(), items, origins), 60)  # type: ignore[arg-type]
        assert kept.wait_for(lambda e: True)["event_id"] == str(small.event_id)
        letter = letters.wait_for(lambda e: e["payload"]["source"].startswith(where))
    finally:
        await producer.stop()
        kept.close()
        letters.close()
    assert letter["payload"]["source"] == f"{where}/0@2"
    assert letter["payload"]["reason"] == "output_refused_by_kafka: MessageSizeTooLargeError"
    assert base64.b64decode(letter["payload"]["original_b64"]) == b"message two"
    [error] = letter["payload"]["errors"]
    assert (error["code"], error["field"]) == ("output_refused", small_topic)
    assert "(key k2, " in error["message"]
