"""Announcing a task change from inside its graph transaction, before the commit.

Officer actions (api.tasks) and SLA escalations (agents.sla) both change a task in one
write transaction and announce it on the task lifecycle topic. Announced after the commit,
a send Kafka refused lost the event for good: the change stayed, and a retry was refused
(the task had already moved on). Announced before it, a refused send raises, the
transaction rolls back, and the caller can do both again. The ids are stable for one
attempt, so if the commit fails after the send and the transaction runs again, the
consumers drop the repeat (they dedupe on event_id).

The events of one transaction go out as one batch and are waited for together: one round
trip while the locks are held, and a broker that refuses one refuses, almost always, all.
Two things this does not close: a send that fails part-way through a batch leaves the
events already acked out for a change that was rolled back (until a retry makes it), and a
consumer may read the graph before the commit lands (the ones here read only what the
change does not touch). Kafka transactions or an outbox would close both.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from uuid import UUID, uuid5

from contracts import topics
from contracts.enums import Agency, TaskStatus
from contracts.envelope import Event, Outgoing
from contracts.lifecycle import (
    CaseStatusChanged,
    CaseStatusPayload,
    TaskChangePayload,
    TaskOutcome,
)
from graph.tasks import TaskView

# Sends (topic, key, event) items as one batch and returns once the broker has every one.
SendAll = Callable[[Outgoing], Awaitable[None]]


def task_change_events(
    kind: type[Event],
    task: TaskView,
    before: str,
    after: str,
    *,
    actor: str,
    producer: str,
    correlation_id: UUID,
    now: datetime,
    attempt: str = "",
    outcome: TaskOutcome | None = None,
    reason: str | None = None,
) -> Outgoing:
    """The lifecycle event of one task change, and the case's new status when it changed.

    Ids derive from the task, the change and `attempt` (empty for a change that can happen
    once, such as the SLA escalation; the action's time for an officer's action)."""
    task_id = UUID(task.task_id)
    payload = TaskChangePayload(
        task_id=task_id,
        case_id=UUID(task.case_id),
        agency=Agency(task.agency),
        status=TaskStatus(task.status),
        actor=actor,
        outcome=outcome,
        reason=reason,
    )
    event_type = kind.model_fields["event_type"].default
    # Every task lifecycle event type carries a TaskChangePayload (contracts.lifecycle).
    event = kind(  # type: ignore[call-arg]
        event_id=uuid5(task_id, event_type + attempt),
        occurred_at=now,
        producer=producer,
        correlation_id=correlation_id,
        payload=payload,
    )
    out: Outgoing = [(topics.TASK_EVENTS, task.task_id, event)]
    if before and after != before:
        changed = CaseStatusChanged(
            event_id=uuid5(task_id, f"CaseStatusChanged:{before}:{after}{attempt}"),
            occurred_at=now,
            producer=producer,
            correlation_id=correlation_id,
            causation_id=event.event_id,
            payload=CaseStatusPayload(case_id=UUID(task.case_id), previous=before, current=after),
        )
        out.append((topics.TASK_EVENTS, task.case_id, changed))
    return out
