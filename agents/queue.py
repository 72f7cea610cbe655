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
from runtime.deadletter import dead_letter
from runtime.logs import bind_correlation, get_logger
from runtime.settings import get_settings

log = get_logger(__name__)


def queue_agent(app: faust.App, agency: Agency) -> faust.types.AgentT:
    """Register and return the Faust agent consuming `agency`'s task topic."""
    producer = f"agents.{agency.value.lower()}"
    topic = faustapp.raw_topic(app, topics.AGENCY_TASKS[agency])

    def check(raw: bytes | None) -> TaskAssigned | TaskUpdated:
        task = decode_event(raw, expected=(TaskAssigned, TaskUpdated))
        assert isinstance(task, TaskAssigned | TaskUpdated)
        if task.payload.agency != agency:
            message = f"not a {agency.value} task"
            error = FieldError(code="wrong_agency", field="payload.agency", message=message)
            raise ContractError("wrong_agency", [error])
        return task

    async def handle(batch: list[tuple[bytes | None, str]]) -> None:
        """Record a batch of tasks as received in one transaction and announce the receipts.

        A task's assignment delivered again (a redelivery after the agents stopped between
        the commit and the send, or a report replayed) is announced again, with the id and
        time of the first receipt: consumers drop the repeat, and a receipt whose first
        announcement never reached Kafka is not lost. An update is not a receipt."""
        out: list[tuple[str, str, Event]] = []
        tasks: list[tuple[TaskAssigned | TaskUpdated, bytes, str]] = []
        for raw, source in batch:
            try:
                checked = check(raw)  # a message with no value (None) is refused here
                assert raw is not None
                tasks.append((checked, raw, source))
            except ContractError as exc:
                out.append(
                    (
                        topics.DEAD_LETTERS,
                        source,
                        dead_letter(raw, source, exc.reason, exc.errors, producer),
                    )
                )
                metrics.DEAD_LETTERS.labels(source=producer).inc()
        now = datetime.now(UTC)
        task_ids = [str(t.payload.task_id) for t, _, _ in tasks]

        async def receive() -> dict[str, Receipt]:
            database = get_settings().neo4j_database
            async with shared_async_driver().session(database=database) as session:
                receipts = counting_retries("mark_received", mark_received)
                return await session.execute_write(receipts, task_ids, now)

        receipts = await until_available(receive, "mark_received")
        announced: set[str] = set()
        for task, raw, source in tasks:
            task_id = str(task.payload.task_id)
            bind_correlation(task.correlation_id)
            receipt = receipts.get(task_id)
            if receipt is None:
                out.append(
                    (
                        topics.DEAD_LETTERS,
                        source,
                        dead_letter(raw, source, "unknown_task", [], producer),
                    )
                )
                continue
            again = isinstance(task, TaskAssigned) and not receipt.first_time
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
                if receipt.first_time:
                    metrics.TASKS_RECEIVED.labels(agency=agency.value).inc()
                log.debug("task_received", agency=agency.value)
        await faustapp.send_events(app, out)

    async def consume(stream: faust.StreamT) -> None:
        size, within = get_settings().agent_batch_size, get_settings().agent_batch_within_s
        # Faust's StreamT does not declare take_events; its Stream, which agents get, has it.
        async for batch in stream.take_events(size, within=within):  # type: ignore[attr-defined]
            await handle([(e.value, faustapp.event_source(e)) for e in batch])

    consume.__name__ = f"{agency.value.lower()}_queue"
    return app.agent(topic, name=f"agents.{agency.value.lower()}_queue")(consume)
