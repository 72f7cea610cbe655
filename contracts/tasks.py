"""Agency task events."""

from typing import Literal
from uuid import UUID

from pydantic import Field

from contracts.enums import Agency, Priority, TaskType
from contracts.envelope import Contract, Event
from contracts.times import Time


class TaskPayload(Contract):
    task_id: UUID
    case_id: UUID
    agency: Agency
    task_type: TaskType
    target: str = Field(description="What the task acts on: a platform, a case, a victim ref")
    priority: Priority
    due_at: Time
    reasons: list[str] = Field(default_factory=list)


class TaskAssigned(Event):
    """A new task was put in an agency's queue."""

    event_type: Literal["TaskAssigned"] = "TaskAssigned"
    payload: TaskPayload


class TaskUpdated(Event):
    """A new report changed an open task (its priority, due time or reasons)."""

    event_type: Literal["TaskUpdated"] = "TaskUpdated"
    payload: TaskPayload


class TaskReceivedPayload(Contract):
    task_id: UUID
    agency: Agency


class TaskReceived(Event):
    """The agency's queue agent picked the task up."""

    event_type: Literal["TaskReceived"] = "TaskReceived"
    payload: TaskReceivedPayload
