"""An agency queue against the real Neo4j and Kafka: a task the graph refuses to record is
dead-lettered with its reason, and the rest of its batch is still received and announced."""

import asyncio
import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import UUID, uuid4

import faust
import pytest
from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import ClientError

from agents import queue
from agents.app import app
from contracts import topics
from contracts.deadletters import DeadLetterRecorded
from contracts.enums import Agency
from contracts.envelope import Event
from contracts.registry import ContractError, decode_event, encode_event
from contracts.tasks import TaskAssigned, TaskPayload, TaskReceived, TaskUpdated
from graph.tasks import Receipt, get_task, mark_received
from runtime import faustapp
from runtime.deadletter import Origin
from runtime.settings import Settings
from tests.factories import unique
from tests.integration.landed import Landing, real_faust_sends
from tests.integration.test_lifecycle import make_case

MCMC = Agency.MCMC


async def _assigned(
    driver: AsyncDriver, task_id: str, kind: type[TaskAssigned | TaskUpdated] = TaskAssigned
) -> bytes:
    task = await get_task(driver, task_id)
    assert task is not None
    payload = TaskPayload(
        task_id=task.task_id,
        case_id=task.case_id,
        agency=task.agency,
        task_type=task.task_type,
        target=task.target,
        priority=task.priority,
        due_at=task.due_at,
    )
    event = kind(
        occurred_at=datetime.now(UTC), producer="tests", correlation_id=uuid4(), payload=payload
    )
    return encode_event(event)


async def _received_at(driver: AsyncDriver, task_id: str) -> Any:
    records, _, _ = await driver.execute_query(
        "MATCH (t:Task {id: $id}) RETURN t.received_at AS at", id=task_id
    )
    return records[0]["at"]


Batch = list[tuple[bytes | None, str]]


@pytest.fixture
async def kafka(
    monkeypatch: pytest.MonkeyPatch, neo4j: AsyncDriver, settings: Settings
) -> AsyncIterator[Landing]:
    """What the queue sends, read back from Kafka: the queue's own send, through a real
    producer, and the real Neo4j."""
    send = faustapp.send_events

    async def checked(
        app: faust.App, items: list[tuple[str, str, Event]], origins: list[Origin]
    ) -> set[str]:
        # Each event with the message it was made from (kept in its place were Kafka to
        # refuse it and no dead letter hold it): its source is the task's, its bytes too.
        assert len(origins) == len(items)
        for (_, _, event), origin in zip(items, origins, strict=True):
            if isinstance(event, DeadLetterRecorded):
                assert origin.source == event.payload.source
            else:
                assert decode_event(origin.raw).event_id == event.causation_id
        return await send(app, items, origins)

    monkeypatch.setattr(faustapp, "send_events", checked)
    monkeypatch.setattr(queue, "shared_async_driver", lambda: neo4j)
    bootstrap = settings.kafka_bootstrap
    async with (
        real_faust_sends(monkeypatch, bootstrap),
        Landing.of(bootstrap, [topics.TASK_EVENTS, topics.DEAD_LETTERS]) as landing,
    ):
        yield landing


async def sent(kafka: Landing, batch: Batch, *task_ids: str) -> list[tuple[str, Event]]:
    """What reached Kafka about `batch` and `task_ids`, as (topic, event), each checked
    against the message it was made from: a receipt is keyed by its task and caused by that
    task's assignment; a dead letter is keyed by its message's source and keeps its bytes.
    (In no order across topics and partitions: Kafka keeps none there.)"""
    sources = {source: raw for raw, source in batch}
    caused_by: dict[str, set[UUID]] = {}
    for raw, _ in batch:
        try:
            event = decode_event(raw)
        except ContractError:
            continue
        if isinstance(event, TaskAssigned):
            caused_by.setdefault(str(event.payload.task_id), set()).add(event.event_id)
    out: list[tuple[str, Event]] = []
    for record in await kafka.naming(*sources, *task_ids):
        event = record.event
        if isinstance(event, DeadLetterRecorded):
            assert (record.topic, record.key) == (topics.DEAD_LETTERS, event.payload.source)
            assert event.payload.source in sources
            original = event.payload.original_b64
            assert original is not None
            assert base64.b64decode(original) == (sources[event.payload.source] or b"")
        else:
            assert isinstance(event, TaskReceived), event
            task_id = str(event.payload.task_id)
            assert (record.topic, record.key) == (topics.TASK_EVENTS, task_id)
            assert event.causation_id in caused_by.get(task_id, set())
        out.append((record.topic, event))
    return out


def refuse_receipts_of(poison: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deterministic refusal of one task, as a constraint or a bad property would give:
    every transaction that holds it fails, whatever else it holds."""

    async def refusing(
        tx: AsyncManagedTransaction, task_ids: list[str], now: datetime, agency: str
    ) -> dict[str, Receipt]:
        if poison in task_ids:
            raise ClientError("refused for this task")
        return await mark_received(tx, task_ids, now, agency)

    monkeypatch.setattr(queue, "mark_received", refusing)


async def test_a_task_the_graph_refuses_is_dead_lettered_and_the_batch_still_received(
    neo4j: AsyncDriver, kafka: Landing, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = [(await make_case(neo4j))[1][MCMC] for _ in range(3)]
    poison = tasks[1]

    refuse_receipts_of(poison, monkeypatch)
    batch: Batch = [(await _assigned(neo4j, task_id), f"{task_id}@0") for task_id in tasks]
    batch.append((b"not json", unique("bad") + "@1"))

    await queue.handle(app, MCMC, batch)  # raised before: the whole batch was lost

    got = await sent(kafka, batch, *tasks)
    received = [e.payload.task_id for t, e in got if isinstance(e, TaskReceived)]
    assert sorted(map(str, received)) == sorted([tasks[0], tasks[2]])
    assert all(t == topics.TASK_EVENTS for t, e in got if isinstance(e, TaskReceived))
    letters = {e.payload.reason for _, e in got if isinstance(e, DeadLetterRecorded)}
    assert letters == {"receive_failed: ClientError", "not_json"}
    assert len(got) == 4
    assert await _received_at(neo4j, tasks[0]) is not None
    assert await _received_at(neo4j, tasks[2]) is not None
    assert await _received_at(neo4j, poison) is None


async def test_json_nested_too_deeply_is_dead_lettered_and_the_batch_still_received(
    neo4j: AsyncDriver, kafka: Landing
) -> None:
    """5 kB of '[' raised a RecursionError past the queue's handler: the agent stopped and the
    tasks of its batch were never received."""
    task_id = (await make_case(neo4j))[1][MCMC]
    nested = unique("nested") + "@0"
    batch: Batch = [(b"[" * 5000, nested), (await _assigned(neo4j, task_id), f"{task_id}@1")]

    await queue.handle(app, MCMC, batch)

    got = await sent(kafka, batch, task_id)
    assert sorted(type(e).__name__ for _, e in got) == ["DeadLetterRecorded", "TaskReceived"]
    [letter] = [e for _, e in got if isinstance(e, DeadLetterRecorded)]
    assert (letter.payload.reason, letter.payload.source) == ("not_json", nested)
    assert await _received_at(neo4j, task_id) is not None


async def test_a_task_the_graph_does_not_hold_is_dead_lettered_as_unknown(
    neo4j: AsyncDriver, kafka: Landing
) -> None:
    known = (await make_case(neo4j))[1][MCMC]
    raw = await _assigned(neo4j, known)
    stranger = str(uuid4())
    unknown = raw.replace(known.encode(), stranger.encode())
    tag = unique("q")
    batch: Batch = [(raw, f"{tag}/known@0"), (unknown, f"{tag}/unknown@1")]

    await queue.handle(app, MCMC, batch)

    got = await sent(kafka, batch, known, stranger)
    assert sorted(type(e).__name__ for _, e in got) == ["DeadLetterRecorded", "TaskReceived"]
    [letter] = [e for _, e in got if isinstance(e, DeadLetterRecorded)]
    assert (letter.payload.reason, letter.payload.source) == ("unknown_task", f"{tag}/unknown@1")


async def test_another_agencys_task_under_this_agencys_name_is_not_received(
    neo4j: AsyncDriver, kafka: Landing
) -> None:
    """An assignment on MCMC's queue saying MCMC but carrying a PDRM task's id marked the
    PDRM task received, and PDRM's own assignment later read as a redelivery."""
    tasks = (await make_case(neo4j))[1]
    raw = await _assigned(neo4j, tasks[MCMC])
    posing = raw.replace(tasks[MCMC].encode(), tasks[Agency.PDRM].encode())
    batch: Batch = [(posing, unique("posing") + "@0")]

    await queue.handle(app, MCMC, batch)

    [(_, letter)] = await sent(kafka, batch, *tasks.values())
    assert isinstance(letter, DeadLetterRecorded) and letter.payload.reason == "unknown_task"
    assert await _received_at(neo4j, tasks[Agency.PDRM]) is None


async def test_two_deliveries_of_one_task_at_once_make_one_first_receipt(
    neo4j: AsyncDriver,
) -> None:
    """received_at was read before the task was locked: both deliveries took themselves for
    the first, and the second announced a time the graph does not hold."""
    from tests.integration.locks import blocked_behind

    task = (await make_case(neo4j))[1][MCMC]
    first_at, second_at = datetime.now(UTC), datetime.now(UTC) + timedelta(seconds=5)
    tag = unique("receipt")
    first_session = neo4j.session()
    tx = await first_session.begin_transaction(metadata={"test": tag})
    # An explicit transaction, held open: the driver's managed one has the same run().
    first = await mark_received(cast(AsyncManagedTransaction, tx), [task], first_at, MCMC.value)

    async def second() -> dict[str, Receipt]:
        async with neo4j.session() as session:
            return await session.execute_write(mark_received, [task], second_at, MCMC.value)

    racing = asyncio.create_task(second())
    try:
        assert await blocked_behind(neo4j, tag), "the second delivery never waited"
    finally:
        await tx.commit()
        await first_session.close()
    later = await racing
    assert first[task] == Receipt(True, first_at)
    assert later[task].first_time is False
    assert later[task].received_at == first_at


async def test_two_deliveries_of_a_task_the_graph_refuses_each_keep_their_dead_letter(
    neo4j: AsyncDriver, kafka: Landing, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Letters were kept by task id: of two deliveries of one refused task (a replayed
    report, a redelivery) only the last had one, and the first's offset was committed with
    the batch: kept nowhere (a helper's review)."""
    poison, other = [(await make_case(neo4j))[1][MCMC] for _ in range(2)]

    refuse_receipts_of(poison, monkeypatch)
    topic = topics.AGENCY_TASKS[MCMC]
    batch: Batch = [
        (await _assigned(neo4j, poison), f"{topic}/0@10"),
        (await _assigned(neo4j, other), f"{topic}/0@11"),
        (await _assigned(neo4j, poison), f"{topic}/0@12"),
    ]
    await queue.handle(app, MCMC, batch)
    got = await sent(kafka, batch, poison, other)
    letters = sorted(e.payload.source for _, e in got if isinstance(e, DeadLetterRecorded))
    assert letters == [f"{topic}/0@10", f"{topic}/0@12"]
    received = [e for _, e in got if isinstance(e, TaskReceived)]
    assert [str(e.payload.task_id) for e in received] == [other]


async def test_a_task_an_officer_took_before_its_receipt_is_not_received_after(
    neo4j: AsyncDriver, kafka: Landing
) -> None:
    """A lagging queue recorded and announced a receipt on a task an officer had already
    claimed or closed: the receipt came after the close on the task's partition."""
    from contracts.lifecycle import TaskOutcome
    from graph.lifecycle import Action
    from tests.integration.test_lifecycle import act

    pdrm = Agency.PDRM
    _, tasks = await make_case(neo4j)
    raw = await _assigned(neo4j, tasks[pdrm])
    await act(neo4j, tasks[pdrm], Action.CLAIM, pdrm)
    await act(neo4j, tasks[pdrm], Action.COMPLETE, pdrm, outcome=TaskOutcome(code="arrest"))
    taken: Batch = [(raw, f"{topics.AGENCY_TASKS[pdrm]}/0@3")]
    await queue.handle(app, pdrm, taken)
    # Neither a receipt nor a dead letter: it was taken, not lost.
    assert await sent(kafka, taken, *tasks.values()) == []
    assert await _received_at(neo4j, tasks[pdrm]) is None
    task = await get_task(neo4j, tasks[pdrm])
    assert task is not None and task.status == "completed"
    # A task not yet acted on is received as before.
    raw_kpwkm = await _assigned(neo4j, tasks[Agency.KPWKM])
    fresh: Batch = [(raw_kpwkm, unique("k") + "/0@1")]
    await queue.handle(app, Agency.KPWKM, fresh)
    got = await sent(kafka, taken + fresh, *tasks.values())
    assert [type(e) for _, e in got] == [TaskReceived]


async def test_a_batch_without_assignments_needs_no_graph(
    neo4j: AsyncDriver, kafka: Landing, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of bad input or of updates only ran an empty transaction, which waited out a
    Neo4j outage: its dead letters, and the queue, waited with it."""
    task_id = (await make_case(neo4j))[1][MCMC]
    update = await _assigned(neo4j, task_id, TaskUpdated)
    asked: list[str] = []

    def no_graph() -> Any:
        asked.append("driver")  # recorded: the queue catches what is raised here
        raise AssertionError("the graph was asked")

    monkeypatch.setattr(queue, "shared_async_driver", no_graph)
    batch: Batch = [(b"not json", unique("m") + "/0@1"), (update, unique("m") + "/0@2")]
    await queue.handle(app, MCMC, batch)
    assert asked == []
    # The bad input's dead letter, and nothing for the update: it is no receipt.
    got = await sent(kafka, batch, task_id)
    assert [e.payload.reason for _, e in got if isinstance(e, DeadLetterRecorded)] == ["not_json"]
    assert len(got) == 1
    assert await _received_at(neo4j, task_id) is None
