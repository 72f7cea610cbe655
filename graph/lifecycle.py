"""The task lifecycle: what each status allows, and the one transaction that applies an action."""

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple
from uuid import uuid4

from neo4j import AsyncManagedTransaction, Record

from contracts.enums import Agency, TaskStatus, TaskType
from contracts.lifecycle import TASK_OUTCOMES, TaskOutcome
from graph import lifecycle_cypher as q
from graph.tasks import TaskView, find_sla_breaches, get_task, list_tasks, task_view

# The read side lives in graph.tasks; it is re-exported so callers need one import.
__all__ = [
    "Action",
    "TaskView",
    "TransitionRefused",
    "apply_action",
    "case_status",
    "escalate_once",
    "escalate_with_case",
    "Escalated",
    "find_sla_breaches",
    "get_task",
    "list_tasks",
    "next_status",
]

S = TaskStatus
FINAL = frozenset({S.COMPLETED, S.DECLINED})
_WORKING = frozenset({S.CLAIMED, S.IN_PROGRESS, S.COMPLETED})
_OPEN = frozenset({S.ASSIGNED, S.RECEIVED, S.CLAIMED, S.IN_PROGRESS})
_UNCLAIMED = frozenset({S.ASSIGNED, S.RECEIVED})
UNCLAIMED = "unclaimed"  # an SLA breach reason (graph.tasks_cypher.SLA_BREACHES)
OVERDUE = "overdue"  # the other
# An escalation's reason as the SLA check alone writes it (escalate_with_case); an officer's
# escalation writes their words, and the check's overdue after it is added to them.
SLA_ESCALATION_REASONS = frozenset({UNCLAIMED, OVERDUE, f"{UNCLAIMED}; then {OVERDUE}"})
SYSTEM = "system"  # who escalated, when the SLA check did (a task's escalated_by)


def escalated_by_officer(escalated_by: str | None, reason: str | None) -> bool:
    """Whether a task's escalation is an officer's: by `escalated_by` (since 2026-12-02),
    else, for a task escalated before, by its reason (the SLA check writes its own words; no
    reason at all was written by hand). An officer may type 'overdue' as the reason: only
    escalated_by tells that one apart."""
    if escalated_by is not None:
        return escalated_by != SYSTEM
    return reason is not None and reason not in SLA_ESCALATION_REASONS


# Overdue is raised for any task not closed, escalated before or not: a task escalated as
# unclaimed (or by an officer) and then claimed, or raised to P1 by a new report, must
# still raise the alarm when its deadline passes.
_MAY_BE_OVERDUE = _OPEN | {S.ESCALATED}
_KNOWN = frozenset(s.value for s in S)


class Action(StrEnum):
    CLAIM = "claim"
    START = "start"
    COMPLETE = "complete"
    DECLINE = "decline"
    ESCALATE = "escalate"


# The event kind each action records on the case timeline and publishes.
EVENT_KIND = {
    Action.CLAIM: "TaskClaimed",
    Action.START: "TaskStarted",
    Action.COMPLETE: "TaskCompleted",
    Action.DECLINE: "TaskDeclined",
    Action.ESCALATE: "TaskEscalated",
}


def next_status(previous: TaskStatus, action: Action) -> TaskStatus | None:
    """The status after `action`, or None when `previous` does not allow it."""
    match (previous, action):
        case (S.ASSIGNED | S.RECEIVED | S.ESCALATED, Action.CLAIM):
            return S.CLAIMED
        case (S.CLAIMED, Action.START):
            return S.IN_PROGRESS
        case (S.CLAIMED | S.IN_PROGRESS | S.ESCALATED, Action.COMPLETE):
            return S.COMPLETED
        case (S.ASSIGNED | S.RECEIVED | S.CLAIMED | S.IN_PROGRESS | S.ESCALATED, Action.DECLINE):
            return S.DECLINED
        case (S.ASSIGNED | S.RECEIVED | S.CLAIMED | S.IN_PROGRESS, Action.ESCALATE):
            return S.ESCALATED
        case _:
            # completed and declined are final; an escalated task is not escalated twice.
            return None


def case_status(task_statuses: list[str]) -> str:
    """A case's status from its tasks' statuses: open, in_progress, escalated or closed."""
    if task_statuses and all(s in FINAL for s in task_statuses):
        return "closed"
    if S.ESCALATED in task_statuses:
        return "escalated"
    # A completed task was claimed first: the case is being worked even if others wait.
    if any(s in _WORKING for s in task_statuses):
        return "in_progress"
    return "open"


def next_case_status(before: str, task_statuses: list[str]) -> str:
    """A case's status after a change of its tasks; a merged case keeps its own (its tasks
    belong to the surviving case now)."""
    return before if before == "merged" else case_status(task_statuses)


# What a refused action needs first, said with the refusal ('cannot complete a received task:
# claim it first'), where one action would make it allowed.
_FIRST = {
    (action, status): ": claim it first"
    for action in (Action.START, Action.COMPLETE)
    for status in ("assigned", "received")
} | {(Action.START, "escalated"): ": claim it first (an escalated task is claimed again)"}

# The actions that must say why, as their refusal names them.
_NEEDS_REASON = {Action.DECLINE: "a decline", Action.ESCALATE: "an escalation"}


class TransitionRefused(Exception):
    """An action the task's state, agency or outcome does not allow; nothing was written."""

    def __init__(self, code: str, message: str, current: str | None = None, field: str = ""):
        super().__init__(message)
        # not_found | invalid_transition | wrong_agency | outcome_not_allowed |
        # reason_required | removed_at_not_allowed | removed_at_without_zone |
        # removed_at_in_future
        self.code = code
        self.message = message
        self.current = current
        self.field = field  # the request field at fault, when one is


async def _lock_and_read(tx: AsyncManagedTransaction, task_id: str) -> Record | None:
    return await (await tx.run(q.LOCK_AND_READ_TASK, task_id=task_id)).single()


async def _update(tx: AsyncManagedTransaction, task_id: str, props: dict[str, Any]) -> TaskView:
    answer = await tx.run(q.UPDATE_TASK, task_id=task_id, props=props)
    return task_view(await answer.single(strict=True))


def _changes(
    action: Action,
    row: Record,
    actor: str,
    now: datetime,
    outcome: TaskOutcome | None,
    reason: str | None,
) -> dict[str, Any]:
    status = next_status(TaskStatus(row["status"]), action)
    props: dict[str, Any] = {"status": str(status), "updated_at": now}
    if action is Action.CLAIM:
        # The first claim's time stays (a task claimed before it was kept shows its last
        # claim, the best there is): time to claim is observed for that claim alone.
        props |= {
            "claimed_by": actor,
            "claimed_at": now,
            "first_claimed_at": row["first_claimed_at"] or now,
        }
    elif action is Action.START:
        props["started_at"] = now
    elif action is Action.COMPLETE and outcome is not None:
        props |= {
            "closed_by": actor,
            "completed_at": now,
            "outcome_code": outcome.code,
            "outcome_note": outcome.note,
            "content_removed_at": outcome.content_removed_at,
        }
    elif action is Action.DECLINE:
        props |= {"declined_at": now, "reason": reason, "closed_by": actor}
    elif action is Action.ESCALATE:
        props |= {"reason": reason, "escalated_by": actor}
        if row["escalated_at"] is None:
            props["escalated_at"] = now
    return props


def _outcomes_of(task_type: str) -> frozenset[str]:
    """The outcomes a task type may be completed with; none for a type this code does not
    know (written by a newer version or by hand): refused rather than guessed."""
    try:
        return TASK_OUTCOMES[TaskType(task_type)]
    except ValueError:
        return frozenset()


# A removal time is the platform's, as an MCMC officer tells it: with its zone (a local time
# without one was read as UTC, eight hours off in Malaysia), and not in the future. It may be
# earlier than the task: a platform can take content down before the notice reaches it.
REMOVED_AT_FIELD = "outcome.content_removed_at"
CLOCK_SKEW = timedelta(minutes=5)


def _check_removed_at(outcome: TaskOutcome, now: datetime, current: str) -> None:
    at = outcome.content_removed_at
    if at is None:
        return
    if outcome.code != "content_removed":
        message = "content_removed_at goes only with the outcome content_removed"
        raise TransitionRefused("removed_at_not_allowed", message, current, REMOVED_AT_FIELD)
    if at.utcoffset() is None:
        message = "content_removed_at needs its time zone, e.g. 2026-12-01T10:00:00+08:00"
        raise TransitionRefused("removed_at_without_zone", message, current, REMOVED_AT_FIELD)
    if at > now + CLOCK_SKEW:
        message = "content_removed_at is in the future"
        raise TransitionRefused("removed_at_in_future", message, current, REMOVED_AT_FIELD)


def _check(
    row: Record,
    action: Action,
    agency: Agency,
    outcome: TaskOutcome | None,
    reason: str | None,
    now: datetime,
) -> None:
    current = row["status"]
    if row["agency"] != agency.value:
        raise TransitionRefused("wrong_agency", f"the task belongs to {row['agency']}", current)
    # A superseded task, or a status outside the enum (data written by hand), allows nothing.
    allowed = current in _KNOWN and next_status(S(current), action) is not None
    if not allowed:
        hint = _FIRST.get((action, current), "")
        if current == S.SUPERSEDED and row["superseded_by"]:
            # The officer whose task a merge closed had no word of where its work went.
            hint = f": its work goes on in task {row['superseded_by']}"
        message = f"cannot {action} {_a(current)} task{hint}"
        raise TransitionRefused("invalid_transition", message, current)
    if action is Action.COMPLETE and current == S.ESCALATED and row["claimed_by"] is None:
        # Escalated by the SLA check before anyone claimed it: completed so, it closed with
        # no one named as having taken it on, and no time to claim.
        message = "cannot complete an escalated task nobody claimed: claim it first"
        raise TransitionRefused("invalid_transition", message, current)
    if action is Action.COMPLETE:
        allowed_codes = _outcomes_of(row["task_type"])
        if outcome is None or outcome.code not in allowed_codes:
            codes = ", ".join(sorted(allowed_codes)) or "none (decline it with a reason)"
            message = f"{_a(row['task_type'])} task's outcome must be one of: {codes}"
            raise TransitionRefused("outcome_not_allowed", message, current, "outcome.code")
        _check_removed_at(outcome, now, current)
    # An escalation's reason is what the supervisor it reaches reads first: blank, it said
    # nothing (one of spaces was taken, and one of control or invisible characters).
    if action in _NEEDS_REASON and not _says_something(reason):
        message = f"{_NEEDS_REASON[action]} needs a reason"
        raise TransitionRefused("reason_required", message, current, "reason")


def _a(word: str) -> str:
    """The word after its article: 'an escalated', 'a received'."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _says_something(text: str | None) -> bool:
    """Whether the text holds a character a reader sees: not only spaces, control
    characters ('\\u0000') or invisible ones (a zero-width space)."""
    return text is not None and any(ch.isprintable() and not ch.isspace() for ch in text)


async def _record(
    tx: AsyncManagedTransaction, row: Record, kind: str, actor: str, summary: str, now: datetime
) -> tuple[str, str]:
    """Append a timeline entry and recompute the case status; return (before, after)."""
    case_id = row["case_id"]
    answer = await tx.run(
        q.APPEND_TIMELINE, case_id=case_id, entry_id=str(uuid4()), now=now, kind=kind,
        agency=row["agency"], actor=actor, task_id=row["task_id"], summary=summary,
    )  # fmt: skip
    case = await answer.single()
    if case is None:
        return "", ""
    before = case["status"]
    after = next_case_status(before, case["statuses"])
    if after != before:
        await tx.run(q.SET_CASE_STATUS, case_id=case_id, status=after, now=now)
    return before, after


async def apply_action(
    tx: AsyncManagedTransaction,
    task_id: str,
    action: Action,
    actor: str,
    agency: Agency,
    now: datetime,
    outcome: TaskOutcome | None = None,
    reason: str | None = None,
    timed_after_lock: bool = False,
) -> tuple[TaskView, str, str]:
    """Apply one officer action; return (task after, case status before, case status after).
    `timed_after_lock`: the action's time is read once the task's lock is taken (no earlier
    than `now`), and is the returned task's `updated_at`. Timed before, an action that
    waited for the lock while the SLA check escalated the task was timed before that
    escalation and told after it: 'escalated' at 10:00:05, then 'claimed' at 10:00:03."""
    row = await _lock_and_read(tx, task_id)
    if row is None:
        raise TransitionRefused("not_found", "no such task")
    if timed_after_lock:
        now = max(now, datetime.now(UTC))
    _check(row, action, agency, outcome, reason, now)
    view = await _update(tx, task_id, _changes(action, row, actor, now, outcome, reason))
    summary = f"{row['agency']} {action}: {row['task_type']}"
    if action is Action.COMPLETE and outcome is not None:
        summary += f" ({outcome.code})"
    before, after = await _record(tx, row, EVENT_KIND[action], actor, summary, now)
    return view, before, after


class Escalated(NamedTuple):
    task: TaskView
    case_before: str
    case_after: str
    # Escalated before (as unclaimed, or by an officer), and now overdue: a second
    # escalation of the task, whose events need ids of their own.
    again: bool
    reason: str  # as escalated: a breach found unclaimed and overdue by now is overdue


async def escalate_with_case(
    tx: AsyncManagedTransaction,
    task_id: str,
    reason: str,
    now: datetime,
    timed_after_lock: bool = False,
) -> Escalated | None:
    """Escalate a task by the system: as unclaimed once, if it was never escalated and is
    still unclaimed; as overdue once, if it is not closed. None when there is nothing to do
    (escalated for that reason before, closed, or claimed since the breach was found).
    `timed_after_lock`: timed once the task's lock is taken (no earlier than `now`), as an
    officer's action is (apply_action): timed before, an escalation that waited for the
    lock while an officer claimed the task was timed before the claim and told after it."""
    row = await _lock_and_read(tx, task_id)
    # Read under the lock: of two racing agents, the second sees the marker and stops.
    if row is None:
        return None
    if timed_after_lock:
        now = max(now, datetime.now(UTC))
    status = row["status"]
    if reason == UNCLAIMED and row["due_at"] is not None and row["due_at"].to_native() < now:
        # Found unclaimed, and past its due time by now (a pass over a backlog runs for
        # minutes): overdue, as the breach query would say of it now. Escalated as
        # unclaimed, its overdue escalation followed on the next pass, seconds later.
        reason = OVERDUE
    if reason == UNCLAIMED:
        # The pass read its page of breaches a while ago (up to a page of escalations,
        # seconds): an officer who claimed the task since then has answered the breach.
        if row["escalated_at"] is not None or status not in _UNCLAIMED:
            return None
    elif row["overdue_escalated_at"] is not None or status not in _MAY_BE_OVERDUE:
        return None
    props: dict[str, Any] = {"status": str(S.ESCALATED), "reason": reason, "updated_at": now}
    again = row["escalated_at"] is not None
    if not again:
        # Escalated before, whoever did it stays who escalated (a merge ranks by it).
        props |= {"escalated_at": now, "escalated_by": SYSTEM}
    elif row["reason"]:
        # Escalated before (an officer's words, or 'unclaimed'): kept, the overdue added.
        props["reason"] = f"{row['reason']}; then {reason}"[:2000]
    if reason != UNCLAIMED:
        props["overdue_escalated_at"] = now
    view = await _update(tx, task_id, props)
    summary = f"{row['agency']} escalate: {row['task_type']} ({reason})"
    before, after = await _record(tx, row, "TaskEscalated", SYSTEM, summary, now)
    return Escalated(view, before, after, again, reason)


async def escalate_once(
    tx: AsyncManagedTransaction, task_id: str, reason: str, now: datetime
) -> TaskView | None:
    """Escalate a task by the system exactly once; None if it already was (or is closed)."""
    done = await escalate_with_case(tx, task_id, reason, now)
    return None if done is None else done.task
