"""The agent behind one agency's task queue: receive each task once, record it, announce it."""

from datetime import UTC, datetime
from uuid import UUID, uuid5

import faust

from contracts import topics
from contracts.deadletters import FieldError
from contracts.enums import Agency
from contracts.envelope import Event
from contracts.registry import ContractError, decode_event
from contracts.tasks import TaskAssigned, TaskReceived, TaskReceivedPayload, TaskUpdated
from graph.driver import counting_retries, shared_async_driver, until_available
from graph.tasks import Receipt, mark_received
from runtime import faustapp, metrics
from runtime.deadletter import Origin, dead_letter
from runtime.logs import bind_correlation, get_logger
from runtime.settings import get_settings

log = get_logger(__name__)


Received = tuple[TaskAssigned | TaskUpdated, bytes, str]


def queue_agent(app: faust.App, agency: Agency) -> faust.types.AgentT:
    """Register and return the Faust agent consuming `agency`'s task topic."""
    topic = faustapp.raw_topic(app, topics.AGENCY_TASKS[agency])

    async def consume(stream: faust.StreamT) -> None:
        size, within = get_settings().agent_batch_size, get_settings().agent_batch_within_s
        async for batch in faustapp.raw_batches(stream, size, within):
            await handle(app, agency, batch)

    consume.__name__ = f"{agency.value.lower()}_queue"
    return app.agent(topic, name=f"agents.{agency.value.lower()}_queue")(consume)


def producer_of(agency: Agency) -> str:
    return f"agents.{agency.value.lower()}"


def check(agency: Agency, raw: bytes | None) -> TaskAssigned | TaskUpdated:
    """The task event, if it is one and for this agency's queue."""
    task = decode_event(raw, expected=(TaskAssigned, TaskUpdated))
    assert isinstance(task, TaskAssigned | TaskUpdated)
    if task.payload.agency != agency:
        message = f"not a {agency.value} task"
        error = FieldError(code="wrong_agency", field="payload.agency", message=message)
        raise ContractError("wrong_agency", [error])
    return task


async def handle(app: faust.App, agency: Agency, batch: list[tuple[bytes | None, str]]) -> None:
    """Record a batch of tasks as received in one transaction and announce the receipts.

    A task's assignment delivered again (a redelivery after the agents stopped between
    the commit and the send, or a report replayed) is announced again, with the id and
    time of the first receipt: consumers drop the repeat, and a receipt whose first
    announcement never reached Kafka is not lost. An update is not a receipt."""
    producer = producer_of(agency)
    out: list[tuple[str, str, Event]] = []
    origins: list[Origin] = []  # the message each of `out` was made from (send_events)
    tasks: list[Received] = []
    for raw, source in batch:
        try:
            checked = check(agency, raw)  # a message with no value (None) is refused here
            assert raw is not None
            tasks.append((checked, raw, source))
        except ContractError as exc:
            out.append(_refused(raw, source, exc.reason, producer, exc.errors))
            origins.append(Origin(raw, source))
            metrics.DEAD_LETTERS.labels(source=producer).inc()
    # An update (a new report calling for an open task) is no receipt: the task was received
    # with its assignment, and recording it again was a graph write per update.
    assigned = [item for item in tasks if isinstance(item[0], TaskAssigned)]
    # A batch of updates or bad input only needs no graph: its dead letters waited out a
    # Neo4j outage behind an empty transaction, and the queue with them.
    receipts, failed = (
        await _receive_or_isolate(assigned, datetime.now(UTC), producer, agency)
        if assigned
        else ({}, {})
    )
    raw_at = {source: raw for _, raw, source in assigned}
    for source, letter in failed.items():
        out.append(letter)
        origins.append(Origin(raw_at[source], source))
    announced: set[str] = set()
    for task, raw, source in assigned:
        task_id = str(task.payload.task_id)
        bind_correlation(task.correlation_id)
        receipt = receipts.get(task_id)
        if receipt is not None and receipt.taken:
            # An officer (or a merge, or the SLA check) acted on it first: not received.
            log.debug("task_taken_before_receipt", agency=agency.value)
            continue
        if receipt is None:
            if source not in failed:
                # Announced for a task the graph does not hold for this agency (a topic
                # written by hand, a graph restored from an older backup, another agency's
                # task id under this agency's name): kept, and counted.
                log.warning("unknown_task", agency=agency.value)
                metrics.DEAD_LETTERS.labels(source=producer).inc()
                out.append(_refused(raw, source, "unknown_task", producer))
                origins.append(Origin(raw, source))
            continue
        again = not receipt.first_time
        # Twice in a batch: announced once.
        if (receipt.first_time or again) and task_id not in announced:
            announced.add(task_id)
            received = TaskReceived(
                event_id=uuid5(UUID(task_id), "TaskReceived"),
                occurred_at=receipt.received_at,
                producer=producer,
                payload=TaskReceivedPayload(task_id=task_id, agency=agency),
                **task.caused(),
            )
            out.append((topics.TASK_EVENTS, task_id, received))
            origins.append(Origin(raw, source))
            if receipt.first_time:
                metrics.TASKS_RECEIVED.labels(agency=agency.value).inc()
            log.debug("task_received", agency=agency.value)
    await faustapp.send_events(app, out, origins)


async def _receive(task_ids: list[str], now: datetime, agency: Agency) -> dict[str, Receipt]:
    database = get_settings().neo4j_database
    async with shared_async_driver().session(database=database) as session:
        receipts = counting_retries("mark_received", mark_received)
        return await session.execute_write(receipts, task_ids, now, agency.value)


async def _receive_or_isolate(
    tasks: list[Received], now: datetime, producer: str, agency: Agency
) -> tuple[dict[str, Receipt], dict[str, tuple[str, str, Event]]]:
    """Record the tasks as received, waiting out an outage. If the graph refuses the batch
    for another reason, record them one by one, so that the task that causes it is
    dead-lettered with the reason and the others are still received. Raised, the error
    stopped the agent, and Faust restarts an agent with its batch acknowledged: up to a
    thousand receipts, and the dead letters of the batch, were lost. Returns the receipts,
    and the dead letter of each message whose task could not be recorded, by the message's
    source (by task id, of two deliveries of one task only the last kept its letter)."""
    task_ids = [str(task.payload.task_id) for task, _, _ in tasks]
    try:
        receive = lambda: _receive(task_ids, now, agency)  # noqa: E731 - retried as it is
        return await until_available(receive, "mark_received"), {}
    except Exception as exc:  # noqa: BLE001 - one bad task must not lose the batch
        if len(tasks) > 1:
            receipts: dict[str, Receipt] = {}
            failed: dict[str, tuple[str, str, Event]] = {}
            for item in tasks:
                got, lost = await _receive_or_isolate([item], now, producer, agency)
                receipts |= got
                failed |= lost
            return receipts, failed
        task, raw, source = tasks[0]
        bind_correlation(task.correlation_id)
        log.error("receive_failed", error=type(exc).__name__)
        metrics.DEAD_LETTERS.labels(source=producer).inc()
        reason = f"receive_failed: {type(exc).__name__}"
        return {}, {source: _refused(raw, source, reason, producer)}


def _refused(
    raw: bytes | None,
    source: str,
    reason: str,
    producer: str,
    errors: list[FieldError] | None = None,
) -> tuple[str, str, Event]:
    return (topics.DEAD_LETTERS, source, dead_letter(raw, source, reason, errors or [], producer))
