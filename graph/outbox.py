"""The transactional outbox: events are written in the transaction of the change they
announce, and a relay (agents.outbox) publishes them once it has committed.

Officer actions (api.tasks), SLA escalations (agents.sla) and the linker's decisions
(graph.linking: tasks a merge superseded, a case's change of status) change tasks and cases
in the graph and announce it on the lifecycle topic; audit records (graph.audit) are copied
to the audit topic; data repairs (graph.platform_tasks) stage theirs too. (Until 2026-11-30
the linker sent its changes straight to Kafka after its commit: a report reopening a case
just closed by an officer could be announced before the officer's change, staged earlier
and relayed after, and the topic's last word on the case was "closed".) Sent after the
commit, an event Kafka refused was lost; sent before it (inside the transaction), the
task's and case's locks were held over a network round trip, a send that failed part-way
left events out for a change that was rolled back, and a consumer could read the graph
before the commit. Here the events are part of the change: committed with it or rolled
back with it, and published only once they are in the graph.

Events are numbered by one counter node (`seq`). A transaction writes its events last, so
it holds the counter's lock only from then to its commit, and numbers follow commit order:
the relay never sees a number before a smaller one that will still commit.

The relay sends a page in seq order, waits for the broker's acks and deletes the page, in
one transaction that holds the relay lock: two relays never send one event twice. A commit
that fails after the send (or a relay killed between the two) sends the page again on the
next pass, with the same event ids: delivery is at least once, and consumers dedupe on
event_id as they do for every event. A send cut by the relay's timeout is not withdrawn: its
records may still reach the broker, after which the page goes again. Through one producer
they stay in order per partition; with two agents processes, a late copy from one can land
after newer events of its key from the other, so order holds up to such repeats. An event
Kafka refuses for what it is (larger than its topic takes) ends its page: it goes to the
dead letters in its place (or, where no dead letter holds it, too large, withheld as
possible media or refused on the dead-letter topic too, is set aside in the graph as an
OutboxRefused node), and the next page goes on after it: its later events of the same key
are published without it.

One counter orders every staged event, so the commits of everything that stages (officer
actions, SLA groups, audited reads, and linker decisions that merged or reopened a case)
queue for it, each from its staging to its commit: a few milliseconds, which bounds them
together to some hundreds a second (a decision stages once for its whole batch). Per-key
counters would lift that if it ever binds; it is far above what people reading and acting
make.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, ManagedTransaction

from contracts.envelope import Outgoing
from contracts.registry import encode_event
from graph.driver import BatchParameter, collected_rows
from runtime import metrics
from runtime.deadletter import count_refused_kept, letters_for_refused
from runtime.logs import get_logger
from runtime.produce import REFUSED_FOR_WHAT_IT_IS, Record, Refusal, send_up_to_refusal

RELAY_PRODUCER = "agents.outbox"
log = get_logger(__name__)

# Answers how many events it wrote: none when the counter node is missing (migration 0015
# not applied), which stage() refuses rather than commit a change without its events.
STAGE = """
OPTIONAL MATCH (counter:OutboxCounter {name: 'events'})
SET counter.next = counter.next + size($batch.events)
WITH counter, counter.next - size($batch.events) AS base
CALL (counter, base) {
  WITH counter, base WHERE counter IS NOT NULL
  UNWIND range(0, size($batch.events) - 1) AS n
  WITH base + n AS seq, $batch.events[n] AS e
  CREATE (:OutboxEvent {seq: seq, event_id: e.event_id, event_type: e.event_type,
                        topic: e.topic, key: e.key, value: e.value, staged_at: $now})
  RETURN count(*) AS written
}
RETURN written
"""

# Events numbered after $after, in order: a seek on the seq constraint's index, no sort.
READ_STAGED = """
MATCH (e:OutboxEvent) WHERE e.seq > $after
WITH e ORDER BY e.seq LIMIT $limit
RETURN collect({seq: e.seq, topic: e.topic, key: e.key, value: e.value}) AS rows
"""

# The lock is taken before the page is read (the read is inside a CALL that needs `lock`):
# a second relay waits here, then reads what the first left.
TAKE_PAGE = f"""
MATCH (lock:OutboxCounter {{name: 'relay'}})
SET lock.taken = lock.taken + 1
WITH lock
CALL (lock) {{{READ_STAGED}}}
RETURN rows
"""

DELETE_SENT = """
UNWIND $batch.seqs AS seq
MATCH (e:OutboxEvent {seq: seq})
DELETE e
"""

# An event Kafka refuses that no dead letter holds (over ~3 MB, withheld as possible media,
# or refused on the dead-letter topic too): kept in the graph, out of the relay's way.
# Find them with MATCH (e:OutboxRefused) RETURN e.
SET_ASIDE = """
MATCH (e:OutboxEvent {seq: $seq})
REMOVE e:OutboxEvent
SET e:OutboxRefused, e.refused_reason = $reason, e.refused_at = datetime()
"""

NEXT_SEQ = "MATCH (counter:OutboxCounter {name: 'events'}) RETURN counter.next AS next"

# The count from Neo4j's count store, the age from the first event by seq (an index seek):
# cheap enough to ask several times a second.
PENDING = """
MATCH (e:OutboxEvent) WITH count(e) AS pending
OPTIONAL MATCH (oldest:OutboxEvent) WHERE oldest.seq >= 0
WITH pending, oldest ORDER BY oldest.seq LIMIT 1
RETURN pending, oldest.staged_at AS oldest_staged_at
"""

# Sends records in order and returns once the broker has acked every one.
SendRecords = Callable[[Sequence[Record]], Awaitable[None]]


@dataclass(frozen=True)
class StagedEvent:
    seq: int
    topic: str
    key: str
    value: bytes


def _staged(row: dict[str, Any]) -> StagedEvent:
    return StagedEvent(row["seq"], row["topic"], row["key"], row["value"].encode())


def _rows(events: Outgoing) -> list[dict[str, str]]:
    return [
        {
            "event_id": str(event.event_id),
            "event_type": event.event_type,
            "topic": topic,
            "key": key,
            "value": encode_event(event).decode(),
        }
        for topic, key, event in events
    ]


def _check_written(written: int, rows: list[dict[str, str]]) -> None:
    if written != len(rows):
        raise RuntimeError("the outbox counter is missing: apply the migrations (graph.migrate)")


async def stage(tx: AsyncManagedTransaction, events: Outgoing, now: datetime) -> None:
    """Write `events` to the outbox in the caller's transaction. Call it last: from here to
    the commit the transaction holds the counter every other change waits for."""
    if not events:
        return
    rows = _rows(events)
    batch = BatchParameter(events=rows)
    record = await (await tx.run(STAGE, batch=batch, now=now)).single(strict=True)
    _check_written(record["written"], rows)


def stage_sync(tx: ManagedTransaction, events: Outgoing, now: datetime) -> None:
    """stage, in a transaction of the synchronous driver (data repairs)."""
    if not events:
        return
    rows = _rows(events)
    _check_written(
        tx.run(STAGE, batch=BatchParameter(events=rows), now=now).single(strict=True)["written"],
        rows,
    )


@dataclass
class _Page:
    handled: int = 0  # published, kept as a dead letter or set aside
    ended_early: bool = False  # at an event Kafka refused: the rest go in the next page
    dead_lettered: int = 0
    set_aside: int = 0


async def _relay_page(
    tx: AsyncManagedTransaction, send: SendRecords, limit: int, send_timeout_s: float
) -> _Page:
    rows = await collected_rows(tx, TAKE_PAGE, after=-1, limit=limit)
    page = [_staged(row) for row in rows]
    if not page:
        return _Page()
    # Every send of the page is cut at one deadline, inside Neo4j's transaction timeout.
    deadline = time.monotonic() + send_timeout_s

    async def send_in_time(records: Sequence[Record]) -> None:
        await asyncio.wait_for(send(records), max(0.0, deadline - time.monotonic()))

    records = [(e.topic, e.key.encode(), e.value) for e in page]
    # An event Kafka refuses for what it is (larger than its topic takes) held back every
    # change staged after it, each pass failing on it for ever. The page now ends there
    # (one at a time up to it, for at most half the deadline), and the event is kept: as
    # a dead letter, or, where none can hold it, set aside in the graph (OutboxRefused).
    went, refusal = await send_up_to_refusal(send_in_time, records, send_timeout_s / 2)
    done = [e.seq for e in page[:went]]
    result = _Page(handled=went)
    if refusal is not None:
        refused = page[went]
        kept = await _keep_refused(tx, send_in_time, refusal, refused)
        if kept == "dead_letter":
            done.append(refused.seq)
            result.dead_lettered = 1
        result.set_aside = int(kept == "set_aside")
        result.handled += int(kept is not None)
    result.ended_early = result.handled < len(page)
    await (await tx.run(DELETE_SENT, batch=BatchParameter(seqs=done))).consume()
    return result


async def _keep_refused(
    tx: AsyncManagedTransaction, send_in_time: SendRecords, refusal: Refusal, event: StagedEvent
) -> str | None:
    """Keep a refused event as a dead letter ("dead_letter"), or set it aside in the graph
    ("set_aside") when no dead letter can hold it or the dead-letter topic refuses that too
    (it failed every pass); None when the letter's send ran out of time: the event stays
    staged and the next page starts at it, with a whole deadline."""
    letters, _ = letters_for_refused([refusal], RELAY_PRODUCER)
    if letters:
        try:
            await send_in_time(letters)
            return "dead_letter"
        except REFUSED_FOR_WHAT_IT_IS:
            pass
        except TimeoutError:
            return None
    reason = f"refused_by_kafka: {refusal.error}"
    await (await tx.run(SET_ASIDE, seq=event.seq, reason=reason)).consume()
    log.error("outbox_event_set_aside", seq=event.seq, topic=event.topic)
    return "set_aside"


async def relay(
    driver: AsyncDriver,
    send: SendRecords,
    database: str = "neo4j",
    page_size: int = 500,
    send_timeout_s: float = 30.0,
) -> int:
    """Publish every staged event, a page to a transaction, until none is left; return how
    many were sent (or kept as dead letters, or set aside). A failed send rolls its page
    back (the events stay) and raises.

    The page's sends are cut at `send_timeout_s` together, inside Neo4j's own transaction
    timeout: a producer left waiting on an unreachable broker would otherwise hold the relay
    lock far longer."""
    relayed = 0
    while True:
        async with driver.session(database=database) as session:
            page = await session.execute_write(_relay_page, send, page_size, send_timeout_s)
        # Counted once committed (a retried transaction sends its page again).
        count_refused_kept(page.dead_lettered)
        metrics.OUTBOX_SET_ASIDE.inc(page.set_aside)
        relayed += page.handled
        # A page that ended early goes on with the next one, unless nothing went at all.
        if page.handled == 0 or (page.handled < page_size and not page.ended_early):
            return relayed


@dataclass(frozen=True)
class Backlog:
    pending: int  # events waiting to be published
    oldest_staged_at: datetime | None  # when the oldest of them was staged


async def backlog(driver: AsyncDriver, database: str = "neo4j") -> Backlog:
    """How many events wait to be published, and since when."""
    records, _, _ = await driver.execute_query(PENDING, database_=database, routing_="r")
    oldest = records[0]["oldest_staged_at"]
    return Backlog(int(records[0]["pending"]), oldest.to_native() if oldest else None)


async def next_seq(driver: AsyncDriver, database: str = "neo4j") -> int:
    """The number the next staged event will get: events staged from now on come after it."""
    records, _, _ = await driver.execute_query(NEXT_SEQ, database_=database, routing_="r")
    return int(records[0]["next"])


async def staged_events(
    driver: AsyncDriver, after: int = -1, limit: int = 1000, database: str = "neo4j"
) -> list[StagedEvent]:
    """Events still waiting, numbered after `after`, in the order they will be published."""
    records, _, _ = await driver.execute_query(
        READ_STAGED, after=after, limit=limit, database_=database, routing_="r"
    )
    return [_staged(row) for row in records[0]["rows"]]
