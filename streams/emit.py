"""Turn a linking outcome into the events it implies, with ids derived from the report.

Deterministic event ids make a replay after a crash re-send the same events (or stage
them again, for the lifecycle topic's), which consumers drop by event id: at-least-once
delivery without duplicates downstream.
"""

from datetime import datetime
from uuid import UUID, uuid5

from contracts import topics
from contracts.cases import (
    CaseOpened,
    CasePayload,
    CasesMerged,
    LinkPayload,
    MergePayload,
    ReportLinkedToCase,
    ReportTriaged,
)
from contracts.enums import Agency, TaskStatus
from contracts.envelope import Event
from contracts.lifecycle import (
    TaskSuperseded,
    TaskSupersededPayload,
)
from contracts.tasks import TaskAssigned, TaskPayload, TaskUpdated
from graph.outcome import LinkOutcome, SupersededTask, TaskChange
from runtime.announce import case_status_event

# The identifiers an event names, at most: a report sharing hundreds (600 URLs of a hotline's
# list, each long once escaped) made a case event over Kafka's 1 MB record limit, which the
# sender retries for ever, holding every report of its batch back. The graph keeps them all.
SHARED_SHOWN = 50


def _merge_reason(shared: list[str]) -> str:
    more = f" and {len(shared) - SHARED_SHOWN} more" if len(shared) > SHARED_SHOWN else ""
    return f"report shares identifiers: {', '.join(shared[:SHARED_SHOWN])}{more}"


def _id(report_id: UUID, name: str) -> UUID:
    return uuid5(report_id, name)


def _envelope(outcome: LinkOutcome, cause: ReportTriaged, producer: str, now: datetime) -> dict:
    return {"occurred_at": occurred_at(outcome, now), "producer": producer, **cause.caused()}


def occurred_at(outcome: LinkOutcome, now: datetime) -> datetime:
    """When the facts of a report's events happened: its decision, also when the events are
    sent again from its stored outcome (a redelivery, a dead letter replayed days later);
    `now` for an outcome stored before decisions were timed. (Their recorded_at is when
    they are sent.) A replay said an old case had opened, or an old change of status
    happened, at the time of the replay, to a consumer that had missed the first copy."""
    return datetime.fromisoformat(outcome.decided_at) if outcome.decided_at else now


def events_for(
    outcome: LinkOutcome, cause: ReportTriaged, producer: str, now: datetime
) -> list[tuple[str, str, Event]]:
    """(topic, key, event) triples the linker sends for one linked report, once the decision
    has committed: the case events and the agencies' task events. Its changes of tasks'
    and cases' statuses go through the outbox (lifecycle_events_for)."""
    env = _envelope(outcome, cause, producer, now)
    rid, cid = outcome.report_id, outcome.case_id
    ns = cause.payload.report_id  # already a UUID: event ids derive from it
    out: list[tuple[str, str, Event]] = []
    if outcome.kind == "opened":
        payload = CasePayload(
            case_id=cid, report_id=rid, priority=outcome.priority, categories=outcome.categories
        )
        out.append(
            (
                topics.CASE_EVENTS,
                cid,
                CaseOpened(event_id=_id(ns, "CaseOpened"), payload=payload, **env),
            )
        )
    else:
        shared = outcome.shared_keys[:SHARED_SHOWN]
        link = LinkPayload(case_id=cid, report_id=rid, shared_identifiers=shared)
        linked = ReportLinkedToCase(event_id=_id(ns, "ReportLinkedToCase"), payload=link, **env)
        out.append((topics.CASE_EVENTS, cid, linked))
    if outcome.merged_case_ids:
        merge = MergePayload(
            surviving_case_id=cid,
            merged_case_ids=outcome.merged_case_ids,
            report_id=rid,
            reason=_merge_reason(outcome.shared_keys),
        )
        out.append(
            (
                topics.CASE_EVENTS,
                cid,
                CasesMerged(event_id=_id(ns, "CasesMerged"), payload=merge, **env),
            )
        )
    out += [task_event(change, ns, env) for change in outcome.tasks]
    return out


def lifecycle_events_for(
    outcome: LinkOutcome, cause: ReportTriaged, producer: str, now: datetime
) -> list[tuple[str, str, Event]]:
    """The lifecycle topic's events for one linked report: tasks its merge superseded, the
    cases it merged (each to 'merged'), and its case's change of status. Staged in the
    graph's outbox in the decision's transaction
    (graph.linking), as officers' and the SLA check's changes of the same tasks and cases
    are: sent straight after the commit, a report reopening a case could be announced
    before the officer's closing it, staged a moment earlier and relayed after, and a reader
    of the topic kept the case closed."""
    env = _envelope(outcome, cause, producer, now)
    ns = cause.payload.report_id
    out = [_superseded_event(task, outcome, ns, env) for task in outcome.superseded]
    # The merged cases' end first, then the survivor's change: a reader of this topic alone
    # kept a merged case open (its end was told on the cases topic only).
    changes = [*outcome.merged_statuses]
    if outcome.case_status is not None:
        changes.append(outcome.case_status)
    for change in changes:
        name = f"CaseStatusChanged:{change.case_id}:{change.previous}:{change.current}"
        out.append(
            case_status_event(
                change.case_id,
                change.previous,
                change.current,
                event_id=_id(ns, name),
                producer=producer,
                correlation_id=cause.correlation_id,
                now=env["occurred_at"],
                causation_id=cause.event_id,
            )
        )
    return out


def _superseded_event(
    task: SupersededTask, outcome: LinkOutcome, ns: UUID, env: dict
) -> tuple[str, str, Event]:
    """On the lifecycle topic, like every other change of a task's status after it was
    assigned; keyed by task, so it follows the task's earlier lifecycle events in order."""
    # Bounded: a report can merge dozens of cases, and the reason has a size limit. The
    # merged cases are listed once, in the CasesMerged event of the same report.
    count = len(outcome.merged_case_ids)
    payload = TaskSupersededPayload(
        task_id=task.task_id,
        case_id=task.case_id,
        agency=task.agency,
        status=TaskStatus.SUPERSEDED,
        actor="system",
        reason=f"{count} case(s) merged into case {outcome.case_id}",
        superseded_by=task.superseded_by,
    )
    event = TaskSuperseded(
        event_id=_id(ns, f"TaskSuperseded:{task.task_id}"), payload=payload, **env
    )
    return topics.TASK_EVENTS, task.task_id, event


def task_event(change: TaskChange, ns: UUID, env: dict) -> tuple[str, str, Event]:
    """TaskAssigned or TaskUpdated for a task change, on its agency's queue, its id derived
    from `ns` (graph.platform_tasks raises tasks with it too)."""
    payload = TaskPayload(
        task_id=change.task_id,
        case_id=change.case_id,
        agency=change.agency,
        task_type=change.task_type,
        target=change.target,
        priority=change.priority,
        due_at=change.due_at,
        reasons=change.reasons,
    )
    model = TaskAssigned if change.change == "assigned" else TaskUpdated
    event = model(event_id=_id(ns, f"{model.__name__}:{change.task_id}"), payload=payload, **env)
    return topics.AGENCY_TASKS[Agency(change.agency)], change.task_id, event
