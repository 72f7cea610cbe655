"""The tests' topic watch (tests.e2e.kafka_probe) on the real Kafka: a watch of dead letters
passes over the records of replays kept beside them on the same topic."""

from datetime import UTC, datetime
from uuid import uuid4

from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from contracts.deadletters import DeadLetterReplayed, DeadLetterReplayedPayload
from contracts.registry import encode_event
from runtime.deadletter import dead_letter
from runtime.settings import Settings
from tests.e2e.kafka_probe import TopicWatch


def test_a_watch_of_one_event_type_passes_over_the_others(settings: Settings) -> None:
    topic = f"test.probe.{uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        admin.close()
    letter = dead_letter(b"{}", "test/0@0", "a reason", [], "tests")
    replay = DeadLetterReplayed(
        occurred_at=datetime.now(UTC),
        producer="tests",
        correlation_id=uuid4(),
        payload=DeadLetterReplayedPayload(
            dead_letter_id=letter.event_id, sent_to="test/0@1", selection="--id"
        ),
    )
    every = TopicWatch(topic, settings.kafka_bootstrap)
    letters = TopicWatch(topic, settings.kafka_bootstrap, event_type="DeadLetterRecorded")
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    try:
        for event in (replay, letter):  # the replay first, as a predicate would meet it
            producer.send(topic, encode_event(event))
        producer.flush()
        found = letters.wait_for(lambda e: e["payload"]["source"] == "test/0@0")
        assert found["event_id"] == str(letter.event_id)
        # Unfiltered, the replay is read first and has no source.
        first = every.wait_for(lambda e: True)
        assert first["event_type"] == "DeadLetterReplayed" and "source" not in first["payload"]
    finally:
        producer.close()
        every.close()
        letters.close()
