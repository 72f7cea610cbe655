"""The dead-letter tool against the real Kafka (cli.deadletters), on topics of the test's own:
it reads a dead-letter topic whole, sends each original back to the partition it came from,
reading one too large to copy from its source, and records the replays so that a second
replay leaves them."""

import time
from collections import defaultdict
from datetime import UTC, datetime
from uuid import uuid4

from aiokafka.partitioner import DefaultPartitioner
from kafka import KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic

from cli.deadletters.reading import KafkaSource, Kept, Selection, read_all, reader
from cli.deadletters.replay import REPLAYED, plan_replay, record_replays, replay_records, send_back
from contracts import topics
from contracts.registry import encode_event
from runtime.deadletter import ORIGINAL_MAX_B64, dead_letter, letters_for_refused
from runtime.produce import Refusal
from runtime.settings import Settings


def _topics(bootstrap: str, *partitions: int) -> list[str]:
    names = [f"test.deadletters.{uuid4().hex[:10]}" for _ in partitions]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    large = {"max.message.bytes": str(topics.LARGE_RECORD_MAX_BYTES)}
    try:
        admin.create_topics(
            [
                NewTopic(name, num_partitions=n, replication_factor=1, topic_configs=large)
                for name, n in zip(names, partitions, strict=True)
            ]
        )
    finally:
        admin.close()
    return names


def _values_by_partition(bootstrap: str, topic: str, partitions: int) -> dict[int, list[bytes]]:
    consumer = reader(bootstrap)
    try:
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(tps)
        ends = consumer.end_offsets(tps)
        consumer.seek_to_beginning(*tps)
        got: dict[int, list[bytes]] = defaultdict(list)
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            for tp, records in consumer.poll(timeout_ms=1000).items():
                got[tp.partition] += [r.value for r in records]
        return got
    finally:
        consumer.close()


def _delete(bootstrap: str, *names: str) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.delete_topics(list(names))
    finally:
        admin.close()


def test_originals_go_back_to_their_partition_also_one_read_from_its_source(
    settings: Settings,
) -> None:
    bootstrap, now = settings.kafka_bootstrap, datetime.now(UTC)
    source, letters = _topics(bootstrap, 3, 1)
    small = b'{"a report": "refused while the graph was down"}'
    # Words, not one long run of letters (which a dead letter withholds as media-like).
    large = b"words and more " * (ORIGINAL_MAX_B64 // 15)
    other = b"other words " * (ORIGINAL_MAX_B64 // 12)
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", max_request_size=topics.LARGE_RECORD_MAX_BYTES
    )
    try:
        at_small = producer.send(source, value=small, partition=2).get(timeout=30)
        at_large = producer.send(source, value=large, partition=1).get(timeout=30)
        made = [
            dead_letter(small, f"{source}/2@{at_small.offset}", "link_failed: X", [], "tests"),
            dead_letter(large, f"{source}/1@{at_large.offset}", "link_failed: X", [], "tests"),
            dead_letter(b"{", f"{source}/0@0", "not_json", [], "tests"),
            # Too large to copy, and its source offset holds another message (a topic made
            # again); and one from a partition the topic does not have.
            dead_letter(other, f"{source}/2@{at_small.offset}", "link_failed: Y", [], "tests"),
            dead_letter(small, f"{source}/7@0", "link_failed: Z", [], "tests"),
        ]
        assert made[1].payload.original_b64 is None  # too large: it stays at its source
        for letter in [*made, made[0]]:  # the first delivered twice
            producer.send(letters, value=encode_event(letter)).get(timeout=30)
    finally:
        producer.close()

    try:
        records = read_all(bootstrap, letters)
        assert [k.letter.event_id for k in records if k.letter] == [
            *(m.event_id for m in made),
            made[0].event_id,
        ]
        selection = Selection(reason="link_failed")
        plan = plan_replay(records, selection, allowed=frozenset([source]))
        sent, unsent = send_back(bootstrap, plan.resend)
        after = _values_by_partition(bootstrap, source, 3)
        record_replays(bootstrap, replay_records(sent, selection.described(), now), letters)
        # Read again: the two sent are left by a second replay, the two unsent are not.
        second = plan_replay(read_all(bootstrap, letters), selection, allowed=frozenset([source]))
    finally:
        _delete(bootstrap, source, letters)

    # Each copy went after its original: the next offset of its partition.
    assert sent == {
        str(made[0].event_id): KafkaSource(source, 2, at_small.offset + 1),
        str(made[1].event_id): KafkaSource(source, 1, at_large.offset + 1),
    }
    assert second.skipped[REPLAYED] == 2
    assert sorted(r.event_id for r in second.resend) == sorted(
        [str(made[3].event_id), str(made[4].event_id)]
    )
    assert unsent == {
        str(made[3].event_id): "another message is at its source offset now",
        str(made[4].event_id): f"{source} has no partition 7 now",
    }
    assert after[2] == [small, small]
    assert after[1] == [large, large]
    assert after[0] == []


def test_a_record_kafka_refused_goes_on_to_its_topic_where_its_key_puts_it(
    settings: Settings,
) -> None:
    """Kept as a dead letter when its topic refused it (runtime.deadletter), a case event is
    sent on to the case topic once the limit is raised, to the partition its key picks: the
    same as the workers' sends (aiokafka's partitioner), after the case's earlier events."""
    bootstrap = settings.kafka_bootstrap
    (letters,) = _topics(bootstrap, 1)
    key = f"case-{uuid4()}".encode()
    event = dead_letter(b"{}", "test/0@0", "a case event in words " * 100, [], "tests")
    record = (topics.CASE_EVENTS, key, encode_event(event))
    [(_, _, kept)], _ = letters_for_refused([Refusal(record, "MessageSizeTooLargeError")], "t")
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    try:
        producer.send(letters, value=kept).get(timeout=30)
        partitions = sorted(producer.partitions_for(topics.CASE_EVENTS))
    finally:
        producer.close()
    expected = DefaultPartitioner()(key, partitions, partitions)
    try:
        plan = plan_replay(read_all(bootstrap, letters), Selection(reason="refused_by_kafka"))
        sent, unsent = send_back(bootstrap, plan.resend)
    finally:
        _delete(bootstrap, letters)
    [(letter_id, at)] = sent.items()
    assert unsent == {} and (at.topic, at.partition) == (topics.CASE_EVENTS, expected)
    consumer = reader(bootstrap)
    try:
        tp = TopicPartition(topics.CASE_EVENTS, at.partition)
        consumer.assign([tp])
        consumer.seek(tp, at.offset)
        polled: list = []
        for _ in range(10):
            polled += consumer.poll(timeout_ms=1_000).get(tp, [])
            if polled:
                break
        copy = polled[0]
    finally:
        consumer.close()
    assert (copy.key, copy.value) == (key, record[2])


def test_a_copy_for_a_topic_deleted_since_is_not_sent_and_the_topic_not_made_again(
    settings: Settings,
) -> None:
    """The producer's metadata request made a deleted topic again (the broker creates
    topics on demand), with one partition and the broker's retention, and sent the copy
    there (a helper's bug hunt)."""
    bootstrap = settings.kafka_bootstrap
    (source,) = _topics(bootstrap, 1)
    letter = dead_letter(b'{"a report": 1}', f"{source}/0@0", "link_failed: X", [], "tests")
    _delete(bootstrap, source)
    _wait_until_gone(bootstrap, source)
    plan = plan_replay(
        [Kept(0, letter)], Selection(reason="link_failed"), allowed=frozenset([source])
    )
    assert len(plan.resend) == 1
    sent, unsent = send_back(bootstrap, plan.resend)
    consumer = reader(bootstrap)
    try:
        exists = source in consumer.topics()
    finally:
        consumer.close()
    assert (sent, unsent) == ({}, {str(letter.event_id): f"{source} does not exist now"})
    assert not exists


def _wait_until_gone(bootstrap: str, topic: str) -> None:
    """A deletion is asynchronous: wait until the metadata no longer lists it."""
    consumer = reader(bootstrap)
    try:
        for _ in range(100):
            if topic not in consumer.topics():
                return
            time.sleep(0.1)
        raise AssertionError(f"{topic} still listed 10 s after its deletion")
    finally:
        consumer.close()


def test_an_original_goes_back_with_its_records_time(settings: Settings) -> None:
    """Intake reads a report's time received from its record where the message gives none:
    sent back with the replay's time, a report replayed two days later was received two days
    late, and its tasks fell due two days late (a review of the dead letters). One timed
    more than REPLAY_TIME_KEPT_MS back goes with the replay's time: the topic's retention,
    by records' times, could delete it before intake read it."""
    bootstrap = settings.kafka_bootstrap
    source, letters = _topics(bootstrap, 1, 1)
    now_ms = int(time.time() * 1000)
    two_days_ms, eight_days_ms = now_ms - 2 * 86_400_000, now_ms - 8 * 86_400_000
    values = [b'{"a report": "refused two days ago"}', b'{"a report": "refused 8 days ago"}']
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    made = []
    try:
        for value, stamp in zip(values, (two_days_ms, eight_days_ms), strict=True):
            at = producer.send(source, value=value, partition=0, timestamp_ms=stamp).get(30)
            received = datetime.fromtimestamp(stamp / 1000, UTC)
            where = f"{source}/0@{at.offset}"
            made.append(dead_letter(value, where, "triage_failed: X", [], "t", received))
            producer.send(letters, value=encode_event(made[-1])).get(timeout=30)
    finally:
        producer.close()
    try:
        plan = plan_replay(read_all(bootstrap, letters), Selection(), allowed=frozenset([source]))
        sent, unsent = send_back(bootstrap, plan.resend)
        consumer = reader(bootstrap)
        try:
            partition = TopicPartition(source, 0)
            consumer.assign([partition])
            copies = {}
            for letter in made:
                consumer.seek(partition, sent[str(letter.event_id)].offset)
                [copies[str(letter.event_id)]] = consumer.poll(timeout_ms=5000)[partition][:1]
        finally:
            consumer.close()
    finally:
        _delete(bootstrap, source, letters)
    assert unsent == {}
    recent, old = (copies[str(letter.event_id)] for letter in made)
    assert recent.value == values[0] and recent.timestamp == two_days_ms
    assert old.value == values[1] and old.timestamp >= now_ms  # the replay's time
