"""Dead letters on the host: what was refused and why, and putting back what may now go through.

    python -m cli.deadletters summary                 # how many, by reason and by source
    python -m cli.deadletters list [--reason R] [--source S] [--since ISO] [--limit 50]
    python -m cli.deadletters replay --reason link_failed [--source S] [--id EVENT_ID] [--yes]

Every message a worker, an agent or a door refused is kept on the dead-letter topic (kept
for ever) with its reason, its source ("topic/partition@offset", or the HTTP route) and its
bytes. A report refused for a passing reason (`link_failed: ...` while the graph refused a
batch, `events_failed: ...`, an agency's `receive_failed: ...`) is linked only when its bytes
go back to the topic they came from: `replay` sends them there, to the same partition, and
the worker takes them as any other message. A replay is safe to repeat: a report already
linked answers with its stored outcome, a task already received with its first receipt.

`replay` shows what it would send and sends only with `--yes`. It never sends: a message
that came through a door (the door answered its sender with the errors), one withheld as
possible media (never kept), an empty one (a tombstone). A message too large to copy into
its dead letter is read back from its source while that topic still keeps it. A message
refused by the contract goes back as it was: unless the code that refused it changed, it is
refused again (a second dead letter, naming the new offset), and the tool says so.

The tool prints no reporter's data: counts, reasons, sources, ids, sizes and the errors'
codes and fields. This reads Kafka directly and is for operators on the host, as the graph's
exclusion tool is; people use the HTTP API.
"""

import argparse
import base64
import binascii
import hashlib
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from cli.table import render
from contracts import topics
from contracts.deadletters import DeadLetterRecorded, FieldError
from contracts.media import looks_like_media
from contracts.registry import ContractError, decode_event
from runtime.settings import get_settings

# Reasons of a passing failure: the message was valid, and the same bytes go through once
# the graph takes them. Anything else was refused for what it is.
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
STALL_S = 30


@dataclass(frozen=True)
class KafkaSource:
    topic: str
    partition: int
    offset: int


def kafka_source(source: str) -> KafkaSource | None:
    """The topic, partition and offset a dead letter names; None for an HTTP route."""
    found = _KAFKA_SOURCE.match(source)
    if found is None:
        return None
    return KafkaSource(found["topic"], int(found["partition"]), int(found["offset"]))


@dataclass(frozen=True)
class Kept:
    """One record of the dead-letter topic: the dead letter, or why it could not be read."""

    offset: int
    letter: DeadLetterRecorded | None
    unreadable: str = ""
    partition: int = 0

    @property
    def reason(self) -> str:
        return self.letter.payload.reason if self.letter else "(unreadable record)"

    @property
    def source(self) -> str:
        if self.letter is not None:
            return self.letter.payload.source
        return f"{topics.DEAD_LETTERS}/{self.partition}@{self.offset}"


def source_name(source: str) -> str:
    """A source without its partition and offset: the topic, or the route as it is."""
    where = kafka_source(source)
    return where.topic if where else source


def matches_reason(reason: str, wanted: str) -> bool:
    """'link_failed' picks 'link_failed' and 'link_failed: ServiceUnavailable'."""
    return reason == wanted or reason.startswith(wanted + ":")


@dataclass
class Selection:
    reason: str | None = None
    source: str | None = None
    since: datetime | None = None
    ids: set[str] = field(default_factory=set)

    def picks(self, kept: Kept) -> bool:
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


def distinct(records: Iterable[Kept]) -> list[Kept]:
    """Each dead letter once, at its latest copy: a bad message delivered again, or the same
    bytes refused again by a door, makes the same dead letter (its id derives from its
    source and bytes), which the topic then holds twice."""
    latest: dict[object, Kept] = {}
    for kept in records:
        key = str(kept.letter.event_id) if kept.letter is not None else ("offset", kept.offset)
        latest.pop(key, None)  # re-inserted: the order is that of the latest copies
        latest[key] = kept
    return list(latest.values())


def _reader(bootstrap: str) -> KafkaConsumer:
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
    consumer = _reader(bootstrap)
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
                        out.append(_kept(record.offset, record.value, record.partition))
                        if progress and len(out) % PROGRESS_EVERY == 0:
                            progress(len(out))
        return out
    finally:
        consumer.close()


def _kept(offset: int, raw: bytes | None, partition: int = 0) -> Kept:
    try:
        letter = decode_event(raw, expected=(DeadLetterRecorded,))
    except ContractError as exc:
        return Kept(offset, None, exc.reason, partition)
    assert isinstance(letter, DeadLetterRecorded)
    copy = letter.payload.original_b64
    if copy is not None:
        try:
            base64.b64decode(copy, validate=True)
        except binascii.Error:
            return Kept(offset, None, "original_not_base64", partition)
    if letter.occurred_at.tzinfo is None:
        # Written without a zone (by hand: the workers write UTC): read as UTC, so that it
        # compares with the others.
        letter = letter.model_copy(update={"occurred_at": letter.occurred_at.replace(tzinfo=UTC)})
    return Kept(offset, letter, partition=partition)


# ---------------------------------------------------------------- summary and list


def summary(records: Sequence[Kept]) -> str:
    """How many dead letters, by reason and by source, with the first and last of each."""
    letters = distinct(records)
    unreadable = sum(1 for k in letters if k.letter is None)
    lines = [
        f"{len(letters) - unreadable:,} dead letter(s) on {topics.DEAD_LETTERS} "
        f"(and {len(records) - len(letters):,} repeats: the same message refused twice)"
    ]
    if unreadable:
        lines.append(f"{unreadable:,} record(s) there are no dead letter (listed by offset)")
    groups: list[tuple[str, Callable[[Kept], str]]] = [
        ("reason", lambda k: k.reason.partition(":")[0]),
        ("source", lambda k: source_name(k.source)),
    ]
    for column, key in groups:
        rows = _grouped(letters, records, column, key)
        table = render(rows, ["count", column, "first", "last"], 70)
        lines += ["", f"by {column}:", table]
    return "\n".join(lines)


def _grouped(
    letters: Sequence[Kept], records: Sequence[Kept], column: str, key: Callable[[Kept], str]
) -> list[dict[str, object]]:
    """Counts of distinct dead letters; first and last over every copy (a door refusing the
    same bytes again makes the same dead letter, later)."""
    counts = Counter(key(k) for k in letters)
    times: dict[str, list[datetime]] = {}
    for kept in records:
        if kept.letter is not None:
            times.setdefault(key(kept), []).append(kept.letter.occurred_at)
    return [
        {
            "count": f"{n:,}",
            column: name,
            "first": _when(min(times[name])) if name in times else "",
            "last": _when(max(times[name])) if name in times else "",
        }
        for name, n in counts.most_common()
    ]


def listing(records: Sequence[Kept], selection: Selection, limit: int) -> str:
    """The newest `limit` dead letters the selection picks, newest first."""
    picked = [k for k in distinct(records) if selection.picks(k)]
    rows = [
        {
            "when": _when(k.letter.occurred_at) if k.letter else "",
            "event_id": str(k.letter.event_id) if k.letter else "",
            "reason": k.reason,
            "source": k.source,
            "original": _original(k),
            "errors": _errors(k),
        }
        for k in reversed(picked[-limit:])
    ]
    shown = (
        f"the newest {len(rows):,} of {len(picked):,}"
        if len(picked) > limit
        else f"{len(picked):,}"
    )
    table = render(rows, ["when", "event_id", "reason", "source", "original", "errors"], 60)
    return f"{shown} dead letter(s)\n{table}"


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _original(kept: Kept) -> str:
    if kept.letter is None:
        return kept.unreadable
    payload = kept.letter.payload
    if payload.original_b64 is not None:
        return f"{len(base64.b64decode(payload.original_b64)):,} bytes"
    if any(e.code == NOT_COPIED for e in payload.errors):
        return "at its source"
    return "withheld (may be media)"


def _errors(kept: Kept) -> str:
    if kept.letter is None:
        return ""
    return "; ".join(
        f"{e.code} {_field(e)}".strip() for e in kept.letter.payload.errors if e.code != NOT_COPIED
    )


def _field(error: FieldError) -> str:
    """Where the error is; a key the sender added, which may be anything they typed, is
    not repeated."""
    if error.code == "extra_forbidden":
        parent = error.field.rpartition(".")[0]
        return f"{parent}.(a key not in the contract)" if parent else "(a key not in the contract)"
    return error.field


# ---------------------------------------------------------------- replay


@dataclass(frozen=True)
class Resend:
    """A dead letter's original, to go back to where it came from."""

    event_id: str
    reason: str
    to: KafkaSource
    value: bytes | None  # None: read it from its source (too large to copy)
    sha256: str  # of the original: what is read back from the source must be it


@dataclass
class ReplayPlan:
    resend: list[Resend] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


MAY_BE_MEDIA = "may be media bytes (copied by an earlier version): never sent"


def plan_replay(
    records: Sequence[Kept], selection: Selection, allowed: frozenset[str] = CONSUMED_TOPICS
) -> ReplayPlan:
    """What a replay of the selection would send, and what it leaves, by why."""
    plan = ReplayPlan()
    for kept in distinct(records):
        if kept.letter is None or not selection.picks(kept):
            continue
        payload = kept.letter.payload
        where = kafka_source(payload.source)
        if where is None:
            plan.skipped["came through a door (its sender had the errors)"] += 1
            continue
        resend = partial(Resend, str(kept.letter.event_id), payload.reason, where)
        if where.topic not in allowed:
            plan.skipped[f"from {where.topic}, which no worker consumes"] += 1
        elif payload.original_b64 is not None:
            value = base64.b64decode(payload.original_b64)
            if not value:
                plan.skipped["empty (a tombstone)"] += 1
            elif _may_be_media(value):
                # Dead letters are kept for ever: one an earlier version copied may hold
                # what today's check withholds.
                plan.skipped[MAY_BE_MEDIA] += 1
            else:
                plan.resend.append(resend(value, payload.original_sha256))
        elif any(e.code == NOT_COPIED for e in payload.errors):
            plan.resend.append(resend(None, payload.original_sha256))
        else:
            plan.skipped["withheld as possible media (never kept)"] += 1
    return plan


def _may_be_media(value: bytes) -> bool:
    return looks_like_media(value.decode("utf-8", errors="replace"))


def read_from_source(bootstrap: str, wanted: Sequence[Resend]) -> dict[str, bytes | str]:
    """By event id, the original read back from its source, or why it could not be: only
    the message at that offset whose SHA-256 is the dead letter's (a topic deleted and made
    again holds other messages at the same offsets)."""
    if not wanted:
        return {}
    consumer = _reader(bootstrap)
    found: dict[str, bytes | str] = {}
    try:
        for item in wanted:
            where = item.to
            if where.partition not in (consumer.partitions_for_topic(where.topic) or set()):
                found[item.event_id] = f"{where.topic} has no partition {where.partition} now"
                continue
            tp = TopicPartition(where.topic, where.partition)
            consumer.assign([tp])
            if consumer.beginning_offsets([tp])[tp] > where.offset:
                found[item.event_id] = "past its topic's retention"
                continue
            consumer.seek(tp, where.offset)
            found[item.event_id] = "no longer at its source"
            for _ in range(10):
                records = consumer.poll(timeout_ms=1000).get(tp, [])
                if records:
                    first = records[0]
                    value = first.value or b""
                    if first.offset != where.offset:
                        break
                    if hashlib.sha256(value).hexdigest() != item.sha256:
                        found[item.event_id] = "another message is at its source offset now"
                    elif _may_be_media(value):
                        found[item.event_id] = MAY_BE_MEDIA
                    else:
                        found[item.event_id] = value
                    break
    finally:
        consumer.close()
    return found


def send_back(
    bootstrap: str, resend: Sequence[Resend], progress: Callable[[int], None] | None = None
) -> tuple[int, dict[str, str]]:
    """Send each original to its topic and partition and wait for the acks. Returns how many
    went, and by event id why the others did not (read back from the source: see
    read_from_source; a partition the topic no longer has: not sent elsewhere)."""
    from_source = read_from_source(bootstrap, [r for r in resend if r.value is None])
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", max_request_size=topics.LARGE_RECORD_MAX_BYTES
    )
    unsent: dict[str, str] = {}
    sent = 0
    try:
        futures = []
        for item in resend:
            value = item.value if item.value is not None else from_source[item.event_id]
            if isinstance(value, str):
                unsent[item.event_id] = value
                continue
            if item.to.partition not in (producer.partitions_for(item.to.topic) or set()):
                unsent[item.event_id] = f"{item.to.topic} has no partition {item.to.partition} now"
                continue
            futures.append(producer.send(item.to.topic, value=value, partition=item.to.partition))
        producer.flush()
        for future in futures:
            future.get(timeout=30)  # raises what the broker refused
            sent += 1
            if progress and sent % 1000 == 0:
                progress(sent)
    finally:
        producer.close()
    return sent, unsent


def describe_plan(plan: ReplayPlan) -> str:
    by_topic = Counter(r.to.topic for r in plan.resend)
    lines = [f"{len(plan.resend):,} to send back:"]
    lines += [f"  {n:,} to {topic}" for topic, n in by_topic.most_common()]
    from_source = sum(1 for r in plan.resend if r.value is None)
    if from_source:
        lines.append(f"  ({from_source:,} read back from their source, too large to copy)")
    for why, n in plan.skipped.most_common():
        lines.append(f"{n:,} left: {why}")
    refused = Counter(
        r.reason.partition(":")[0]
        for r in plan.resend
        if not any(matches_reason(r.reason, passing) for passing in PASSING_REASONS)
    )
    if refused:
        named = ", ".join(f"{n:,} {reason}" for reason, n in refused.most_common())
        lines.append(
            f"note: {named}: a refusal of the message itself, not a passing failure; sent back "
            "unchanged, it is refused again unless the code that refused it changed"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cli.deadletters",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("summary", help="how many dead letters, by reason and by source")
    listing_ = sub.add_parser("list", help="dead letters, newest first")
    replay = sub.add_parser("replay", help="send originals back to the topic they came from")
    for command in (listing_, replay):
        command.add_argument("--reason", help="a reason, or its part before ':'")
        command.add_argument("--source", help="a topic, or an HTTP route as listed")
        command.add_argument("--since", type=datetime.fromisoformat, help="ISO time, with zone")
        command.add_argument("--id", action="append", default=[], help="an event id (repeatable)")
    listing_.add_argument("--limit", type=int, default=50)
    replay.add_argument("--yes", action="store_true", help="send; without it, only show")
    return parser


def _progress(what: str) -> Callable[[int], None]:
    return lambda n: print(f"  {what} {n:,}...", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    bootstrap = get_settings().kafka_bootstrap
    if args.command == "replay" and args.reason is None and not args.id:
        print(
            "replay needs --reason or --id: a replay of everything is never meant", file=sys.stderr
        )
        return 2
    if getattr(args, "since", None) is not None and args.since.tzinfo is None:
        print("--since needs a time zone, e.g. 2026-11-30T08:00:00+08:00", file=sys.stderr)
        return 2
    records = read_all(bootstrap, progress=_progress("read"))
    if args.command == "summary":
        print(summary(records))
        return 0
    selection = Selection(args.reason, args.source, args.since, set(args.id))
    if args.command == "list":
        print(listing(records, selection, args.limit))
        return 0
    plan = plan_replay(records, selection)
    print(describe_plan(plan))
    if not plan.resend:
        return 0
    if not args.yes:
        print("nothing sent: run again with --yes to send")
        return 0
    sent, unsent = send_back(bootstrap, plan.resend, _progress("sent"))
    print(f"sent {sent:,}")
    for event_id, why in unsent.items():
        print(f"not sent: {event_id}: {why}")
    return 1 if unsent else 0


if __name__ == "__main__":
    sys.exit(main())
