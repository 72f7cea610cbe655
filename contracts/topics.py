"""Topic names follow one convention: ocsea.<area>.<stream>.v<major contract version>.

A breaking contract change gets a new major and so a new topic; both run side by side
until every producer has moved.
"""

from dataclasses import dataclass

from contracts.enums import Agency, Channel

MAJOR = 1


def topic_name(area: str, stream: str, major: int = MAJOR) -> str:
    return f"ocsea.{area}.{stream}.v{major}"


INTAKE = {channel: topic_name("intake", channel.value) for channel in Channel}
REPORTS_TRIAGED = topic_name("reports", "triaged")
CASE_EVENTS = topic_name("cases", "events")
AGENCY_TASKS = {agency: topic_name("tasks", agency.value.lower()) for agency in Agency}
TASK_EVENTS = topic_name("tasks", "lifecycle")
AUDIT = topic_name("audit", "records")
DEAD_LETTERS = topic_name("deadletter", "all")


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str]


# Kafka's default record limit (brokers' message.max.bytes; Faust's producer default): a
# report on an intake topic, and every other event but two, stay under it.
RECORD_MAX_BYTES = 1_000_000
# Two topics take larger records. A triaged report carries what is derived from the report
# besides the report itself: up to ~2.7 times a report of long account values even without
# it (a 929 kB report gave ~2.5 MB), so a report the doors accept must fit. A dead letter
# keeps the refused message whole, base64-encoded (4/3 of its size), and the HTTP doors read
# bodies of up to 2 MiB. Every producer may send that much (runtime.faustapp, api.publisher).
# Consumers need no change: the broker returns a partition's first record whatever its size
# (aiokafka 0.14 with its 1 MiB per-partition fetch read a 2.5 MB record).
LARGE_RECORD_MAX_BYTES = 4 * 1024 * 1024

_WEEK_MS = str(7 * 24 * 3600 * 1000)
_FOREVER = "-1"


def all_topics(partitions: int = 4) -> list[TopicSpec]:
    """Every topic the system uses, with why each keeps data as long as it does."""
    keep_week = {"retention.ms": _WEEK_MS}
    # Case, task and dead-letter events are the record of what happened to a report:
    # kept forever so that nothing is lost and every dead letter can be found again.
    keep_forever = {"retention.ms": _FOREVER}
    specs = [TopicSpec(t, partitions, keep_week) for t in INTAKE.values()]
    large = {"max.message.bytes": str(LARGE_RECORD_MAX_BYTES)}
    specs.append(TopicSpec(REPORTS_TRIAGED, partitions, keep_week | large))
    specs.append(TopicSpec(CASE_EVENTS, partitions, keep_forever))
    specs += [TopicSpec(t, partitions, keep_forever) for t in AGENCY_TASKS.values()]
    specs.append(TopicSpec(TASK_EVENTS, partitions, keep_forever))
    # One partition: the audit trail is read in the order it was written.
    specs.append(TopicSpec(AUDIT, 1, keep_forever))
    specs.append(TopicSpec(DEAD_LETTERS, 1, keep_forever | large))
    return specs
