"""The transactional outbox (graph.outbox) against the real Neo4j and Kafka: an officer's
action stages its events in its own transaction, and the relay publishes them in order,
once, and only after the commit."""

import asyncio
import base64
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4, uuid5

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError
from neo4j import AsyncDriver, AsyncManagedTransaction

from api.app import create_app
from api.audit import Auditor
from api.publisher import Publisher
from api.security.principal import Role
from api.tasks import OfficerAction, act_and_stage
from contracts import topics
from contracts.audit import AuditRecorded
from contracts.deadletters import REFUSED_SOURCE_PREFIX
from contracts.enums import Agency
from contracts.envelope import Outgoing
from contracts.lifecycle import CaseStatusChanged, TaskClaimed
from contracts.registry import decode_event, encode_event
from graph import outbox
from graph.audit import audit_fields, audit_trail, verify_chain
from graph.lifecycle import Action
from graph.tasks import get_task
from runtime.deadletter import dead_letter
from runtime.produce import Record, send_batched
from runtime.settings import Settings
from streams.provision import create_topics
from tests.e2e.conftest import bearer
from tests.e2e.kafka_probe import TopicWatch
from tests.factories import unique
from tests.integration.landed import Landed, Landing, closed_port
from tests.integration.locks import blocked_behind
from tests.integration.refusals import event_of_words, lowered_topic
from tests.integration.staged import Staged, task_of
from tests.integration.test_lifecycle import case_status_of, make_case

T = TypeVar("T")

PDRM = Agency.PDRM


def claim(task_id: str, officer: str) -> OfficerAction:
    return OfficerAction(
        task_id=task_id,
        action=Action.CLAIM,
        actor=officer,
        agency=PDRM,
        at=datetime.now(UTC),
        correlation_id=uuid4(),
    )


async def officer_acts(driver: AsyncDriver, change: OfficerAction) -> None:
    async with driver.session() as session:
        await session.execute_write(act_and_stage, change)


class Relayed:
    """A relay's send through a real producer, keeping what it gave Kafka; with `fail_after`,
    it fails once the broker has acked (as a connection lost before the relay's commit);
    with `lag_s`, a slower broker's round trip."""

    def __init__(self, producer: AIOKafkaProducer, fail_after: bool = False, lag_s: float = 0):
        self.producer, self.fail_after, self.lag_s = producer, fail_after, lag_s
        self.records: list[Record] = []

    async def __call__(self, records: Sequence[Record]) -> None:
        await asyncio.sleep(self.lag_s)
        await send_batched(self.producer, records)
        self.records.extend(records)
        if self.fail_after:
            raise ConnectionResetError("lost after the broker acked")

    def event_ids(self) -> list[UUID]:
        return [decode_event(value).event_id for _, _, value in self.records]


@asynccontextmanager
async def producer_of(settings: Settings) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def on_kafka(landing: Landing, event_ids: set[UUID]) -> list[Landed]:
    """The records of `event_ids` that reached Kafka (those read back since `landing` opened)."""
    return [r for r in await landing.naming(*map(str, event_ids)) if r.event.event_id in event_ids]


async def test_an_action_and_its_audit_record_commit_together_or_not_at_all(
    neo4j: AsyncDriver,
) -> None:
    """The record of who completed, declined or claimed a task was appended after the
    action's commit: a process stopped in between left the action with no record."""
    case_id, tasks = await make_case(neo4j)
    task_id = tasks[PDRM]
    change = claim(task_id, "pdrm-officer-7")
    audit = audit_fields(
        actor="pdrm-officer-7", role="officer", agency="PDRM", action="task.claim",
        case_id=None, target=f"task:{task_id}", purpose=None, now=datetime.now(UTC),
    )  # fmt: skip

    async with neo4j.session() as session:
        tx = await session.begin_transaction()
        await act_and_stage(tx, change, audit)  # type: ignore[arg-type]
        await tx.rollback()  # as a process stopped before the commit
    assert await audit_trail(neo4j, case_id) == []

    async with neo4j.session() as session:
        await session.execute_write(act_and_stage, change, audit)
    task = await get_task(neo4j, task_id)
    assert task is not None and task.status == "claimed"
    (record,) = await audit_trail(neo4j, case_id)
    assert (record.action, record.actor, record.case_id) == (
        "task.claim",
        "pdrm-officer-7",
        case_id,
    )
    # At the action's time: read once the task's lock was taken, no earlier than the request.
    assert record.at == task.updated_at and record.at >= change.at
    assert verify_chain([record])


async def test_an_action_stages_its_events_with_the_change_and_loses_them_with_it(
    neo4j: AsyncDriver,
) -> None:
    case_id, tasks = await make_case(neo4j)
    task_id = tasks[PDRM]
    change = claim(task_id, "pdrm-officer-3")
    staged = await Staged.from_now(neo4j)

    async with neo4j.session() as session:
        tx = await session.begin_transaction()
        await act_and_stage(tx, change)  # type: ignore[arg-type]
        await tx.rollback()  # as a commit that failed
    assert await staged.sent() == []
    task = await get_task(neo4j, task_id)
    assert task is not None and task.status == "assigned"

    await officer_acts(neo4j, change)
    events = [e for _, _, e in await staged.sent()]
    assert [type(e) for e in events] == [TaskClaimed, CaseStatusChanged]
    # Stable for the attempt: a transaction the driver runs again stages the same ids.
    assert events[0].event_id == uuid5(UUID(task_id), f"TaskClaimed@{change.at.isoformat()}")
    assert events[1].causation_id == events[0].event_id
    assert await case_status_of(neo4j, case_id) == "in_progress"


async def test_the_relay_publishes_in_order_and_empties_the_outbox(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    _, tasks = await make_case(neo4j)
    task_id = tasks[PDRM]
    staged = await Staged.from_now(neo4j)
    await officer_acts(neo4j, claim(task_id, "pdrm-officer-6"))
    start = OfficerAction(
        task_id=task_id,
        action=Action.START,
        actor="pdrm-officer-6",
        agency=PDRM,
        at=datetime.now(UTC),
        correlation_id=uuid4(),
    )
    await officer_acts(neo4j, start)
    mine = [e.event_id for _, _, e in await staged.sent()]
    assert len(mine) == 3  # claimed, the case in progress, started

    # Kafka is down (nothing listens where the producer looks): the send waits for the
    # broker until the page's deadline, the page is rolled back and every event stays.
    down = AIOKafkaProducer(bootstrap_servers=closed_port(), acks="all")
    try:
        with pytest.raises(KafkaConnectionError):
            await down.start()
        with pytest.raises(TimeoutError):
            await outbox.relay(
                neo4j, lambda records: send_batched(down, records), send_timeout_s=0.5
            )
    finally:
        await down.stop()
    assert [e.event_id for _, _, e in await staged.sent()] == mine

    spec = next(s for s in topics.all_topics() if s.name == topics.TASK_EVENTS)
    await asyncio.to_thread(create_topics, settings, [spec])  # no-op when provisioned
    watch = TopicWatch(topics.TASK_EVENTS, settings.kafka_bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        assert await outbox.relay(neo4j, lambda records: send_batched(producer, records)) >= 3
        wanted = [str(event_id) for event_id in mine]
        got = [watch.wait_for(lambda e: e["event_id"] in wanted) for _ in wanted]
    finally:
        await producer.stop()
        watch.close()
    # One task's events share its key, so its partition: they arrive as they were committed.
    assert [e["event_id"] for e in got if e["payload"].get("task_id") == task_id] == [
        wanted[0],
        wanted[2],
    ]
    assert sorted(e["event_id"] for e in got) == sorted(wanted)
    assert await staged.sent(relayed_here=True) == []
    assert (await outbox.backlog(neo4j)).pending == 0


async def staged_by(driver: AsyncDriver, mark: int) -> dict[str, list[int]]:
    """The seqs staged from `mark` on, by the task their event is about."""
    by_task: dict[str, list[int]] = {}
    for e in await outbox.staged_events(driver, after=mark - 1, limit=100_000):
        task_id = task_of(decode_event(e.value))
        if task_id:
            by_task.setdefault(task_id, []).append(e.seq)
    return by_task


@pytest.mark.parametrize("first_commits", [True, False], ids=["commits", "rolls-back"])
async def test_numbers_follow_commit_order_with_no_gap(
    neo4j: AsyncDriver, first_commits: bool
) -> None:
    """A transaction that numbered its events holds the counter until it ends: another one
    staging meanwhile waits, then numbers after it if it committed, or from where it began if
    it rolled back. So the relay never meets a number that a later commit fills in."""
    _, first_tasks = await make_case(neo4j)
    _, second_tasks = await make_case(neo4j)
    first, second = first_tasks[PDRM], second_tasks[PDRM]
    mark = await outbox.next_seq(neo4j)
    tag = unique("counter")
    async with neo4j.session() as session:
        tx = await session.begin_transaction(metadata={"test": tag})
        await act_and_stage(tx, claim(first, "pdrm-officer-11"))  # type: ignore[arg-type]
        later = asyncio.create_task(officer_acts(neo4j, claim(second, "pdrm-officer-12")))
        try:
            waited = await blocked_behind(neo4j, tag)
            assert waited, "the second change did not wait for the counter"
            assert not later.done()
        finally:
            await (tx.commit() if first_commits else tx.rollback())
    await later
    seqs = await staged_by(neo4j, mark)
    if first_commits:
        assert seqs[first] == [mark] and seqs[second] == [mark + 2]  # after the case event
    else:
        assert first not in seqs and seqs[second] == [mark]


async def test_two_relays_publish_each_event_once(neo4j: AsyncDriver, settings: Settings) -> None:
    staged = await Staged.from_now(neo4j)
    for _ in range(3):
        _, tasks = await make_case(neo4j)
        await officer_acts(neo4j, claim(tasks[PDRM], "pdrm-officer-8"))
    events = await staged.sent()
    mine = {e.event_id for _, _, e in events}
    where = {e.event_id: (topic, key) for topic, key, e in events}
    bootstrap = settings.kafka_bootstrap
    async with (
        producer_of(settings) as producer,
        Landing.of(bootstrap, sorted({topic for topic, _ in where.values()})) as kafka,
    ):
        # A round trip of 50 ms (loopback's is a few), so that the two relays overlap: one
        # sends its page while the other waits for the relay lock, and takes the next page.
        first, second = Relayed(producer, lag_s=0.05), Relayed(producer, lag_s=0.05)
        # Pages of two, so that both relays have several pages to contend for.
        await asyncio.gather(
            outbox.relay(neo4j, first, page_size=2), outbox.relay(neo4j, second, page_size=2)
        )
        landed = await on_kafka(kafka, mine)
    sent = first.event_ids() + second.event_ids()
    assert len(mine) == 6 and sorted(i for i in sent if i in mine) == sorted(mine)
    assert len(sent) == len(set(sent))
    assert first.records and second.records  # both relays took pages
    # Kafka holds each once, where it was staged for.
    assert sorted(r.event.event_id for r in landed) == sorted(mine)
    assert all((r.topic, r.key) == where[r.event.event_id] for r in landed)


async def test_a_page_whose_commit_fails_after_the_send_is_sent_again_as_it_was(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """At least once: the broker took the page, the relay could not delete it; the next pass
    sends the same bytes, which consumers drop by event_id."""
    _, tasks = await make_case(neo4j)
    staged = await Staged.from_now(neo4j)
    await officer_acts(neo4j, claim(tasks[PDRM], "pdrm-officer-10"))
    events = await staged.sent()
    mine = {e.event_id for _, _, e in events}
    assert len(mine) == 2  # claimed, the case in progress
    bootstrap = settings.kafka_bootstrap
    async with (
        producer_of(settings) as producer,
        Landing.of(bootstrap, sorted({topic for topic, _, _ in events})) as kafka,
    ):
        # One page for everything staged, whatever other tests left before ours.
        lost = Relayed(producer, fail_after=True)
        with pytest.raises(ConnectionResetError):
            await outbox.relay(neo4j, lost, page_size=100_000)
        again = Relayed(producer)
        await outbox.relay(neo4j, again, page_size=100_000)
        landed = await on_kafka(kafka, mine)

    def of_mine(relayed: Relayed) -> list[Record]:
        return [r for r, i in zip(relayed.records, relayed.event_ids(), strict=True) if i in mine]

    assert len(of_mine(lost)) == 2
    assert of_mine(again) == of_mine(lost)
    # Kafka holds each of them twice, the same bytes under the same key on the same topic.
    assert sorted((r.topic, r.key.encode(), r.value) for r in landed) == sorted(of_mine(lost) * 2)
    assert {(r.topic, r.key) for r in landed} == {(topic, key) for topic, key, _ in events}
    assert await staged.sent(relayed_here=True) == []


async def test_an_officer_acts_while_kafka_is_down_and_the_action_is_kept(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """The API does not talk to Kafka for an action: the officer's claim is answered and
    kept, and its events and its audit record's copy wait in the outbox for the relay."""
    case_id, tasks = await make_case(neo4j)
    task_id = tasks[PDRM]
    app = create_app(settings)
    # The lifespan would connect the publisher to Kafka; this one finds no broker there.
    down = Publisher(closed_port())
    with pytest.raises(KafkaConnectionError):
        await down.start()
    app.state.settings, app.state.graph, app.state.publisher = settings, neo4j, down
    app.state.auditor = Auditor(neo4j, settings.neo4j_database)
    officer = bearer(Role.OFFICER, PDRM, "pdrm-officer-5")
    staged = await Staged.from_now(neo4j)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            # Bounded: a publish would wait for the broker (a minute), not fail.
            claiming = client.post(f"/v1/tasks/{task_id}/claim", json={}, headers=officer)
            answer = await asyncio.wait_for(claiming, 10)
    finally:
        await down.stop()
    assert answer.status_code == 200, answer.text
    task = await get_task(neo4j, task_id)
    assert task is not None and task.status == "claimed" and task.claimed_by == "pdrm-officer-5"
    events = [e for _, _, e in await staged.sent()]
    # The claim's two events, then the audit record of the claim.
    assert [type(e) for e in events] == [TaskClaimed, CaseStatusChanged, AuditRecorded]
    assert str(events[1].payload.case_id) == case_id  # type: ignore[attr-defined]


async def test_an_officers_action_and_an_audited_read_of_its_case_do_not_deadlock(
    neo4j: AsyncDriver,
) -> None:
    """An audited read locks its case's audit chain and then the outbox counter (to stage the
    record's copy). An officer's action staged its events first (the counter) and then
    locked the chain for its own record: the two waited on each other, and Neo4j failed one
    (retried, a ~50 ms hiccup or more under load). Every change now takes a chain before the
    counter. Each side here runs in an explicit transaction, so a deadlock raises."""
    from graph.audit_cypher import LOCK_CHAIN

    case_id, tasks = await make_case(neo4j)
    change = claim(tasks[PDRM], "pdrm-officer-9")
    audit = audit_fields(
        actor="pdrm-officer-9", role="officer", agency="PDRM", action="task.claim",
        case_id=None, target=f"task:{tasks[PDRM]}", purpose=None, now=datetime.now(UTC),
    )  # fmt: skip
    now = datetime.now(UTC)
    reader = neo4j.session()
    officer = neo4j.session()
    tag = unique("read")
    read_tx = await reader.begin_transaction(metadata={"test": tag})
    try:
        # The audited read has its chain...
        await (await read_tx.run(LOCK_CHAIN, chain=case_id, at=now)).consume()

        async def act() -> None:
            tx = await officer.begin_transaction()
            try:
                await act_and_stage(tx, change, audit)  # type: ignore[arg-type]
                await tx.commit()
            finally:
                await tx.close()

        acting = asyncio.create_task(act())
        # ...the officer's action is waiting on it...
        assert await blocked_behind(neo4j, tag), "the officer's action never waited"
        assert not acting.done()
        # ...and the read stages its copy: before, the action held the counter here.
        copy = (topics.AUDIT, case_id, dead_letter(b"{}", "t/0@0", "stand-in", [], "tests"))
        await asyncio.wait_for(outbox.stage(read_tx, [copy], now), 10)  # type: ignore[arg-type]
        await read_tx.rollback()  # nothing of this stand-in read is kept
        await asyncio.wait_for(acting, 10)
    finally:
        await read_tx.close()
        await reader.close()
        await officer.close()
    task = await get_task(neo4j, tasks[PDRM])
    assert task is not None and task.status == "claimed"


async def test_audit_records_for_two_chains_take_both_before_the_counter(
    neo4j: AsyncDriver,
) -> None:
    """Records of several chains in one transaction (an audited search naming several
    cases) staged each copy after its chain: holding the counter, the transaction waited
    for its next chain, which an audited read held while waiting for the counter."""
    from graph.audit import append_all
    from graph.audit_cypher import LOCK_CHAIN
    from runtime.metrics import GRAPH_RETRIES

    first, second = str(uuid4()), str(uuid4())
    now = datetime.now(UTC)
    records = [
        audit_fields(
            actor="analyst-3",
            role="analyst",
            agency="MCMC",
            action="graph.search",
            case_id=chain,
            target=None,
            purpose="linking review",
            now=now,
        )  # fmt: skip
        for chain in (first, second)
    ]
    retried = GRAPH_RETRIES.labels(work="audit_append")._value.get()
    reader = neo4j.session()
    tag = unique("read")
    read_tx = await reader.begin_transaction(metadata={"test": tag})
    try:
        await (await read_tx.run(LOCK_CHAIN, chain=max(first, second), at=now)).consume()
        appending = asyncio.create_task(append_all(neo4j, records, "tests.audit"))
        # The append has the first chain and waits for the second.
        assert await blocked_behind(neo4j, tag), "the append never waited for the read's chain"
        assert not appending.done()
        copy = (topics.AUDIT, first, dead_letter(b"{}", "t/0@0", "stand-in", [], "tests"))
        await asyncio.wait_for(outbox.stage(read_tx, [copy], now), 10)  # type: ignore[arg-type]
        await read_tx.rollback()
        written = await asyncio.wait_for(appending, 10)
    finally:
        await read_tx.close()
        await reader.close()
    assert sorted(e.chain for e in written) == sorted([first, second])
    assert GRAPH_RETRIES.labels(work="audit_append")._value.get() == retried  # no deadlock


async def test_no_audit_records_append_nothing(neo4j: AsyncDriver) -> None:
    from graph.audit import append_all

    assert await append_all(neo4j, [], "tests.audit") == []


async def _stage(driver: AsyncDriver, events: Outgoing) -> None:
    async def write(tx: AsyncManagedTransaction) -> None:
        await outbox.stage(tx, events, datetime.now(UTC))

    async with driver.session() as session:
        await session.execute_write(write)


async def test_an_event_its_topic_refuses_is_kept_as_a_dead_letter_and_the_rest_go(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """One staged event larger than its topic takes (a topic's limit lowered by hand, say)
    held back every change staged after it: each pass failed on it, for ever."""
    bootstrap = settings.kafka_bootstrap
    small_topic = await lowered_topic(settings, "test.outbox.small")
    event = event_of_words
    before, large, after = event(1), event(300), event(2)
    assert len(encode_event(large)) > 2000 > len(encode_event(after))
    staged = await Staged.from_now(neo4j)
    await _stage(neo4j, [(small_topic, "k1", before), (small_topic, "k2", large)])
    await _stage(neo4j, [(small_topic, "k3", after)])

    small = TopicWatch(small_topic, bootstrap)
    letters = TopicWatch(topics.DEAD_LETTERS, bootstrap, event_type="DeadLetterRecorded")
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await outbox.relay(neo4j, lambda records: send_batched(producer, records))
        got = [small.wait_for(lambda e: True)["event_id"] for _ in range(2)]
        letter = letters.wait_for(
            lambda e: e["payload"]["source"].endswith(f"{small_topic} key=k2")
        )
    finally:
        await producer.stop()
        small.close()
        letters.close()
    assert got == [str(before.event_id), str(after.event_id)]  # in order, the large one left
    assert letter["payload"]["source"] == f"{REFUSED_SOURCE_PREFIX}{small_topic} key=k2"
    assert letter["payload"]["reason"] == "refused_by_kafka: MessageSizeTooLargeError"
    assert base64.b64decode(letter["payload"]["original_b64"]) == encode_event(large)
    assert await staged.sent(relayed_here=True) == []  # none stays staged


async def _relay_and_watch(
    neo4j: AsyncDriver, bootstrap: str, topic: str, letters_refused: bool = False
) -> dict[str, Any]:
    """Run the relay through a real producer and return the first event it publishes on
    `topic`. With `letters_refused`, dead letters are refused as by a dead-letter topic
    whose limit was lowered by hand."""
    watch = TopicWatch(topic, bootstrap)
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", max_request_size=topics.LARGE_RECORD_MAX_BYTES
    )
    await producer.start()

    async def send(records: Sequence[Record]) -> None:
        if letters_refused and any(t == topics.DEAD_LETTERS for t, _, _ in records):
            raise MessageSizeTooLargeError()
        await send_batched(producer, records)

    try:
        await outbox.relay(neo4j, send)
        return watch.wait_for(lambda e: True)
    finally:
        await producer.stop()
        watch.close()


async def test_an_event_no_dead_letter_can_hold_is_set_aside_and_the_rest_go(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """Over ~3 MB, a refused event cannot be copied into a dead letter: it stays in the graph,
    out of the relay's way (it stayed staged, and every pass failed on it)."""
    bootstrap = settings.kafka_bootstrap
    small_topic = await lowered_topic(settings, "test.outbox.small")
    huge, after = event_of_words(180_000), event_of_words(1)
    assert len(encode_event(huge)) > 3_100_000
    staged = await Staged.from_now(neo4j)
    await _stage(neo4j, [(small_topic, "k1", huge), (small_topic, "k2", after)])
    [mark] = [e.seq for e in await outbox.staged_events(neo4j, after=staged.mark - 1)][:1]

    got = await _relay_and_watch(neo4j, bootstrap, small_topic)
    assert got["event_id"] == str(after.event_id)
    assert await staged.sent(relayed_here=True) == []
    records, _, _ = await neo4j.execute_query(
        "MATCH (e:OutboxRefused {seq: $seq}) RETURN e.topic AS topic, e.refused_reason AS why, "
        "size(e.value) AS size",
        seq=mark,
    )
    assert [(r["topic"], r["why"]) for r in records] == [
        (small_topic, "refused_by_kafka: MessageSizeTooLargeError")
    ]
    assert records[0]["size"] == len(encode_event(huge))
    await neo4j.execute_query("MATCH (e:OutboxRefused {seq: $seq}) DELETE e", seq=mark)


async def test_an_event_whose_dead_letter_is_refused_too_is_set_aside(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """The dead-letter topic's limit lowered by hand as well: the letter's refusal failed
    every pass on the same event. Kafka here refuses what its topic does not take; the send
    refuses the dead-letter topic's records as a broker with a lowered limit would."""
    bootstrap = settings.kafka_bootstrap
    small_topic = await lowered_topic(settings, "test.outbox.small")
    large, after = event_of_words(300), event_of_words(1)
    staged = await Staged.from_now(neo4j)
    await _stage(neo4j, [(small_topic, "k1", large), (small_topic, "k2", after)])
    [mark] = [e.seq for e in await outbox.staged_events(neo4j, after=staged.mark - 1)][:1]
    got = await _relay_and_watch(neo4j, bootstrap, small_topic, letters_refused=True)
    assert got["event_id"] == str(after.event_id)
    assert await staged.sent(relayed_here=True) == []
    records, _, _ = await neo4j.execute_query(
        "MATCH (e:OutboxRefused {seq: $seq}) DELETE e RETURN count(*) AS n", seq=mark
    )
    assert records[0]["n"] == 1


async def after_waiting_for_the_lock(
    neo4j: AsyncDriver, task_id: str, work: Coroutine[Any, Any, T], what: str
) -> tuple[T, datetime]:
    """Run `work` while another transaction holds the task's lock, check that it waited for
    it, release the lock 0.2 s later; (what the work returned, when the lock was released)."""
    holder = neo4j.session()
    tag = f"holder-{uuid4().hex[:8]}"
    tx = await holder.begin_transaction(metadata={"test": tag})
    await tx.run("MATCH (t:Task {id: $id}) SET t.lock_count = coalesce(t.lock_count, 0) + 1",
                 id=task_id)  # fmt: skip
    running = asyncio.create_task(work)
    try:
        assert await blocked_behind(neo4j, tag), f"{what} never waited for the lock"
        await asyncio.sleep(0.2)
        released_at = datetime.now(UTC)
    finally:
        await tx.commit()
        await holder.close()
    return await running, released_at


async def test_an_action_that_waited_for_the_tasks_lock_is_timed_after_it(
    neo4j: AsyncDriver,
) -> None:
    """A claim waiting for the task's lock (the SLA check or a merge holding it) was timed
    when the request came: an escalation committed meanwhile was told at 10:00:05 and the
    claim after it at 10:00:03, and a reader following the task by time kept it escalated
    (a review, 2026-12-02). It is timed once it holds the lock."""
    _, tasks = await make_case(neo4j)
    task_id = tasks[PDRM]
    staged = await Staged.from_now(neo4j)
    change = claim(task_id, "pdrm-officer-9")
    _, released_at = await after_waiting_for_the_lock(
        neo4j, task_id, officer_acts(neo4j, change), "the claim"
    )
    task = await get_task(neo4j, task_id)
    assert task is not None and task.claimed_by == "pdrm-officer-9"
    assert task.updated_at is not None and task.updated_at >= released_at > change.at
    (claimed,) = [e for e in await staged.for_task(task_id) if isinstance(e, TaskClaimed)]
    assert claimed.occurred_at == task.updated_at


async def test_an_sla_escalation_that_waited_for_the_tasks_lock_is_timed_after_it(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """The SLA check timed a group when it started: an escalation that waited for the
    task's lock while an officer claimed it was timed before the claim and told after it
    (a review of delivery order). It is timed once it holds the lock, as an officer's action
    is (above)."""
    from agents import sla
    from contracts.lifecycle import TaskEscalated

    _, tasks = await make_case(neo4j)
    task_id = tasks[PDRM]
    staged = await Staged.from_now(neo4j)
    started = datetime.now(UTC)
    breach = [(task_id, "overdue")]
    escalate = sla._escalate_or_isolate(neo4j, settings.neo4j_database, breach, started)
    escalated_ids, released_at = await after_waiting_for_the_lock(
        neo4j, task_id, escalate, "the escalation"
    )
    assert escalated_ids == {task_id}
    task = await get_task(neo4j, task_id)
    assert task is not None and task.status == "escalated"
    assert task.updated_at is not None and task.updated_at >= released_at > started
    (escalated,) = [e for e in await staged.for_task(task_id) if isinstance(e, TaskEscalated)]
    assert escalated.occurred_at == task.updated_at
