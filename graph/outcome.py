"""What linking one report did, kept on the Report node so a replay re-emits the same events."""

import json
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class TaskChange:
    change: Literal["assigned", "updated"]
    task_id: str
    case_id: str
    agency: str
    task_type: str
    target: str
    priority: str
    due_at: str
    reasons: list[str]


@dataclass(frozen=True)
class SupersededTask:
    """An open task a merge closed: the surviving case already had one of its type and target."""

    task_id: str
    case_id: str
    agency: str
    superseded_by: str


@dataclass(frozen=True)
class CaseStatusChange:
    """A case's status changed by a decision: a merge brought in tasks further along, or a
    closed case got new tasks."""

    case_id: str
    previous: str
    current: str


@dataclass(frozen=True)
class LinkOutcome:
    report_id: str
    case_id: str
    kind: Literal["opened", "linked", "merged"]
    priority: str
    categories: list[str]
    merged_case_ids: list[str] = field(default_factory=list)
    shared_keys: list[str] = field(default_factory=list)
    tasks: list[TaskChange] = field(default_factory=list)
    # Tasks closed by the merge this report caused (empty unless kind is "merged").
    superseded: list[SupersededTask] = field(default_factory=list)
    # Set on the batch's last report placed in a case whose status the decision changed.
    case_status: CaseStatusChange | None = None
    replayed: bool = False

    def to_json(self) -> str:
        # Shallow copies: dataclasses.asdict deep-copies every value and was a quarter of
        # the linker's Python time. Every field here is a str, a list of str, a TaskChange
        # or a SupersededTask.
        data = dict(vars(self))
        data.pop("replayed")
        data["tasks"] = [vars(task) for task in self.tasks]
        data["superseded"] = [vars(task) for task in self.superseded]
        data["case_status"] = vars(self.case_status) if self.case_status else None
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, replayed: bool = True) -> "LinkOutcome":
        data = json.loads(text)
        data["tasks"] = [TaskChange(**t) for t in data["tasks"]]
        # Outcomes stored before merges reported superseded tasks have no such key.
        data["superseded"] = [SupersededTask(**t) for t in data.get("superseded", [])]
        status = data.pop("case_status", None)
        data["case_status"] = CaseStatusChange(**status) if status else None
        return cls(**data, replayed=replayed)
