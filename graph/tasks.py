"""Task writes made by the agency agents, and the task reads shared by the API and agents."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, Record

from contracts.enums import Agency
from graph import tasks_cypher as q
from graph.driver import collected_rows
from graph.queries import read

# One more than the API's largest page, so the API can tell whether another page follows.
MAX_PAGE = 201
# What an officer does about a queue listing that timed out.
QUEUE_TOO_WIDE = (
    "list fewer statuses (the open ones are few; every closed task of the agency is sorted "
    "for a listing that includes closed statuses)"
)


@dataclass(frozen=True)
class Receipt:
    first_time: bool  # False on a redelivery
    received_at: datetime  # when it was first received
    # Claimed, closed or escalated before its assignment reached the queue: not received
    # (graph.tasks_cypher.MARK_RECEIVED), and nothing to announce.
    taken: bool = False


async def mark_received(
    tx: AsyncManagedTransaction, task_ids: list[str], now: datetime, agency: str
) -> dict[str, Receipt]:
    """Record each of `agency`'s tasks as received (once); other ids, unknown or another
    agency's, are left out."""
    batch = {"task_ids": sorted(set(task_ids))}
    rows = await collected_rows(tx, q.MARK_RECEIVED, batch=batch, now=now, agency=agency)
    return {
        row["task_id"]: Receipt(
            bool(row["first_time"]),
            now if row["first_time"] else row["received_at"].to_native(),
            bool(row["taken"]),
        )
        for row in rows
    }


@dataclass(frozen=True)
class TaskView:
    task_id: str
    case_id: str
    agency: str
    task_type: str
    target: str
    priority: str
    status: str
    due_at: datetime
    claimed_by: str | None
    outcome: dict[str, Any] | None
    reason: str | None
    created_at: datetime
    updated_at: datetime | None
    # The task's first claim (an escalated task is claimed again): time to claim counts it.
    first_claimed_at: datetime | None = None
    # A superseded task's work goes on in this one (a merge's, or a repair's, choice).
    superseded_by: str | None = None
    # Who completed or declined it: claimed_by names who claimed it, and any officer of the
    # agency may act on a claimed task (a review: a colleague's completion read as the
    # claimant's).
    closed_by: str | None = None


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def task_view(r: Record) -> TaskView:
    """A TaskView from a row of tasks_cypher.READ_TASK's columns."""
    outcome = None
    if r["outcome_code"] is not None:
        outcome = {
            "code": r["outcome_code"],
            "note": r["outcome_note"],
            "content_removed_at": _native(r["content_removed_at"]),
        }
    return TaskView(
        task_id=r["task_id"],
        case_id=r["case_id"],
        agency=r["agency"],
        task_type=r["task_type"],
        target=r["target"],
        priority=r["priority"],
        status=r["status"],
        due_at=_native(r["due_at"]),
        claimed_by=r["claimed_by"],
        outcome=outcome,
        reason=r["reason"],
        created_at=_native(r["created_at"]),
        updated_at=_native(r["updated_at"]),
        first_claimed_at=_native(r["first_claimed_at"]),
        superseded_by=r["superseded_by"],
        closed_by=r["closed_by"],
    )


async def get_task(
    source: AsyncDriver | AsyncManagedTransaction, task_id: str, database: str = "neo4j"
) -> TaskView | None:
    """One task by id, read in the caller's transaction or with the driver."""
    if isinstance(source, AsyncDriver):
        records, _, _ = await source.execute_query(
            q.READ_TASK, task_id=task_id, database_=database, routing_="r"
        )
        return task_view(records[0]) if records else None
    record = await (await source.run(q.READ_TASK, task_id=task_id)).single()
    return None if record is None else task_view(record)


@dataclass(frozen=True)
class QueuePosition:
    """Where a page of a queue ended: the next page starts after this task, in the queue's
    order (priority, due time, id)."""

    priority: str
    due_at: datetime
    task_id: str

    @classmethod
    def of(cls, task: TaskView) -> "QueuePosition":
        return cls(task.priority, task.due_at, task.task_id)


async def list_tasks(
    driver: AsyncDriver,
    agency: Agency,
    statuses: list[str],
    limit: int,
    offset: int = 0,
    database: str = "neo4j",
    after: QueuePosition | None = None,
) -> list[TaskView]:
    """An agency's tasks in `statuses`, most urgent first (P1, then earliest due), one
    bounded page: after `after` (the last task of the page before), or `offset` tasks in.
    Every task of the statuses is read and sorted: the open ones are few, the closed ones
    all the agency ever closed (~2.5 s for all statuses at 300,000 tasks of one agency), so
    the read is stopped after the analysts' read timeout (ReadTimedOut) rather than holding a
    Neo4j thread for as long as the closed tasks take to sort."""
    records = await read(
        driver,
        q.LIST_TASKS,
        database,
        hint=QUEUE_TOO_WIDE,
        agency=agency.value,
        statuses=statuses,
        limit=max(1, min(limit, MAX_PAGE)),
        offset=max(0, offset),
        after=None if after is None else vars(after),
    )
    return [task_view(r) for r in records]


async def find_sla_breaches(
    driver: AsyncDriver,
    now: datetime,
    limit: int = 200,
    database: str = "neo4j",
    skip: Collection[str] = (),
) -> list[tuple[str, str]]:
    """(task_id, 'overdue' | 'unclaimed') for tasks past their SLA not yet escalated for
    that reason (tasks_cypher.SLA_BREACHES), oldest due first, leaving out `skip` (tasks a
    pass tried and could not escalate: read again, a page of them hid every breach after)."""
    records, _, _ = await driver.execute_query(
        q.SLA_BREACHES,
        now=now,
        limit=max(1, min(limit, MAX_PAGE)),
        # In a map: Neo4j's plan cache is keyed on list parameters' sizes too.
        skip={"ids": sorted(skip)},
        database_=database,
        routing_="r",
    )
    return [(r["task_id"], r["reason"]) for r in records]
