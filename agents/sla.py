"""SLA check: escalate tasks left unclaimed too long or past their due time, exactly once."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from uuid import UUID, uuid5

from neo4j import AsyncDriver, AsyncManagedTransaction

from agents.app import app, settings
from contracts import topics
from contracts.enums import Agency, TaskStatus
from contracts.envelope import Event
from contracts.lifecycle import (
    CaseStatusChanged,
    CaseStatusPayload,
    TaskChangePayload,
    TaskEscalated,
)
from graph.driver import counting_retries, shared_async_driver
from graph.lifecycle import TaskView, escalate_with_case, find_sla_breaches
from graph.tasks import MAX_PAGE
from runtime import faustapp, metrics
from runtime.logs import get_logger

PRODUCER = "agents.sla"
log = get_logger(__name__)

Send = Callable[[str, str, Event], Awaitable[None]]


def escalation_events(
    task: TaskView, reason: str, before: str, after: str, now: datetime
) -> list[tuple[str, str, Event]]:
    """(topic, key, event) to announce one SLA escalation; ids are stable across retries."""
    task_id, case_id = UUID(task.task_id), UUID(task.case_id)
    # No report caused an SLA escalation: the case id ties its events together.
    envelope = {"occurred_at": now, "producer": PRODUCER, "correlation_id": case_id}
    escalated = TaskEscalated(
        event_id=uuid5(task_id, "TaskEscalated"),
        payload=TaskChangePayload(
            task_id=task_id,
            case_id=case_id,
            agency=Agency(task.agency),
            status=TaskStatus(task.status),
            actor="system",
            reason=reason,
        ),
        **envelope,  # type: ignore[arg-type]
    )
    out: list[tuple[str, str, Event]] = [(topics.TASK_EVENTS, task.task_id, escalated)]
    if before and after != before:
        changed = CaseStatusChanged(
            event_id=uuid5(task_id, f"CaseStatusChanged:{before}:{after}"),
            causation_id=escalated.event_id,
            payload=CaseStatusPayload(case_id=case_id, previous=before, current=after),
            **envelope,  # type: ignore[arg-type]
        )
        out.append((topics.TASK_EVENTS, task.case_id, changed))
    return out


async def _escalate_and_announce(
    tx: AsyncManagedTransaction, task_id: str, reason: str, now: datetime, send: Send
) -> TaskView | None:
    """Escalate one task and announce it before the commit. Announced after it, a send that
    failed (Kafka down) lost the events for good: the task was escalated, and a pass never
    escalates a task twice. Now the failure rolls the escalation back and a later pass
    redoes both. The events' ids are stable, so a consumer that got them once (the commit
    failed after the send, or the transaction was run again) drops the repeat."""
    done = await escalate_with_case(tx, task_id, reason, now)
    if done is None:
        return None
    task, before, after = done
    for topic, key, event in escalation_events(task, reason, before, after, now):
        await send(topic, key, event)
    return task


async def escalate_breaches(
    driver: AsyncDriver,
    send: Send,
    now: datetime,
    database: str = "neo4j",
    page_size: int = 200,
) -> int:
    """One SLA pass: escalate every breach once, announce it, return how many were escalated.

    Breaches are read a page at a time, oldest due first, until a page is not full: a
    backlog (the agents were down, an agency stopped claiming) drains in one pass instead
    of one page per tick. A page that escalates nothing (every task raced or closed) ends
    the pass too, so a pass always ends."""
    escalated = 0
    page_size = min(page_size, MAX_PAGE)  # the read returns no more: a larger page looks short
    while True:
        page = await find_sla_breaches(driver, now, limit=page_size, database=database)
        done_in_page = 0
        for task_id, reason in page:
            # One write transaction per task, so one failure does not undo the others.
            async with driver.session(database=database) as session:
                escalate = counting_retries("sla_escalate", _escalate_and_announce)
                task = await session.execute_write(escalate, task_id, reason, now, send)
            if task is None:
                continue  # another agent escalated it first, or it closed meanwhile
            metrics.TASKS_ESCALATED.labels(agency=task.agency, reason=reason).inc()
            done_in_page += 1
        escalated += done_in_page
        if len(page) < page_size or done_in_page == 0:
            break
        log.info("sla_backlog_progress", escalated=escalated)
    if escalated:
        log.info("sla_escalations", escalated=escalated)
    return escalated


@app.timer(interval=settings.sla_check_interval_s)
async def sla_check() -> None:
    """Run one SLA pass on every tick; a failed pass is retried on the next one."""
    try:
        await escalate_breaches(
            shared_async_driver(),
            partial(faustapp.send_event, app),
            datetime.now(UTC),
            settings.neo4j_database,
        )
    except Exception as exc:  # noqa: BLE001 - the timer must keep running
        log.warning("sla_check_failed", error=type(exc).__name__)
