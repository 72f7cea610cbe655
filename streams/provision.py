"""Create the Kafka topics and apply the graph migrations: run before any worker starts."""

import time
from contextlib import suppress

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from contracts.topics import TopicSpec, all_topics
from graph.driver import sync_driver
from graph.migrate import migrate
from runtime.logs import configure_logging, get_logger
from runtime.settings import Settings, get_settings

log = get_logger(__name__)


def _admin(settings: Settings, wait_s: float = 60) -> KafkaAdminClient:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return KafkaAdminClient(
                bootstrap_servers=settings.kafka_bootstrap, client_id="ocsea-provision"
            )
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def create_topics(settings: Settings, specs: list[TopicSpec] | None = None) -> list[str]:
    """Create missing topics with explicit partitions and retention; return those created."""
    specs = specs or all_topics(settings.topic_partitions)
    admin = _admin(settings)
    try:
        existing = set(admin.list_topics())
        missing = [s for s in specs if s.name not in existing]
        for spec in missing:
            topic = NewTopic(
                spec.name,
                num_partitions=spec.partitions,
                replication_factor=1,
                topic_configs=spec.config,
            )
            # Another process may have provisioned it between list and create.
            with suppress(TopicAlreadyExistsError):
                admin.create_topics([topic])
        changed = _reconcile_configs(admin, [s for s in specs if s.name in existing])
        if changed:
            log.info("topic_configs_updated", topics=changed)
        _warn_of_fewer_partitions(admin, [s for s in specs if s.name in existing])
        return [s.name for s in missing]
    finally:
        admin.close()


def fewer_partitions(admin: KafkaAdminClient, specs: list[TopicSpec]) -> dict[str, int]:
    """The existing topics with fewer partitions than their spec (auto-created with the
    broker's one, or made before OCSEA_TOPIC_PARTITIONS was raised), and how many each has."""
    if not specs:
        return {}
    wanted = {s.name: s.partitions for s in specs}
    found = {t["name"]: len(t["partitions"]) for t in admin.describe_topics(list(wanted))}
    return {name: has for name, has in found.items() if has < wanted.get(name, has)}


def _warn_of_fewer_partitions(admin: KafkaAdminClient, specs: list[TopicSpec]) -> None:
    """Said, not changed: partitions added move keys to other partitions, so a case's or a
    task's events could be read out of order across the change. Raise them by hand with the
    workers stopped and drained (`kafka-topics.sh --alter --partitions N`)."""
    wanted = {s.name: s.partitions for s in specs}
    for name, has in fewer_partitions(admin, specs).items():
        log.warning("topic_has_fewer_partitions", topic=name, partitions=has, wanted=wanted[name])


def _reconcile_configs(admin: KafkaAdminClient, specs: list[TopicSpec]) -> list[str]:
    """A topic created by an earlier version keeps the configs it was created with (the
    record limits of the triaged and dead-letter topics came later): set the keys we set
    where they differ. Provisioning owns those keys (retention.ms, max.message.bytes): a
    value an operator set by hand is put back. Keys we do not set are left as they are.
    Returns the topics changed; raises if the broker refused a change (a dead-letter topic
    left at 1 MB would hold the intake up on the first large dead letter)."""
    if not specs:
        return []
    resources = [
        ConfigResource(ConfigResourceType.TOPIC, s.name, configs=dict.fromkeys(s.config))
        for s in specs
    ]
    described = admin.describe_configs(resources, config_filter="all").get("topic", {})
    changes = []
    for spec in specs:
        current = described.get(spec.name, {})
        differing = {
            key: value
            for key, value in spec.config.items()
            if str((current.get(key) or {}).get("value")) != value
        }
        if differing:
            changes.append(ConfigResource(ConfigResourceType.TOPIC, spec.name, configs=differing))
    if changes:
        results = admin.alter_configs(changes).get("topic", {})
        answers = {c.name: results.get(c.name, "no answer") for c in changes}
        if refused := {name: answer for name, answer in answers.items() if answer != "OK"}:
            raise RuntimeError(f"the broker refused topic config changes: {refused}")
    return [c.name for c in changes]


def provision(settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    created = create_topics(settings)
    with sync_driver(settings) as driver:
        applied = migrate(driver, settings.neo4j_database)
    log.info("provisioned", topics_created=len(created), migrations_applied=applied)


if __name__ == "__main__":
    configure_logging(get_settings().log_level)
    provision()
