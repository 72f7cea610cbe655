"""Sending dead letters' originals back to the topic and partition they came from, and
recording each replay beside its dead letter."""

import base64
import hashlib
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from kafka import KafkaProducer, TopicPartition

from cli.deadletters.reading import (
    CONSUMED_TOPICS,
    NOT_COPIED,
    PASSING_REASONS,
    Destination,
    KafkaSource,
    Kept,
    Selection,
    distinct,
    kafka_source,
    matches_reason,
    reader,
    refused_again,
    refused_destination,
    replays,
)
from contracts import topics
from contracts.deadletters import (
    OUTPUT_REFUSED_BY_KAFKA,
    REFUSED_SOURCE_PREFIX,
    DeadLetterPayload,
    DeadLetterReplayed,
    DeadLetterReplayedPayload,
)
from contracts.registry import encode_event
from runtime.deadletter import withheld_as_media

PRODUCER = "cli.deadletters"


@dataclass(frozen=True)
class Resend:
    """A dead letter's original, to go back to where it came from (or, for a record Kafka
    refused on its way out, on to where it was going: `key` set, its partition the key's,
    as its sender's would have been)."""

    event_id: str
    reason: str
    to: KafkaSource
    value: bytes | None  # None: read it from its source (too large to copy)
    sha256: str  # of the original: what is read back from the source must be it
    key: bytes | None = None
    # Its record's time at its source, sent with it (DeadLetterPayload.received_at).
    timestamp_ms: int | None = None


@dataclass
class ReplayPlan:
    """What a replay would send, and how many it leaves, by why."""

    resend: list[Resend] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    # Records of a newer schema version: dead letters or records of replays this version
    # cannot read, so it cannot tell what they select or which letters went back already.
    newer: int = 0


MAY_BE_MEDIA = "may be media bytes (copied by an earlier version): never sent"
NEWER_VERSION = "unsupported_schema_version"
REPLAYED = "replayed before (--again sends it again)"
# Where a record Kafka refused on its way out may be sent on: the topics the workers and the
# outbox relay write, whose refusals become such dead letters. Not the intake topics (only
# the doors write them, which refuse an oversized report with a 413): a letter naming one
# would have the worker route a report no door checked.
OUTBOUND_TOPICS = frozenset(
    [
        topics.REPORTS_TRIAGED,
        topics.CASE_EVENTS,
        *topics.AGENCY_TASKS.values(),
        topics.TASK_EVENTS,
        topics.AUDIT,
    ]
)
# A resend to the partition its key picks, not to a partition of its own.
KEYS_PARTITION = -1
REFUSED_BY_KAFKA = "refused_by_kafka"
BOUNCED = "its last copy was refused again: that dead letter (same bytes) is the one to replay"


def plan_replay(
    records: Sequence[Kept],
    selection: Selection,
    allowed: frozenset[str] = CONSUMED_TOPICS,
    again: bool = False,
) -> ReplayPlan:
    """What a replay of the selection would send, and what it leaves, by why. A dead letter
    replayed before is left unless `again`; one whose last copy was refused again is left
    even then: that copy is a dead letter of its own, with the same bytes, and sending both
    sent the message twice (and twice as many on every replay after)."""
    plan = ReplayPlan(newer=sum(1 for k in records if k.unreadable == NEWER_VERSION))
    letters = distinct(records)
    replayed = replays(records)
    bounced = refused_again(letters, replayed)
    for kept in letters:
        if kept.letter is None or not selection.picks(kept):
            continue
        letter_id = str(kept.letter.event_id)
        if letter_id in bounced:
            plan.skipped[BOUNCED] += 1
            continue
        if letter_id in replayed and not again:
            plan.skipped[REPLAYED] += 1
            continue
        payload = kept.letter.payload
        destination = refused_destination(payload.source)
        if destination is not None:
            _plan_onward(plan, letter_id, payload, destination)
            continue
        if payload.source.startswith(REFUSED_SOURCE_PREFIX):
            plan.skipped["refused on its way out, its source naming no topic and key"] += 1
            continue
        where = kafka_source(payload.source)
        if where is None:
            plan.skipped["came through a door (its sender had the errors)"] += 1
            continue
        stamp = payload.received_at
        timestamp_ms = None if stamp is None else int(stamp.timestamp() * 1000)
        resend = partial(Resend, letter_id, payload.reason, where, timestamp_ms=timestamp_ms)
        if where.topic not in allowed:
            plan.skipped[f"from {where.topic}, which no worker consumes"] += 1
        elif payload.original_b64 is not None:
            value = base64.b64decode(payload.original_b64)
            if not value:
                plan.skipped["empty (a tombstone)"] += 1
            elif withheld_as_media(value, payload.errors):
                # Dead letters are kept for ever: one an earlier version copied may hold
                # what today's check withholds (runtime.deadletter's own test, whole).
                plan.skipped[MAY_BE_MEDIA] += 1
            else:
                plan.resend.append(resend(value, payload.original_sha256))
        elif any(e.code == NOT_COPIED for e in payload.errors):
            plan.resend.append(resend(None, payload.original_sha256))
        else:
            plan.skipped["withheld as possible media (never kept)"] += 1
    return plan


def _plan_onward(
    plan: ReplayPlan, letter_id: str, payload: DeadLetterPayload, destination: Destination
) -> None:
    """A record Kafka refused on its way out goes on to its topic, with its key (once the
    topic's limit is raised: else it is refused again, and the tool says so)."""
    if destination.topic not in OUTBOUND_TOPICS:
        why = f"was going to {destination.topic}, where a replay does not send on"
        plan.skipped[why] += 1
    elif payload.original_b64 is None:
        plan.skipped["its original could not be kept"] += 1
    elif not (value := base64.b64decode(payload.original_b64)):
        plan.skipped["empty (a tombstone)"] += 1
    elif withheld_as_media(value, payload.errors):
        plan.skipped[MAY_BE_MEDIA] += 1
    else:
        to = KafkaSource(destination.topic, KEYS_PARTITION, -1)
        sha = payload.original_sha256
        plan.resend.append(Resend(letter_id, payload.reason, to, value, sha, destination.key))


# Polls of a second for the message at a source offset before it counts as gone.
READ_BACK_POLLS = 10


def _partition_gone(where: KafkaSource) -> str:
    return f"{where.topic} has no partition {where.partition} now"


def read_from_source(bootstrap: str, wanted: Sequence[Resend]) -> dict[str, bytes | str]:
    """By event id, the original read back from its source, or why it could not be: only
    the message at that offset whose SHA-256 is the dead letter's (a topic deleted and made
    again holds other messages at the same offsets)."""
    if not wanted:
        return {}
    consumer = reader(bootstrap)
    found: dict[str, bytes | str] = {}
    try:
        for item in wanted:
            where = item.to
            if where.partition not in (consumer.partitions_for_topic(where.topic) or set()):
                found[item.event_id] = _partition_gone(where)
                continue
            tp = TopicPartition(where.topic, where.partition)
            consumer.assign([tp])
            if consumer.beginning_offsets([tp])[tp] > where.offset:
                found[item.event_id] = "past its topic's retention"
                continue
            consumer.seek(tp, where.offset)
            found[item.event_id] = "no longer at its source"
            for _ in range(READ_BACK_POLLS):
                records = consumer.poll(timeout_ms=1000).get(tp, [])
                if records:
                    first = records[0]
                    value = first.value or b""
                    if first.offset != where.offset:
                        break
                    if hashlib.sha256(value).hexdigest() != item.sha256:
                        found[item.event_id] = "another message is at its source offset now"
                    elif withheld_as_media(value):
                        found[item.event_id] = MAY_BE_MEDIA
                    else:
                        found[item.event_id] = value
                    break
    finally:
        consumer.close()
    return found


def send_back(
    bootstrap: str, resend: Sequence[Resend]
) -> tuple[dict[str, KafkaSource], dict[str, str]]:
    """Send each original to its topic and partition and wait for the acks. Returns, by
    event id, where each copy went, and why the others did not (read back from the source:
    see read_from_source; a partition the topic no longer has: not sent elsewhere; refused
    by the broker). A refusal is kept with the others, never raised: the copies that went
    must still be recorded."""
    from_source = read_from_source(bootstrap, [r for r in resend if r.value is None])
    partitions = _partitions_now(bootstrap, {r.to.topic for r in resend})
    producer = _producer(bootstrap)
    unsent: dict[str, str] = {}
    try:
        outgoing: list[tuple[str, dict[str, Any]]] = []
        for item in resend:
            value = item.value if item.value is not None else from_source[item.event_id]
            if isinstance(value, str):
                unsent[item.event_id] = value
            elif not partitions[item.to.topic]:
                unsent[item.event_id] = f"{item.to.topic} does not exist now"
            elif item.key is not None:  # on to where it was going, where its key puts it
                onward: dict[str, Any] = {"topic": item.to.topic, "value": value, "key": item.key}
                outgoing.append((item.event_id, onward))
            elif item.to.partition not in partitions[item.to.topic]:
                unsent[item.event_id] = _partition_gone(item.to)
            else:
                back: dict[str, Any] = {"topic": item.to.topic, "value": value}
                if _kept_long_enough(item.timestamp_ms):
                    # Received when it first was: intake reads a report's time received
                    # from its record where the message gives none.
                    back["timestamp_ms"] = item.timestamp_ms
                outgoing.append((item.event_id, back | {"partition": item.to.partition}))
        acked, refused = _send_each(producer, outgoing)
    finally:
        producer.close()
    sent = {event_id: KafkaSource(at.topic, at.partition, at.offset) for event_id, at in acked}
    return sent, unsent | refused


# A copy timed older than this is sent with the replay's time: the intake topics keep a week
# by their records' times, and a copy timed 8 days back could be deleted by the next
# retention check before intake read it (a review). The report is then received at the
# replay, as before 2026-12-02.
REPLAY_TIME_KEPT_MS = 6 * 24 * 3600 * 1000


def _kept_long_enough(timestamp_ms: int | None) -> bool:
    now_ms = int(time.time() * 1000)
    return timestamp_ms is not None and now_ms - timestamp_ms < REPLAY_TIME_KEPT_MS


def _partitions_now(bootstrap: str, names: set[str]) -> dict[str, set[int]]:
    """Each topic's partitions, empty for a topic that does not exist, read without making
    it: the producer's metadata request made a deleted topic again (the brokers create
    topics on demand), with the broker's defaults (one partition, a week's retention)
    instead of the topic's own, and sent the copy there."""
    consumer = reader(bootstrap)
    try:
        return {name: set(consumer.partitions_for_topic(name) or ()) for name in names}
    finally:
        consumer.close()


def _send_each(
    producer: KafkaProducer, outgoing: Sequence[tuple[str, dict[str, Any]]]
) -> tuple[list[tuple[str, Any]], dict[str, str]]:
    """Send each (id, producer.send arguments) and wait for the acks: the broker's answer
    (topic, partition, offset) of each one acked, in order, and why each other was not. A
    refusal is never raised: the others still go, and the caller says which did not."""
    futures = []
    refused: dict[str, str] = {}
    for item_id, send in outgoing:
        try:
            futures.append((item_id, producer.send(**send)))
        except Exception as exc:  # noqa: BLE001 - one refused, the others still go
            refused[item_id] = _refused(exc)
    producer.flush()
    acked = []
    for item_id, future in futures:
        try:
            acked.append((item_id, future.get(timeout=30)))
        except Exception as exc:  # noqa: BLE001 - kept beside the others, not raised
            refused[item_id] = _refused(exc)
    return acked, refused


def _refused(exc: Exception) -> str:
    return f"{type(exc).__name__} while sending"


def _producer(bootstrap: str) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", max_request_size=topics.LARGE_RECORD_MAX_BYTES
    )


def replay_records(
    sent: Mapping[str, KafkaSource], selection: str, now: datetime
) -> list[DeadLetterReplayed]:
    """One record for each dead letter sent back, naming where its copy went."""
    return [
        DeadLetterReplayed(
            occurred_at=now,
            producer=PRODUCER,
            # A dead letter is its own correlation (runtime.deadletter); its replay is of it.
            correlation_id=UUID(event_id),
            causation_id=UUID(event_id),
            payload=DeadLetterReplayedPayload(
                dead_letter_id=UUID(event_id),
                sent_to=f"{at.topic}/{at.partition}@{at.offset}",
                selection=selection,
            ),
        )
        for event_id, at in sent.items()
    ]


def record_replays(
    bootstrap: str, records: Sequence[DeadLetterReplayed], topic: str = topics.DEAD_LETTERS
) -> int:
    """Write the records beside the dead letters and wait for the acks; return how many
    were written (a record the broker refused is counted out, not raised)."""
    producer = _producer(bootstrap)
    try:
        outgoing = [
            (
                str(n),
                {
                    "topic": topic,
                    "key": str(record.payload.dead_letter_id).encode(),
                    "value": encode_event(record),
                },
            )
            for n, record in enumerate(records)
        ]
        acked, _ = _send_each(producer, outgoing)
    finally:
        producer.close()
    return len(acked)


# What a replay of the letters Kafka's refusals left does, said before --yes.
_NOTES = {
    REFUSED_BY_KAFKA: (
        "records Kafka refused on their way out (too large for their topic); sent on "
        "unchanged, they are refused again unless the topic's limit (max.message.bytes) was "
        "raised; each lands after the newer events of its key (a reader may take an older "
        "state for the last: pick them by --id where that matters)"
    ),
    OUTPUT_REFUSED_BY_KAFKA: (
        "messages of which a worker made a record Kafka refused (too large for its topic: "
        "`list` names the topic); the worker makes it again, and it is refused again unless "
        "that topic's limit (max.message.bytes) was raised"
    ),
}


def describe_plan(plan: ReplayPlan) -> str:
    """The plan as the operator reads it before saying --yes."""
    by_topic = Counter(r.to.topic for r in plan.resend)
    lines = [f"{len(plan.resend):,} to send back:"]
    lines += [f"  {n:,} to {topic}" for topic, n in by_topic.most_common()]
    from_source = sum(1 for r in plan.resend if r.value is None)
    if from_source:
        lines.append(f"  ({from_source:,} read back from their source, too large to copy)")
    for why, n in plan.skipped.most_common():
        lines.append(f"{n:,} left: {why}")
    if plan.newer:
        lines.append(
            f"{plan.newer:,} record(s) written by a newer version, unread: dead letters this "
            "selection may pick, or records of replays that would leave some of the above; "
            "replay with that version (this one does not send while they are there)"
        )
    for reason, note in _NOTES.items():
        if count := sum(1 for r in plan.resend if matches_reason(r.reason, reason)):
            lines.append(f"note: {count:,} {reason}: {note}")
    known_reasons = (*PASSING_REASONS, *_NOTES)
    refused = Counter(
        r.reason.partition(":")[0]
        for r in plan.resend
        if not any(matches_reason(r.reason, known) for known in known_reasons)
    )
    if refused:
        named = ", ".join(f"{n:,} {reason}" for reason, n in refused.most_common())
        lines.append(
            f"note: {named}: a refusal of the message itself, not a passing failure; sent back "
            "unchanged, it is refused again unless the code that refused it changed"
        )
    return "\n".join(lines)
