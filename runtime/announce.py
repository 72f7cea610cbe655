"""The events that announce a task change: its lifecycle event and, when the task moved its
case, the case's new status.

Officer actions (api.tasks) and SLA escalations (agents.sla) both build them here and
stage them in the graph's outbox in the change's own transaction (graph.outbox); the
agents' relay publishes them after the commit. Ids derive from the task and the change, so
a transaction the driver runs again stages the same ids, and a page the relay sends twice
is dropped by consumers, which dedupe on event_id.
"""

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
        out.append(
            case_status_event(
                task.case_id,
                before,
                after,
                event_id=uuid5(task_id, f"CaseStatusChanged:{before}:{after}{attempt}"),
                producer=producer,
                correlation_id=correlation_id,
                now=now,
                causation_id=event.event_id,
            )
        )
    return out


def case_status_event(
    case_id: str,
    before: str,
    after: str,
    *,
    event_id: UUID,
    producer: str,
    correlation_id: UUID,
    now: datetime,
    causation_id: UUID | None = None,
) -> tuple[str, str, Event]:
    """A case's change of status, on the lifecycle topic keyed by case, as every one is
    (officers', the SLA check's, the linker's, a data repair's)."""
    changed = CaseStatusChanged(
        event_id=event_id,
        occurred_at=now,
        producer=producer,
        correlation_id=correlation_id,
        causation_id=causation_id,
        payload=CaseStatusPayload(case_id=UUID(case_id), previous=before, current=after),
    )
    return topics.TASK_EVENTS, case_id, changed
