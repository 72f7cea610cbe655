"""Open takedown and preservation tasks addressed to a platform by an alias, moved to the
service's name, or closed as superseded where the case holds the same task for the service
(data repairs of 2026-11-30, graph.repairs)."""

from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from neo4j import Driver, ManagedTransaction

from contracts import topics
from contracts.enums import OPEN_TASK_STATUSES, TaskStatus, TaskType
from contracts.envelope import Outgoing
from contracts.lifecycle import (
    TaskSuperseded,
    TaskSupersededPayload,
)
from graph.lifecycle import escalated_by_officer, next_case_status
from graph.lifecycle_cypher import APPEND_TIMELINE, SET_CASE_STATUS
from graph.linking_cypher import TAKE_DECISION_LOCK
from graph.outbox import stage_sync
from graph.outcome import TaskChange
from runtime.announce import case_status_event
from runtime.logs import get_logger
from runtime.settings import get_settings
from streams.emit import task_event
from streams.fanout import MAX_TASK_REASONS
from streams.normalise import UNKNOWN_PLATFORM, normalise_platform

log = get_logger(__name__)
PRODUCER = "graph.repairs"

# Since 2026-11-30 (later) a platform is named by the service its aliases resolve to:
# 'm.facebook.com', 'Facebook Messenger', 'WhatsApp Business', 'web.whatsapp.com',
# 'telegram.me', 'X (Twitter)' (streams.normalise.normalise_platform). Accounts stored under
# such a name move to the service's (graph.rekey), and so do the open takedown and
# preservation tasks addressed to it, so that the next report finds the task it calls for
# rather than opening a second one for the same service.
PLATFORM_TASK_TYPES = [TaskType.TAKEDOWN_NOTICE.value, TaskType.PRESERVATION_REQUEST.value]
OPEN_PLATFORM_TASK_TARGETS = """
MATCH (t:Task)
WHERE t.task_type IN $types AND t.status IN $open
RETURN DISTINCT t.target AS target
"""
# Each task locked before its status is read again (as a merge does, graph.linking_cypher):
# an officer starting, claiming or closing one meanwhile has committed by then, and the
# choice of the task that stays sees it. All of them before any case: an officer's action
# takes its task and then its case, so the two wait for each other rather than deadlock.
OPEN_TASKS_AT = """
MATCH (t:Task)
WHERE t.task_type IN $types AND t.status IN $open AND t.target IN $targets
SET t.lock_count = coalesce(t.lock_count, 0) + 1
WITH t, t.status AS status
WHERE status IN $open
RETURN t.id AS id, t.case_id AS cid, t.task_type AS task_type, t.target AS target,
       status, t.claimed_by IS NOT NULL AS claimed, t.escalated_by AS escalated_by,
       t.reason AS reason, t.priority AS priority, t.due_at AS due_at
ORDER BY t.created_at, t.id
"""
# As a merge chooses which of two open tasks of one slot stays (graph.linking_cypher):
# escalated with a claimant; an officer's escalation of an unclaimed task; work in progress;
# a claim; the SLA check's escalation alone; then a task nobody picked up; then the oldest.
_FURTHEST_ALONG = {"in_progress": 2, "claimed": 3, "escalated": 4}


def _furthest_along(task: Any) -> int:
    if task["status"] == "escalated":
        if task["claimed"]:
            return 0
        if escalated_by_officer(task["escalated_by"], task["reason"]):
            return 1
    return _FURTHEST_ALONG.get(task["status"], 5)


RETARGET_TASKS = """
UNWIND $rows AS row
MATCH (t:Task {id: row.id})
WHERE t.target = row.old AND t.status IN $open
SET t.target = row.new, t.updated_at = $now
"""


def repair_platform_tasks(driver: Driver, database: str, targets: list[str] | None = None) -> int:
    """The task step of graph.repairs.move_platform_aliases (_retarget_platform_tasks) in a
    transaction of its own; also a repair of its own, for graphs whose first run left
    duplicates open. Returns the tasks moved or closed."""
    with driver.session(database=database) as session:
        return session.execute_write(_retarget_platform_tasks, targets)


def _retarget_platform_tasks(tx: ManagedTransaction, targets: list[str] | None) -> int:
    """Open takedown and preservation tasks addressed to a platform by an old name, moved to
    its name today; under the decision lock, so that no decision adds a task to the slot
    meanwhile. Of two open tasks that become one slot (two old names, or an old name and
    the service's own, in one case), the one furthest along stays, then the oldest, as a
    merge chooses, and the other closes as superseded by it: a timeline entry, the case's
    status again, and TaskSuperseded (and CaseStatusChanged) staged in the outbox, so its
    agency is told. (Until the repair 2026-11-30-platform-alias-duplicates both stayed open,
    the alias's in its queue under a name no report calls for again.) Returns the tasks
    moved or closed."""
    tx.run(TAKE_DECISION_LOCK).consume()
    open_statuses = list(OPEN_TASK_STATUSES)
    if targets is None:
        found = tx.run(OPEN_PLATFORM_TASK_TARGETS, types=PLATFORM_TASK_TYPES, open=open_statuses)
        targets = [r["target"] for r in found]
    renamed = {t: normalise_platform(t) for t in targets}
    renamed = {old: new for old, new in renamed.items() if new not in (old, UNKNOWN_PLATFORM)}
    if not renamed:
        return 0
    tasks = list(
        tx.run(
            OPEN_TASKS_AT,
            types=PLATFORM_TASK_TYPES,
            open=open_statuses,
            targets=sorted({*renamed, *renamed.values()}),
        )
    )
    # A task without a case id in the form the events need (written by hand, or before
    # migration 0006) is left as it is: a repair that raises stops every worker starting.
    readable = [t for t in tasks if _is_uuid(t["id"]) and _is_uuid(t["cid"])]
    if len(readable) < len(tasks):
        log.warning("platform_tasks_left_unreadable_ids", tasks=len(tasks) - len(readable))
    rows, closed, raised = _moves_and_closes(readable, renamed)
    now = datetime.now(UTC)
    if rows:
        tx.run(RETARGET_TASKS, rows=rows, open=open_statuses, now=now).consume()
    events = [event for task_id, by in closed for event in _supersede(tx, task_id, by, now)]
    events += _raise(tx, raised, now)
    stage_sync(tx, events, now)
    if closed:
        log.info("platform_tasks_superseded", tasks=len(closed))
    return len(rows) + len(closed)


def _moves_and_closes(
    tasks: list[Any], renamed: dict[str, str]
) -> tuple[list[dict[str, str]], list[tuple[str, str]], dict[str, tuple[str, Any]]]:
    """The tasks to move to the service's name (rows for RETARGET_TASKS), those to close as
    superseded, each with the task that continues it (per slot, the one furthest along
    stays, then the oldest: `tasks` come oldest first), and the staying tasks to raise to
    the most urgent priority and earliest due time of those they continue, as a merge does
    (a P1 takedown closed for a P3 one left the P3 one due in three days)."""
    stays: dict[tuple[str, str, str], Any] = {}
    moved: set[str] = set()
    rows, closed = [], []
    urgent: dict[str, tuple[Any, str, Any]] = {}  # kept task id: (kept, priority, due)
    for t in sorted(tasks, key=_furthest_along):  # stable: the oldest first among equals
        new = renamed.get(t["target"], t["target"])
        slot = (t["cid"], t["task_type"], new)
        if slot not in stays:
            stays[slot] = t
            if new != t["target"]:
                moved.add(t["id"])
                rows.append({"id": t["id"], "old": t["target"], "new": new})
        elif new != t["target"] or stays[slot]["id"] in moved:
            # Two of one slot, at least one under an old name (two under the service's name
            # are no repair's business).
            kept = stays[slot]
            closed.append((t["id"], kept["id"]))
            if None in (kept["priority"], kept["due_at"], t["priority"], t["due_at"]):
                continue  # written by hand: nothing to compare
            _, top, due = urgent.get(kept["id"], (kept, kept["priority"], kept["due_at"]))
            urgent[kept["id"]] = (kept, min(top, t["priority"]), min(due, t["due_at"]))
    raised = {
        task_id: (top, due)
        for task_id, (kept, top, due) in urgent.items()
        if top < kept["priority"] or due < kept["due_at"]
    }
    return rows, closed, raised


# The staying task raised: its claim-by time follows its due time (its share of the time
# from creation, as graph.linking_cypher sets it), and a reason says why.
RAISE_TASK = """
MATCH (t:Task {id: $id})
WHERE t.status IN $open
SET t.priority = $priority, t.due_at = $due, t.updated_at = $now,
    t.reasons = ([$reason] + coalesce(t.reasons, []))[..$max_reasons],
    t.claim_by = datetime({epochMillis: t.created_at.epochMillis + toInteger(
      $share * ($due.epochMillis - t.created_at.epochMillis))})
RETURN t.id AS task_id, t.case_id AS case_id, t.agency AS agency, t.task_type AS task_type,
       t.target AS target, t.priority AS priority, t.due_at AS due_at, t.reasons AS reasons
"""


def _raise(tx: ManagedTransaction, raised: dict[str, tuple[str, Any]], now: datetime) -> Outgoing:
    """Raise each staying task to what the tasks it continues asked, and tell its agency."""
    events: Outgoing = []
    share = get_settings().sla_unclaimed_share
    for task_id, (priority, due) in sorted(raised.items()):
        reason = "more urgent: it continues a task of its type for the platform under another name"
        task = tx.run(
            RAISE_TASK, id=task_id, open=list(OPEN_TASK_STATUSES), priority=priority, due=due,
            now=now, reason=reason, max_reasons=MAX_TASK_REASONS, share=share,
        ).single()  # fmt: skip
        if task is None:
            continue  # closed meanwhile
        change = TaskChange(
            change="updated", task_id=task["task_id"], case_id=task["case_id"],
            agency=task["agency"], task_type=task["task_type"], target=task["target"],
            priority=task["priority"], due_at=task["due_at"].to_native().isoformat(),
            reasons=list(task["reasons"]),
        )  # fmt: skip
        # As the linker's updates are made, to the agency's queue (staged by hand on the
        # lifecycle topic, no agency queue read it: a helper's bug hunt).
        ns = uuid5(NAMESPACE_URL, f"platform-alias:{task_id}:{priority}:{task['due_at']}")
        env = {"occurred_at": now, "producer": PRODUCER, "correlation_id": UUID(task["case_id"])}
        events.append(task_event(change, ns, env))
    return events


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


# Its status read again (OPEN_TASKS_AT locked it): still open, as the choice saw it.
SUPERSEDE_TASK = """
MATCH (t:Task {id: $id})
WHERE t.status IN $open
SET t.status = 'superseded', t.superseded_by = $by, t.updated_at = $now
RETURN t.case_id AS case_id, t.agency AS agency, t.task_type AS task_type
"""


def _supersede(tx: ManagedTransaction, task_id: str, by: str, now: datetime) -> Outgoing:
    """Close `task_id` as superseded by `by`, as a merge does (graph.linking_cypher): its
    case's timeline and status, and the events that tell its agency."""
    row = tx.run(SUPERSEDE_TASK, id=task_id, by=by, open=list(OPEN_TASK_STATUSES), now=now)
    task = row.single()
    if task is None:
        return []  # closed meanwhile
    summary = f"{task['agency']} superseded: {task['task_type']} (continued by task {by})"
    case = tx.run(
        APPEND_TIMELINE, case_id=task["case_id"], entry_id=str(uuid4()), now=now,
        kind="TaskSuperseded", agency=task["agency"], actor="system", task_id=task_id,
        summary=summary,
    ).single()  # fmt: skip
    correlation = UUID(task["case_id"])  # no report caused it: the case ties its events
    env = {"occurred_at": now, "producer": PRODUCER, "correlation_id": correlation}
    payload = TaskSupersededPayload(
        task_id=task_id, case_id=task["case_id"], agency=task["agency"],
        status=TaskStatus.SUPERSEDED, actor="system", superseded_by=by,
        reason=f"the same task for the platform under its service's name (task {by})",
    )  # fmt: skip
    name = f"TaskSuperseded:{task_id}:platform-alias"
    events: Outgoing = [
        (
            topics.TASK_EVENTS,
            task_id,
            TaskSuperseded(event_id=uuid5(NAMESPACE_URL, name), payload=payload, **env),
        )
    ]
    if case is None:
        return events
    before = case["status"]
    after = next_case_status(before, case["statuses"])
    if after != before:
        tx.run(SET_CASE_STATUS, case_id=task["case_id"], status=after, now=now).consume()
        name = f"CaseStatusChanged:{task['case_id']}:{before}:{after}:platform-alias:{task_id}"
        events.append(
            case_status_event(
                task["case_id"],
                before,
                after,
                event_id=uuid5(NAMESPACE_URL, name),
                producer=PRODUCER,
                correlation_id=correlation,
                now=now,
                causation_id=events[0][2].event_id,
            )
        )
    return events
