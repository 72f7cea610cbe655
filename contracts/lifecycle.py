"""Task lifecycle events: what officers and caseworkers did with a task, and SLA escalations."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from contracts.enums import TASK_AGENCY, Agency, TaskStatus, TaskType
from contracts.envelope import Contract, Event
from contracts.times import TypedTime

OutcomeCode = Literal[
    "content_removed",
    "content_not_removed",
    "preservation_confirmed",
    "review_routed",
    "review_nothing_to_act_on",
    "arrest",
    "no_further_action",
    "referred_elsewhere",
    "support_given",
    "family_outreach",
    "no_support_needed",
]

# Which outcomes each task type may be completed with: MCMC reports on the platform's action
# (or, for a review, where the report went), PDRM on the investigation, KPWKM on the support
# given. Per task type, not per agency: a takedown closed as "review_routed", or a review as
# "content_removed", would tell the case timeline something that did not happen.
TASK_OUTCOMES: dict[TaskType, frozenset[str]] = {
    TaskType.TAKEDOWN_NOTICE: frozenset({"content_removed", "content_not_removed"}),
    TaskType.PRESERVATION_REQUEST: frozenset({"preservation_confirmed"}),
    TaskType.REPORT_REVIEW: frozenset({"review_routed", "review_nothing_to_act_on"}),
    TaskType.CRIMINAL_REFERRAL: frozenset({"arrest", "no_further_action", "referred_elsewhere"}),
    TaskType.EMERGENCY_RESPONSE: frozenset({"arrest", "no_further_action", "referred_elsewhere"}),
    TaskType.VICTIM_SUPPORT: frozenset({"support_given", "family_outreach", "no_support_needed"}),
}

# Which outcomes each agency may record: the union over the task types it is given.
AGENCY_OUTCOMES: dict[Agency, frozenset[str]] = {
    agency: frozenset().union(
        *(codes for task_type, codes in TASK_OUTCOMES.items() if TASK_AGENCY[task_type] == agency)
    )
    for agency in Agency
}


class TaskOutcome(Contract):
    code: OutcomeCode
    note: Annotated[str, Field(max_length=2000)] | None = None
    content_removed_at: TypedTime | None = Field(
        default=None, description="MCMC: when the platform removed the content"
    )


# The actor the system's own changes are recorded under (SLA escalations, merges, data
# repairs): no person's name, in a token or in an exclusion's history.
SYSTEM_ACTOR = "system"


def is_system_name(name: str) -> bool:
    """Whether a person's name given to the system is its own (as written, any case)."""
    return name.strip().casefold() == SYSTEM_ACTOR


class TaskChangePayload(Contract):
    task_id: UUID
    case_id: UUID
    agency: Agency
    status: TaskStatus
    actor: str = Field(description="Pseudonymous subject of the person who acted, or 'system'")
    outcome: TaskOutcome | None = None
    reason: Annotated[str, Field(max_length=2000)] | None = None


class TaskClaimed(Event):
    event_type: Literal["TaskClaimed"] = "TaskClaimed"
    payload: TaskChangePayload


class TaskStarted(Event):
    """The task is in progress."""

    event_type: Literal["TaskStarted"] = "TaskStarted"
    payload: TaskChangePayload


class TaskCompleted(Event):
    event_type: Literal["TaskCompleted"] = "TaskCompleted"
    payload: TaskChangePayload


class TaskDeclined(Event):
    event_type: Literal["TaskDeclined"] = "TaskDeclined"
    payload: TaskChangePayload


class TaskEscalated(Event):
    """Raised once when a task stays unclaimed or passes its due time, or by an officer."""

    event_type: Literal["TaskEscalated"] = "TaskEscalated"
    payload: TaskChangePayload


class TaskSupersededPayload(TaskChangePayload):
    superseded_by: UUID = Field(
        description="The open task of the surviving case that continues this one"
    )


class TaskSuperseded(Event):
    """A case merge (or a data repair) closed this task: the case already had an open task
    of the same type and target. Work continues on that task (`superseded_by`)."""

    event_type: Literal["TaskSuperseded"] = "TaskSuperseded"
    payload: TaskSupersededPayload


class CaseStatusPayload(Contract):
    case_id: UUID
    previous: str
    current: str


class CaseStatusChanged(Event):
    """A case's status changed: it follows from its tasks, and a merge ends a merged case
    ('merged')."""

    event_type: Literal["CaseStatusChanged"] = "CaseStatusChanged"
    payload: CaseStatusPayload


# Every event of the task lifecycle topic that people, the SLA timer and case merges cause.
LIFECYCLE_EVENTS: tuple[type[Event], ...] = (
    TaskClaimed,
    TaskStarted,
    TaskCompleted,
    TaskDeclined,
    TaskEscalated,
    TaskSuperseded,
    CaseStatusChanged,
)
