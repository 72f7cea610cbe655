"""Provisioning against the real Kafka: topics made by an earlier version get our configs."""

from uuid import uuid4

from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic

from contracts.topics import DEAD_LETTER_MAX_BYTES, TopicSpec, all_topics
from runtime.settings import Settings
from streams.provision import create_topics


def _configs(admin: KafkaAdminClient, topic: str, keys: list[str]) -> dict[str, str]:
    resource = ConfigResource(ConfigResourceType.TOPIC, topic, configs=dict.fromkeys(keys))
    described = admin.describe_configs([resource], config_filter="all")["topic"][topic]
    return {key: str(described[key]["value"]) for key in keys}


def test_an_existing_topic_gets_the_configs_it_lacks_and_keeps_the_others(
    settings: Settings,
) -> None:
    name = f"test.provision.{uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        # As an earlier version made the dead-letter topic: retention only, and one more
        # setting of someone's that provisioning does not own.
        admin.create_topics(
            [
                NewTopic(
                    name,
                    num_partitions=1,
                    replication_factor=1,
                    topic_configs={"retention.ms": "-1", "cleanup.policy": "delete"},
                )
            ]
        )
        ours = {"retention.ms": "-1", "max.message.bytes": str(DEAD_LETTER_MAX_BYTES)}
        created = create_topics(settings, [TopicSpec(name, 1, ours)])
        assert created == []  # it existed
        keys = ["retention.ms", "max.message.bytes", "cleanup.policy"]
        assert _configs(admin, name, keys) == {**ours, "cleanup.policy": "delete"}
        assert create_topics(settings, [TopicSpec(name, 1, ours)]) == []  # idempotent
    finally:
        admin.delete_topics([name])
        admin.close()


def test_the_dead_letter_topic_takes_records_as_large_as_a_dead_letter_can_be() -> None:
    (spec,) = [s for s in all_topics() if s.name.startswith("ocsea.deadletter.")]
    # The HTTP doors read up to 2 MiB; base64 makes that 2.7 MiB, plus the envelope.
    assert int(spec.config["max.message.bytes"]) >= 2 * 1024 * 1024 * 4 // 3 + 64 * 1024
