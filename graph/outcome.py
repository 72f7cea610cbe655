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
class LinkOutcome:
    report_id: str
    case_id: str
    kind: Literal["opened", "linked", "merged"]
    priority: str
    categories: list[str]
    merged_case_ids: list[str] = field(default_factory=list)
    shared_keys: list[str] = field(default_factory=list)
    tasks: list[TaskChange] = field(default_factory=list)
    replayed: bool = False

    def to_json(self) -> str:
        # Shallow copies: dataclasses.asdict deep-copies every value and was a quarter of
        # the linker's Python time. Every field here is a str, a list of str or a TaskChange.
        data = dict(vars(self))
        data.pop("replayed")
        data["tasks"] = [vars(task) for task in self.tasks]
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, replayed: bool = True) -> "LinkOutcome":
        data = json.loads(text)
        data["tasks"] = [TaskChange(**t) for t in data["tasks"]]
        return cls(**data, replayed=replayed)
