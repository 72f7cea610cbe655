"""Task queues for officers and caseworkers: list their agency's tasks and act on them."""

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, get_args
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request
from neo4j import AsyncManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from api.audit import PRODUCER as AUDITOR
from api.errors import ApiError, ErrorBody
from api.security.deps import require
from api.security.permissions import Permission, allowed
from api.security.principal import VICTIM_ROLES, Principal, Role
from contracts.enums import Agency, Priority, TaskStatus
from contracts.envelope import FORBID_UNKNOWN, Event
from contracts.lifecycle import (
    TASK_OUTCOMES,
    OutcomeCode,
    TaskClaimed,
    TaskCompleted,
    TaskDeclined,
    TaskEscalated,
    TaskOutcome,
    TaskStarted,
)
from contracts.times import storable_time
from graph.audit import append_in
from graph.driver import counting_retries
from graph.lifecycle import Action, TransitionRefused, apply_action
from graph.outbox import stage
from graph.tasks import QueuePosition, TaskView, get_task, list_tasks
from runtime.announce import task_change_events

PRODUCER = "api.tasks"
router = APIRouter(prefix="/v1/tasks", tags=["tasks"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 422)
}
OPEN = [
    TaskStatus.ASSIGNED,
    TaskStatus.RECEIVED,
    TaskStatus.CLAIMED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.ESCALATED,
]
EVENT_OF: dict[Action, type[Event]] = {
    Action.CLAIM: TaskClaimed,
    Action.START: TaskStarted,
    Action.COMPLETE: TaskCompleted,
    Action.DECLINE: TaskDeclined,
    Action.ESCALATE: TaskEscalated,
}
REFUSAL_STATUS = {
    "not_found": 404,
    "invalid_transition": 409,
    "wrong_agency": 403,
    "outcome_not_allowed": 422,
    "reason_required": 422,
    "removed_at_not_allowed": 422,
    "removed_at_without_zone": 422,
    "removed_at_in_future": 422,
}


class TaskOut(BaseModel):
    task_id: str
    case_id: str
    agency: str
    task_type: str
    target: str
    priority: str
    status: str
    due_at: datetime
    claimed_by: str | None = None
    outcome: dict[str, Any] | None = None
    reason: str | None = None
    created_at: datetime
    updated_at: datetime | None = None
    superseded_by: str | None = Field(
        default=None, description="A superseded task's work goes on in this task"
    )
    closed_by: str | None = Field(
        default=None,
        description="Who completed or declined the task (claimed_by is who claimed it: any "
        "officer of the agency may act on a claimed task)",
    )


class TaskPage(BaseModel):
    items: list[TaskOut]
    limit: int
    offset: int
    next_offset: int | None
    next_after: str | None = Field(
        None, description="Pass as `after` for the next page (none when this is the last)"
    )


def queue_cursor(position: QueuePosition) -> str:
    """An opaque, URL-safe token for the queue position after which the next page starts."""
    text = f"{position.priority}|{position.due_at.isoformat()}|{position.task_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def queue_position(cursor: str) -> QueuePosition:
    """The position a cursor from queue_cursor names; 400 invalid_cursor for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        priority, due_at, task_id = text.split("|")
        # A time the graph cannot compare with (an offset past 18 hours, a year past 9999 in
        # UTC) is no cursor this API gave: it was a 500 from the driver or from Neo4j.
        given = datetime.fromisoformat(due_at)
        if given.utcoffset() is None:  # every cursor this API gives carries its offset
            raise ValueError("a cursor's time has no offset")
        due = storable_time(given)
        position = QueuePosition(Priority(priority).value, due, task_id)
        UUID(task_id)
    except ValueError as exc:  # binascii.Error and UnicodeDecodeError are ValueErrors
        message = "not a cursor this API gave: pass a page's next_after as it came"
        raise ApiError(400, "invalid_cursor", message, "after") from exc
    return position


class OutcomeBody(TaskOutcome):
    """An officer's outcome: a field it does not name is refused (as what reporters send is),
    not dropped: 'notes' for 'note' lost the officer's words without a word said."""

    model_config = FORBID_UNKNOWN

    @field_validator("code", mode="before")
    @classmethod
    def _known_code(cls, code: Any) -> Any:
        # Answered as pydantic's literal_error, listing every agency's codes, where the
        # README promises outcome_not_allowed and the codes a task of each type takes.
        if isinstance(code, str) and code not in get_args(OutcomeCode):
            by_type = "; ".join(
                f"{task_type}: {', '.join(sorted(codes))}"
                for task_type, codes in TASK_OUTCOMES.items()
            )
            raise PydanticCustomError(
                "outcome_not_allowed", "'{code}' is no outcome; by task type: {by_type}",
                {"code": code[:64], "by_type": by_type},
            )  # fmt: skip
        return code


class CompleteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: OutcomeBody


class ReasonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=2000)]


def _says_why(principal: Principal) -> bool:
    """Whether a read of tasks must say why (X-Purpose): analysts' and administrators', who
    read any agency's queue and its case facts, as every other read of case data does.
    Officers and caseworkers working their own queue are not asked at each look."""
    return principal.role in (Role.ANALYST, Role.ADMIN)


def _out(view: TaskView, principal: Principal) -> TaskOut:
    """The task as the caller may see it. What officers write about a task (its outcome's
    note, a decline's or escalation's reason) is free text, the likeliest place for a
    victim's details ("support given to the 12-year-old at her school"): shown to the task's
    own agency's officers, caseworkers and administrators and to readers who may see victim
    details, withheld from the rest: administrators of other agencies, and analysts, who see
    no victim details anywhere else (a KPWKM analyst read a caseworker's decline naming the
    mother's phone)."""
    out = TaskOut(**view.__dict__)
    own_agency = principal.agency == Agency(view.agency) and principal.role in VICTIM_ROLES
    if own_agency or principal.sees_victim_details():
        return out
    outcome = None if out.outcome is None else {**out.outcome, "note": None}
    return out.model_copy(update={"outcome": outcome, "reason": None})


@router.get("", response_model=TaskPage, responses=ERRORS)
async def agency_tasks(
    request: Request,
    principal: Annotated[Principal, Depends(require(Permission.TASKS_READ))],
    agency: Agency | None = None,
    status: Annotated[list[TaskStatus] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    after: Annotated[str | None, Query(max_length=200)] = None,
) -> TaskPage:
    """An agency's tasks, most urgent first (priority, then due time); open ones by default.
    Page with `after` (the page's `next_after`): tasks closed meanwhile shift no page, as
    they do with `offset`. One or the other: both together skipped a page (an offset of 0
    beside a cursor is the default, and harmless)."""
    # No purpose, no read (the queue was read before the 400, as the graph routes do not).
    request.app.state.auditor.fields(
        request, principal, "tasks.list", None, None, _says_why(principal)
    )
    if after is not None and offset:
        # The cursor already says where the page starts: an offset on top of it skipped
        # that many tasks after it (a client sending back both of a page's next values).
        message = "page with after (next_after) or with offset (next_offset), not both"
        raise ApiError(400, "conflicting_paging", message, "offset")
    position = None if after is None else queue_position(after)
    agency = agency or principal.agency
    if agency is None:
        raise ApiError(400, "agency_required", "name the agency whose queue to list", "agency")
    if not allowed(principal, Permission.TASKS_READ, agency):
        raise ApiError(403, "forbidden", f"your role may not read {agency.value} tasks", "agency")
    state = request.app.state
    statuses = [s.value for s in (status or OPEN)]
    views = await list_tasks(
        state.graph, agency, statuses, limit + 1, offset, state.settings.neo4j_database, position
    )
    await state.auditor.record(
        request,
        principal,
        "tasks.list",
        target=f"agency:{agency.value}",
        purpose_required=_says_why(principal),
    )
    more = len(views) > limit
    return TaskPage(
        items=[_out(v, principal) for v in views[:limit]],
        limit=limit,
        offset=offset,
        # A page read by cursor has no offset to go on from: its next page is by cursor.
        next_offset=offset + limit if more and position is None else None,
        next_after=queue_cursor(QueuePosition.of(views[limit - 1])) if more else None,
    )


@router.get("/{task_id}", response_model=TaskOut, responses=ERRORS)
async def task_detail(
    task_id: UUID,
    request: Request,
    principal: Annotated[Principal, Depends(require(Permission.TASKS_READ))],
) -> TaskOut:
    """One task of the caller's agency."""
    request.app.state.auditor.fields(
        request, principal, "task.read", None, None, _says_why(principal)
    )
    view = await _task_for(request, principal, str(task_id), Permission.TASKS_READ)
    await request.app.state.auditor.record(
        request,
        principal,
        "task.read",
        case_id=view.case_id,
        target=f"task:{task_id}",
        purpose_required=_says_why(principal),
    )
    return _out(view, principal)


async def _task_for(
    request: Request, principal: Principal, task_id: str, permission: Permission
) -> TaskView:
    state = request.app.state
    view = await get_task(state.graph, task_id, state.settings.neo4j_database)
    # Another agency's task is reported as missing: its existence is not the caller's business.
    if view is None or not allowed(principal, permission, Agency(view.agency)):
        raise ApiError(404, "not_found", "no such task in your agency's queue")
    return view


async def _act(
    request: Request,
    principal: Principal,
    task_id: UUID,
    action: Action,
    outcome: TaskOutcome | None = None,
    reason: str | None = None,
) -> TaskOut:
    state = request.app.state
    current = await _task_for(request, principal, str(task_id), Permission.TASKS_ACT)
    # The graph checks the action against the officer's own agency, under the task's lock
    # (the task's own agency was compared with itself). TASKS_ACT is agency-scoped, so
    # _task_for has already refused an officer of another agency, or of none.
    agency = principal.agency or Agency(current.agency)
    change = OfficerAction(
        task_id=str(task_id),
        action=action,
        actor=principal.subject,
        agency=agency,
        at=datetime.now(UTC),
        correlation_id=uuid4(),
        outcome=outcome,
        reason=reason,
    )
    # The action's audit record is written in the action's own transaction: written after
    # it, a process stopped (or a connection lost) in between left a completion or decline
    # in the graph with no record of who made it, and the officer's retry was refused.
    audit = state.auditor.fields(
        request, principal, f"task.{action.value}", target=f"task:{task_id}", purpose_required=False
    )
    try:
        async with state.graph.session(database=state.settings.neo4j_database) as session:
            act = counting_retries("task_action", act_and_stage)
            view = await session.execute_write(act, change, audit)
    except TransitionRefused as refused:
        status = REFUSAL_STATUS.get(refused.code, 409)
        raise ApiError(
            status,
            refused.code,
            str(refused.message),
            refused.field or ("status" if refused.code == "invalid_transition" else ""),
        ) from refused
    return _out(view, principal)


@dataclass(frozen=True)
class OfficerAction:
    task_id: str
    action: Action
    actor: str
    agency: Agency
    at: datetime
    correlation_id: UUID
    outcome: TaskOutcome | None = None
    reason: str | None = None


async def act_and_stage(
    tx: AsyncManagedTransaction, change: OfficerAction, audit: dict[str, Any] | None = None
) -> TaskView:
    """Apply an officer's action and stage its events in the outbox, in one transaction
    (graph.outbox): the agents' relay publishes them once it has committed, so an action
    taken while Kafka is unreachable is kept and announced when Kafka is back. `audit`
    (api.audit.Auditor.fields) is appended to the chain of the case the task is in now,
    in the same transaction."""
    view, before, after = await apply_action(
        tx,
        change.task_id,
        change.action,
        change.actor,
        change.agency,
        change.at,
        change.outcome,
        change.reason,
        timed_after_lock=True,
    )
    # The action's time, read once the task's lock was taken (graph.lifecycle.apply_action);
    # its events' ids stay those of the request's time, the same for each attempt the driver
    # runs again.
    at = view.updated_at or change.at
    events = task_change_events(
        EVENT_OF[change.action],
        view,
        before,
        after,
        actor=change.actor,
        producer=PRODUCER,
        correlation_id=change.correlation_id,
        now=at,
        # An officer may claim, start... a task many times over its life (a declined task
        # is not claimed again, but an escalated one is): the request's time tells them apart.
        attempt=f"@{change.at.isoformat()}",
        outcome=change.outcome,
        reason=change.reason,
    )
    if audit is None:
        await stage(tx, events, at)
        return view
    # The record first, then the events with its copy: the chain's lock before the outbox's
    # counter (graph.audit.append_in says why).
    case = view.case_id  # after a merge, the surviving case
    record = {**audit, "case_id": case, "chain": case, "at": at}
    await append_in(tx, record, AUDITOR, events)
    return view


Actor = Annotated[Principal, Depends(require(Permission.TASKS_ACT))]


@router.post("/{task_id}/claim", response_model=TaskOut, responses=ERRORS)
async def claim(task_id: UUID, request: Request, principal: Actor) -> TaskOut:
    """Claim a task for yourself."""
    return await _act(request, principal, task_id, Action.CLAIM)


@router.post("/{task_id}/start", response_model=TaskOut, responses=ERRORS)
async def start(task_id: UUID, request: Request, principal: Actor) -> TaskOut:
    """Mark a claimed task as in progress."""
    return await _act(request, principal, task_id, Action.START)


@router.post("/{task_id}/complete", response_model=TaskOut, responses=ERRORS)
async def complete(
    task_id: UUID, body: CompleteBody, request: Request, principal: Actor
) -> TaskOut:
    """Complete a task with its outcome (removal, arrest, support given, ...)."""
    return await _act(request, principal, task_id, Action.COMPLETE, outcome=body.outcome)


@router.post("/{task_id}/decline", response_model=TaskOut, responses=ERRORS)
async def decline(task_id: UUID, body: ReasonBody, request: Request, principal: Actor) -> TaskOut:
    """Decline a task, saying why."""
    return await _act(request, principal, task_id, Action.DECLINE, reason=body.reason)


@router.post("/{task_id}/escalate", response_model=TaskOut, responses=ERRORS)
async def escalate(task_id: UUID, body: ReasonBody, request: Request, principal: Actor) -> TaskOut:
    """Escalate a task, saying why."""
    return await _act(request, principal, task_id, Action.ESCALATE, reason=body.reason)
