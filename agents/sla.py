"""SLA check: escalate tasks left unclaimed too long, or past their due time: each once."""

from datetime import UTC, datetime
from uuid import UUID

from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from agents.app import app, settings
from contracts.envelope import Outgoing
from contracts.lifecycle import TaskEscalated
from graph.driver import counting_retries, shared_async_driver
from graph.lifecycle import TaskView, escalate_with_case, find_sla_breaches
from graph.outbox import stage
from graph.tasks import MAX_PAGE
from runtime import metrics
from runtime.announce import task_change_events
from runtime.logs import get_logger

PRODUCER = "agents.sla"
log = get_logger(__name__)


def escalation_events(
    task: TaskView, reason: str, before: str, after: str, now: datetime, again: bool = False
) -> Outgoing:
    """(topic, key, event) to announce one SLA escalation; ids are stable across retries.
    The system escalates a task at most twice: first (as unclaimed or overdue), and as
    overdue after an earlier escalation (`again`), whose events get ids of their own."""
    return task_change_events(
        TaskEscalated,
        task,
        before,
        after,
        actor="system",
        producer=PRODUCER,
        # No report caused an SLA escalation: the case id ties its events together.
        correlation_id=UUID(task.case_id),
        now=now,
        attempt=f":{reason}" if again else "",
        reason=reason,
    )


# Escalations per transaction. One to a transaction, an escalation cost ~4.2 ms of Neo4j's
# CPU and ~3.5-4.1 ms of the agents' Python; twenty together ~2.0 and ~3.4-3.6 ms (1,000
# breaches, interleaved runs, 2026-11-30). A backlog of thousands took about a core for
# minutes, and routing new reports ran at about half its rate meanwhile. The cost: a
# transaction holds its tasks' and cases' locks until it commits (~0.1 s for twenty), which
# a linker decision or an officer touching one of them waits out. (Measured when the events
# were sent inside the transaction; they are staged in the graph's outbox now.)
GROUP = 20


async def _escalate_group(
    tx: AsyncManagedTransaction,
    breaches: list[tuple[str, str]],
    now: datetime,
) -> list[tuple[TaskView, str]]:
    """Escalate a group of breaches in one transaction, their events staged in the outbox
    with them (graph.outbox). Returns (task, reason) for each task escalated here."""
    escalated: list[tuple[TaskView, str]] = []
    events: Outgoing = []
    for task_id, reason in breaches:
        # Tasks of one case follow each other in the transaction: each sees the case
        # status the one before left. Each is timed once its lock is taken (its updated_at).
        done = await escalate_with_case(tx, task_id, reason, now, timed_after_lock=True)
        if done is None:
            continue  # another agent escalated it first, or it was claimed or closed
        task, before, after, again, reason_now = done
        at = task.updated_at or now
        events += escalation_events(task, reason_now, before, after, at, again)
        escalated.append((task, reason_now))
    await stage(tx, events, now)
    return escalated


# Failures that say nothing about the tasks: the pass stops there, and the next tick retries.
_OUTAGES = (ServiceUnavailable, SessionExpired, TransientError)


async def _escalate_or_isolate(
    driver: AsyncDriver,
    database: str,
    breaches: list[tuple[str, str]],
    now: datetime,
) -> set[str]:
    """Escalate a group; if it fails for a reason of its own (not an outage), one task at a
    time, so that a bad task is logged and left out instead of holding its group back on
    every pass. Returns the ids of the tasks escalated."""
    # A pass over a backlog runs for minutes: each group is stamped when it is escalated,
    # not when the pass began.
    at = max(now, datetime.now(UTC))
    try:
        async with driver.session(database=database) as session:
            escalate = counting_retries("sla_escalate", _escalate_group)
            done = await session.execute_write(escalate, breaches, at)
    except _OUTAGES:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad task must not stop every SLA pass
        if len(breaches) > 1:
            one_by_one = [await _escalate_or_isolate(driver, database, [b], now) for b in breaches]
            return set().union(*one_by_one)
        log.error("sla_escalation_failed", task_id=breaches[0][0], error=type(exc).__name__)
        metrics.SLA_ESCALATION_FAILURES.inc()
        return set()
    for task, reason in done:
        metrics.TASKS_ESCALATED.labels(agency=task.agency, reason=reason).inc()
    return {task.task_id for task, _ in done}


async def escalate_breaches(
    driver: AsyncDriver,
    now: datetime,
    database: str = "neo4j",
    page_size: int = 200,
    group: int = GROUP,
) -> int:
    """One SLA pass: escalate every breach once, stage its events, return how many were
    escalated.

    Breaches are read a page at a time, oldest due first, until a page is not full: a
    backlog (the agents were down, an agency stopped claiming) drains in one pass instead
    of one page per tick. A task the pass could not escalate (it failed, or raced with an
    officer) is left out of the pages after: a pass always ends, and a page of tasks that
    fail every time no longer hides every breach due after them (a page that escalated
    nothing ended the pass, and the same page came first on every pass)."""
    if group < 1:
        raise ValueError(f"escalations per transaction must be 1 or more, not {group}")
    escalated = 0
    page_size = min(page_size, MAX_PAGE)  # the read returns no more: a larger page looks short
    not_escalated: set[str] = set()
    seen: set[str] = set()
    while True:
        page = await find_sla_breaches(
            driver, now, limit=page_size, database=database, skip=not_escalated
        )
        if seen.issuperset(task_id for task_id, _ in page):
            break  # nothing new (a task escalated still reads as a breach): never loop
        seen.update(task_id for task_id, _ in page)
        for start in range(0, len(page), group):
            chunk = page[start : start + group]
            done = await _escalate_or_isolate(driver, database, chunk, now)
            escalated += len(done)
            not_escalated |= {task_id for task_id, _ in chunk} - done
        if len(page) < page_size:
            break
        log.info("sla_backlog_progress", escalated=escalated)
    if escalated:
        log.info("sla_escalations", escalated=escalated)
    return escalated


@app.timer(interval=settings.sla_check_interval_s)
async def sla_check() -> None:
    """Run one SLA pass on every tick; a failed pass is retried on the next one."""
    try:
        await escalate_breaches(shared_async_driver(), datetime.now(UTC), settings.neo4j_database)
    except Exception as exc:  # noqa: BLE001 - the timer must keep running
        log.warning("sla_check_failed", error=type(exc).__name__)
