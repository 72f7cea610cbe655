"""Provisioning against the real Kafka: topics made by an earlier version get our configs."""

from uuid import uuid4

from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic

from contracts.topics import LARGE_RECORD_MAX_BYTES, TopicSpec, all_topics
from runtime.settings import Settings
from streams.provision import _reconcile_configs, create_topics


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
        # setting (not the broker's default) of someone's that provisioning does not own.
        theirs = {"segment.ms": "3600000"}
        admin.create_topics(
            [
                NewTopic(
                    name,
                    num_partitions=1,
                    replication_factor=1,
                    topic_configs={"retention.ms": "-1", **theirs},
                )
            ]
        )
        ours = {"retention.ms": "-1", "max.message.bytes": str(LARGE_RECORD_MAX_BYTES)}
        spec = TopicSpec(name, 1, ours)
        assert create_topics(settings, [spec]) == []  # it existed
        assert _configs(admin, name, [*ours, *theirs]) == {**ours, **theirs}
        assert _reconcile_configs(admin, [spec]) == []  # nothing left to change
    finally:
        admin.delete_topics([name])
        admin.close()


def test_the_dead_letter_and_triaged_topics_take_records_as_large_as_theirs_can_be() -> None:
    specs = {s.name.split(".")[1]: s for s in all_topics()}
    # The HTTP doors read up to 2 MiB; base64 makes that 2.7 MiB, plus the envelope.
    assert int(specs["deadletter"].config["max.message.bytes"]) >= 2 * 1024 * 1024 * 4 // 3
    # What is derived from a 1 MB report is up to ~2.7 MB (streams.intake).
    assert int(specs["reports"].config["max.message.bytes"]) >= 3_000_000


def test_a_topic_with_fewer_partitions_than_its_spec_is_said_not_changed(
    settings: Settings,
) -> None:
    """A topic auto-created with the broker's one partition, or made before the setting was
    raised, was kept silently: the workers ran on one partition each."""
    from streams.provision import fewer_partitions

    name = f"test.provision.{uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1)])
        assert fewer_partitions(admin, [TopicSpec(name, 4, {})]) == {name: 1}
        assert fewer_partitions(admin, [TopicSpec(name, 1, {})]) == {}
        create_topics(settings, [TopicSpec(name, 4, {})])
        (described,) = admin.describe_topics([name])
        assert len(described["partitions"]) == 1  # not changed
    finally:
        admin.delete_topics([name])
        admin.close()
