"""The agent behind one agency's task queue: receive each task once, record it, announce it."""

from datetime import UTC, datetime
from uuid import UUID, uuid5

import faust
from neo4j import AsyncDriver

from contracts import topics
from contracts.deadletters import FieldError
from contracts.enums import Agency
from contracts.registry import ContractError, decode_event
from contracts.tasks import TaskAssigned, TaskReceived, TaskReceivedPayload, TaskUpdated
from graph.driver import async_driver
from graph.tasks import mark_received
from runtime import faustapp, metrics
from runtime.logs import bind_correlation, get_logger
from runtime.settings import get_settings
from streams.deadletter import dead_letter

log = get_logger(__name__)
_driver: AsyncDriver | None = None


def _graph() -> AsyncDriver:
    global _driver
    if _driver is None:
        _driver = async_driver(get_settings())
    return _driver


def queue_agent(app: faust.App, agency: Agency) -> faust.types.AgentT:
    """Register and return the Faust agent consuming `agency`'s task topic."""
    producer = f"agents.{agency.value.lower()}"
    topic = faustapp.raw_topic(app, topics.AGENCY_TASKS[agency])

    async def handle(raw: bytes, source: str) -> None:
        try:
            task = decode_event(raw, expected=(TaskAssigned, TaskUpdated))
            if task.payload.agency != agency:  # type: ignore[attr-defined]
                raise ContractError(
                    "wrong_agency",
                    [
                        FieldError(
                            code="wrong_agency",
                            field="payload.agency",
                            message=f"not a {agency.value} task",
                        )
                    ],
                )
        except ContractError as exc:
            letter = dead_letter(raw, source, exc.reason, exc.errors, producer)
            await faustapp.send_event(app, topics.DEAD_LETTERS, source, letter)
            metrics.DEAD_LETTERS.labels(source=producer).inc()
            return
        bind_correlation(task.correlation_id)
        task_id = str(task.payload.task_id)  # type: ignore[attr-defined]
        async with _graph().session() as session:
            first = await session.execute_write(mark_received, task_id, datetime.now(UTC))
        if first is None:
            letter = dead_letter(raw, source, "unknown_task", [], producer)
            await faustapp.send_event(app, topics.DEAD_LETTERS, source, letter)
            return
        if first:
            received = TaskReceived(
                event_id=uuid5(UUID(task_id), "TaskReceived"),
                occurred_at=datetime.now(UTC),
                producer=producer,
                payload=TaskReceivedPayload(task_id=task_id, agency=agency),
                **task.caused(),
            )
            await faustapp.send_event(app, topics.TASK_EVENTS, task_id, received)
            metrics.TASKS_RECEIVED.labels(agency=agency.value).inc()
        log.info("task_received", agency=agency.value, first_time=first)

    async def consume(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await handle(event.value, faustapp.event_source(event))

    consume.__name__ = f"{agency.value.lower()}_queue"
    return app.agent(topic, name=f"agents.{agency.value.lower()}_queue")(consume)
