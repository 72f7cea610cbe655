"""Reading the dead-letter topic: each record as a dead letter, a replay of one, or why it is
neither; where a dead letter came from, and which of them a selection picks."""

import base64
import binascii
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from kafka import KafkaConsumer, TopicPartition

from contracts import topics
from contracts.deadletters import REFUSED_SOURCE_PREFIX, DeadLetterRecorded, DeadLetterReplayed
from contracts.registry import ContractError, decode_event

PASSING_REASONS = ("link_failed", "events_failed", "receive_failed")
# The topics a worker or an agent consumes, which a replay may write to.
CONSUMED_TOPICS = frozenset(
    [
        *topics.INTAKE.values(),
        topics.REPORTS_TRIAGED,
        *topics.AGENCY_TASKS.values(),
        topics.TASK_EVENTS,
    ]
)
NOT_COPIED = "original_not_copied"
_KAFKA_SOURCE = re.compile(r"^(?P<topic>[^/\s]+)/(?P<partition>\d+)@(?P<offset>\d+)$")
PROGRESS_EVERY = 10_000
_Dated = TypeVar("_Dated", DeadLetterRecorded, DeadLetterReplayed)
STALL_S = 30
SELECTION_PART_CHARS = 200


@dataclass(frozen=True)
class KafkaSource:
    topic: str
    partition: int
    offset: int


@dataclass(frozen=True)
class Destination:
    """Where a record Kafka refused on its way out was going."""

    topic: str
    key: bytes


def refused_destination(source: str) -> Destination | None:
    """The topic and key a dead letter of a record Kafka refused names ('refused on the way
    to TOPIC key=KEY', runtime.deadletter); None for any other source."""
    if not source.startswith(REFUSED_SOURCE_PREFIX):
        return None
    topic, found, key = source.removeprefix(REFUSED_SOURCE_PREFIX).partition(" key=")
    if not found or not topic or " " in topic:
        return None
    return Destination(topic, key.encode())


def kafka_source(source: str) -> KafkaSource | None:
    """The topic, partition and offset a dead letter names; None for an HTTP route."""
    found = _KAFKA_SOURCE.match(source)
    if found is None:
        return None
    return KafkaSource(found["topic"], int(found["partition"]), int(found["offset"]))


@dataclass(frozen=True)
class Kept:
    """One record of the dead-letter topic: the dead letter, the record of a replay of one,
    or why it could not be read."""

    offset: int
    letter: DeadLetterRecorded | None
    unreadable: str = ""
    partition: int = 0
    replay: DeadLetterReplayed | None = None

    @property
    def reason(self) -> str:
        return self.letter.payload.reason if self.letter else "(unreadable record)"

    @property
    def source(self) -> str:
        if self.letter is not None:
            return self.letter.payload.source
        return f"{topics.DEAD_LETTERS}/{self.partition}@{self.offset}"


def source_name(source: str) -> str:
    """A source without its partition and offset: the topic, or the route as it is. For a
    record Kafka refused on its way out, the topic it was going to (so that `--source`
    picks those of one topic whose limit was raised, and the summary counts by topic)."""
    where = kafka_source(source)
    if where is not None:
        return where.topic
    destination = refused_destination(source)
    return destination.topic if destination else source


def matches_reason(reason: str, wanted: str) -> bool:
    """'link_failed' picks 'link_failed' and 'link_failed: ServiceUnavailable'."""
    return reason == wanted or reason.startswith(wanted + ":")


@dataclass
class Selection:
    """Which dead letters a command works on; unset parts pick everything."""

    reason: str | None = None
    source: str | None = None
    since: datetime | None = None
    ids: set[str] = field(default_factory=set)

    def picks(self, kept: Kept) -> bool:
        if kept.replay is not None:
            return False  # not a dead letter: shown beside the one it replayed
        if kept.letter is None:
            # No reason, source or time of its own: only in a listing of everything.
            return self.reason is self.source is self.since is None and not self.ids
        if self.reason is not None and not matches_reason(kept.reason, self.reason):
            return False
        if self.source is not None and source_name(kept.source) != self.source:
            return False
        if self.since is not None and kept.letter.occurred_at < self.since:
            return False
        return not self.ids or str(kept.letter.event_id) in self.ids

    def described(self) -> str:
        """The selection as the operator gave it, for the record of a replay (each part cut
        to SELECTION_PART_CHARS: an operator may type anything)."""
        given = [
            ("--reason", self.reason),
            ("--source", self.source),
            ("--since", self.since.isoformat() if self.since else None),
            (
                "--id",
                f"({len(self.ids):,} ids)" if len(self.ids) > 1 else next(iter(self.ids), None),
            ),
        ]
        return " ".join(
            f"{flag} {value[:SELECTION_PART_CHARS]}" for flag, value in given if value is not None
        )


def distinct(records: Iterable[Kept]) -> list[Kept]:
    """Each dead letter once, at its latest copy, and no record of a replay: a bad message
    delivered again, or the same bytes refused again by a door, makes the same dead letter
    (its id derives from its source and bytes), which the topic then holds twice."""
    latest: dict[object, Kept] = {}
    for kept in records:
        if kept.replay is not None:
            continue
        key = str(kept.letter.event_id) if kept.letter is not None else ("offset", kept.offset)
        latest.pop(key, None)  # re-inserted: the order is that of the latest copies
        latest[key] = kept
    return list(latest.values())


def reader(bootstrap: str) -> KafkaConsumer:
    """A consumer of no group (it commits nothing) that takes the largest records."""
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_bytes=topics.LARGE_RECORD_MAX_BYTES * 2,
        max_partition_fetch_bytes=topics.LARGE_RECORD_MAX_BYTES * 2,
    )


def read_all(
    bootstrap: str, topic: str = topics.DEAD_LETTERS, progress: Callable[[int], None] | None = None
) -> list[Kept]:
    """Every record of the dead-letter topic up to its end when called, oldest first."""
    consumer = reader(bootstrap)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        if not partitions:
            raise SystemExit(f"topic {topic} does not exist on {bootstrap}: start the services")
        consumer.assign(partitions)
        ends = consumer.end_offsets(partitions)
        consumer.seek_to_beginning(*partitions)
        out: list[Kept] = []
        stalled_since = time.monotonic()
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            polled = consumer.poll(timeout_ms=1000)
            if polled:
                stalled_since = time.monotonic()
            elif time.monotonic() - stalled_since > STALL_S:
                raise SystemExit(f"{topic}: nothing read for {STALL_S} s, {len(out):,} records in")
            for records in polled.values():
                for record in records:
                    if record.offset < ends[TopicPartition(record.topic, record.partition)]:
                        out.append(kept_from(record.offset, record.value, record.partition))
                        if progress and len(out) % PROGRESS_EVERY == 0:
                            progress(len(out))
        return out
    finally:
        consumer.close()


def replays(records: Iterable[Kept]) -> dict[str, list[DeadLetterReplayed]]:
    """By dead letter id, the records of its replays, oldest first."""
    found: dict[str, list[DeadLetterReplayed]] = {}
    for kept in records:
        if kept.replay is not None:
            found.setdefault(str(kept.replay.payload.dead_letter_id), []).append(kept.replay)
    return found


def refused_again(
    letters: Iterable[Kept], replayed: dict[str, list[DeadLetterReplayed]]
) -> set[str]:
    """The dead letters whose last replayed copy was refused again: another dead letter,
    made after this one, names as its source where that copy went (and holds the same
    bytes). Not the letter itself: a topic made again restarts its offsets, and a copy can
    land at the very offset its original came from."""
    by_id = {str(k.letter.event_id): k.letter for k in letters if k.letter is not None}
    at_source: dict[str, list[DeadLetterRecorded]] = {}
    for letter in by_id.values():
        at_source.setdefault(letter.payload.source, []).append(letter)
    refused = set()
    for letter_id, records in replayed.items():
        original = by_id.get(letter_id)
        last = max(records, key=lambda r: r.occurred_at)
        if original is not None and any(
            str(other.event_id) != letter_id and _copy_of(other, original, last)
            for other in at_source.get(last.payload.sent_to, [])
        ):
            refused.add(letter_id)
    return refused


# The replay is recorded once its chunk is acked: the copy's own dead letter, made by a
# worker as soon as the copy arrived, can be older than the record by that long.
RECORDED_AFTER_SEND = timedelta(minutes=10)


def _copy_of(
    other: DeadLetterRecorded, original: DeadLetterRecorded, replay: DeadLetterReplayed
) -> bool:
    """Whether `other`, a dead letter of the offset the replay sent to, is of that copy:
    made after it was sent, and of the same bytes where both hashes are known. Compared with
    the original's time, a letter a day after it, of another message at that offset before
    the topic was made again, marked a replay made a week later 'refused again'."""
    same_bytes = (
        not other.payload.original_sha256
        or not original.payload.original_sha256
        or other.payload.original_sha256 == original.payload.original_sha256
    )
    return same_bytes and other.occurred_at >= replay.occurred_at - RECORDED_AFTER_SEND


def kept_from(offset: int, raw: bytes | None, partition: int = 0) -> Kept:
    try:
        letter = decode_event(raw, expected=(DeadLetterRecorded, DeadLetterReplayed))
    except ContractError as exc:
        return Kept(offset, None, exc.reason, partition)
    if isinstance(letter, DeadLetterReplayed):
        return Kept(offset, None, partition=partition, replay=_in_utc(letter))
    assert isinstance(letter, DeadLetterRecorded)
    copy = letter.payload.original_b64
    if copy is not None:
        try:
            base64.b64decode(copy, validate=True)
        except binascii.Error:
            return Kept(offset, None, "original_not_base64", partition)
    return Kept(offset, _in_utc(letter), partition=partition)


def _in_utc(event: _Dated) -> _Dated:
    """Written without a zone (by hand: the workers write UTC): read as UTC, so that it
    compares with the others."""
    if event.occurred_at.tzinfo is not None:
        return event
    return event.model_copy(update={"occurred_at": event.occurred_at.replace(tzinfo=UTC)})
