"""An agency queue against the real Neo4j: a task the graph refuses to record is
dead-lettered with its reason, and the rest of its batch is still received and announced."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import uuid4

import pytest
from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import ClientError

from agents import queue
from agents.app import app
from contracts import topics
from contracts.deadletters import DeadLetterRecorded
from contracts.enums import Agency
from contracts.envelope import Event
from contracts.registry import decode_event, encode_event
from contracts.tasks import TaskAssigned, TaskPayload, TaskReceived
from graph.tasks import Receipt, get_task, mark_received
from runtime import faustapp
from runtime.deadletter import Origin
from tests.factories import unique
from tests.integration.test_lifecycle import make_case

MCMC = Agency.MCMC


async def _assigned(driver: AsyncDriver, task_id: str) -> bytes:
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
    event = TaskAssigned(
        occurred_at=datetime.now(UTC), producer="tests", correlation_id=uuid4(), payload=payload
    )
    return encode_event(event)


async def _received_at(driver: AsyncDriver, task_id: str) -> Any:
    records, _, _ = await driver.execute_query(
        "MATCH (t:Task {id: $id}) RETURN t.received_at AS at", id=task_id
    )
    return records[0]["at"]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch, neo4j: AsyncDriver) -> list[tuple[str, Event]]:
    """What the queue sends (Kafka's send is recorded, the graph is the real Neo4j)."""
    out: list[tuple[str, Event]] = []

    async def record(
        _app: object, items: list[tuple[str, str, Event]], origins: list[Origin]
    ) -> None:
        # Each event with the message it was made from (kept in its place were Kafka to
        # refuse it and no dead letter hold it): its source is the task's, its bytes too.
        assert len(origins) == len(items)
        for (_, _, event), origin in zip(items, origins, strict=True):
            if isinstance(event, DeadLetterRecorded):
                assert origin.source == event.payload.source
            else:
                assert decode_event(origin.raw).event_id == event.causation_id
        out.extend((topic, event) for topic, _, event in items)

    monkeypatch.setattr(faustapp, "send_events", record)
    monkeypatch.setattr(queue, "shared_async_driver", lambda: neo4j)
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
    neo4j: AsyncDriver, sent: list[tuple[str, Event]], monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = [(await make_case(neo4j))[1][MCMC] for _ in range(3)]
    poison = tasks[1]

    refuse_receipts_of(poison, monkeypatch)
    batch: list[tuple[bytes | None, str]] = [
        (await _assigned(neo4j, task_id), f"{task_id}@0") for task_id in tasks
    ]
    batch.append((b"not json", "bad@1"))

    await queue.handle(app, MCMC, batch)  # raised before: the whole batch was lost

    received = [e.payload.task_id for t, e in sent if isinstance(e, TaskReceived)]
    assert sorted(map(str, received)) == sorted([tasks[0], tasks[2]])
    assert all(t == topics.TASK_EVENTS for t, e in sent if isinstance(e, TaskReceived))
    letters = {e.payload.reason for _, e in sent if isinstance(e, DeadLetterRecorded)}
    assert letters == {"receive_failed: ClientError", "not_json"}
    assert await _received_at(neo4j, tasks[0]) is not None
    assert await _received_at(neo4j, tasks[2]) is not None
    assert await _received_at(neo4j, poison) is None


async def test_json_nested_too_deeply_is_dead_lettered_and_the_batch_still_received(
    neo4j: AsyncDriver, sent: list[tuple[str, Event]]
) -> None:
    """5 kB of '[' raised a RecursionError past the queue's handler: the agent stopped and the
    tasks of its batch were never received."""
    task_id = (await make_case(neo4j))[1][MCMC]
    batch: list[tuple[bytes | None, str]] = [
        (b"[" * 5000, "nested@0"),
        (await _assigned(neo4j, task_id), f"{task_id}@1"),
    ]

    await queue.handle(app, MCMC, batch)

    assert [type(e).__name__ for _, e in sent] == ["DeadLetterRecorded", "TaskReceived"]
    letter = sent[0][1]
    assert isinstance(letter, DeadLetterRecorded)
    assert (letter.payload.reason, letter.payload.source) == ("not_json", "nested@0")
    assert await _received_at(neo4j, task_id) is not None


async def test_a_task_the_graph_does_not_hold_is_dead_lettered_as_unknown(
    neo4j: AsyncDriver, sent: list[tuple[str, Event]]
) -> None:
    known = (await make_case(neo4j))[1][MCMC]
    raw = await _assigned(neo4j, known)
    unknown = raw.replace(known.encode(), str(uuid4()).encode())

    await queue.handle(app, MCMC, [(raw, "known@0"), (unknown, "unknown@1")])

    assert [type(e).__name__ for _, e in sent] == ["TaskReceived", "DeadLetterRecorded"]
    letter = sent[1][1]
    assert isinstance(letter, DeadLetterRecorded)
    assert (letter.payload.reason, letter.payload.source) == ("unknown_task", "unknown@1")


async def test_another_agencys_task_under_this_agencys_name_is_not_received(
    neo4j: AsyncDriver, sent: list[tuple[str, Event]]
) -> None:
    """An assignment on MCMC's queue saying MCMC but carrying a PDRM task's id marked the
    PDRM task received, and PDRM's own assignment later read as a redelivery."""
    tasks = (await make_case(neo4j))[1]
    raw = await _assigned(neo4j, tasks[MCMC])
    posing = raw.replace(tasks[MCMC].encode(), tasks[Agency.PDRM].encode())

    await queue.handle(app, MCMC, [(posing, "posing@0")])

    [(_, letter)] = sent
    assert isinstance(letter, DeadLetterRecorded) and letter.payload.reason == "unknown_task"
    assert await _received_at(neo4j, tasks[Agency.PDRM]) is None


async def test_two_deliveries_of_one_task_at_once_make_one_first_receipt(
    neo4j: AsyncDriver,
) -> None:
    """received_at was read before the task was locked: both deliveries took themselves for
    the first, and the second announced a time the graph does not hold."""
    from tests.integration.test_linking import blocked_behind

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
    neo4j: AsyncDriver, sent: list[tuple[str, Event]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Letters were kept by task id: of two deliveries of one refused task (a replayed
    report, a redelivery) only the last had one, and the first's offset was committed with
    the batch: kept nowhere (a helper's review)."""
    poison, other = [(await make_case(neo4j))[1][MCMC] for _ in range(2)]

    refuse_receipts_of(poison, monkeypatch)
    topic = topics.AGENCY_TASKS[MCMC]
    batch = [
        (await _assigned(neo4j, poison), f"{topic}/0@10"),
        (await _assigned(neo4j, other), f"{topic}/0@11"),
        (await _assigned(neo4j, poison), f"{topic}/0@12"),
    ]
    await queue.handle(app, MCMC, cast(list[tuple[bytes | None, str]], batch))
    letters = sorted(e.payload.source for _, e in sent if isinstance(e, DeadLetterRecorded))
    assert letters == [f"{topic}/0@10", f"{topic}/0@12"]
    received = [e for _, e in sent if isinstance(e, TaskReceived)]
    assert [str(e.payload.task_id) for e in received] == [other]


async def test_a_task_an_officer_took_before_its_receipt_is_not_received_after(
    neo4j: AsyncDriver, sent: list[tuple[str, Event]]
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
    await queue.handle(app, pdrm, [(raw, f"{topics.AGENCY_TASKS[pdrm]}/0@3")])
    assert sent == []  # neither a receipt nor a dead letter: it was taken, not lost
    assert await _received_at(neo4j, tasks[pdrm]) is None
    task = await get_task(neo4j, tasks[pdrm])
    assert task is not None and task.status == "completed"
    # A task not yet acted on is received as before.
    raw_kpwkm = await _assigned(neo4j, tasks[Agency.KPWKM])
    await queue.handle(app, Agency.KPWKM, [(raw_kpwkm, "k/0@1")])
    assert [type(e) for _, e in sent] == [TaskReceived]


async def test_a_batch_without_assignments_needs_no_graph(
    sent: list[tuple[str, Event]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of bad input (or of updates) only ran an empty transaction, which waited out a
    Neo4j outage: its dead letters, and the queue, waited with it."""

    def no_graph() -> Any:
        raise AssertionError("the graph was asked")

    monkeypatch.setattr(queue, "shared_async_driver", no_graph)
    await queue.handle(app, MCMC, [(b"not json", "m/0@1")])
    assert [e.payload.reason for _, e in sent if isinstance(e, DeadLetterRecorded)] == ["not_json"]
