"""What linking one report did, kept on the Report node so a replay re-emits the same events.

Kept compressed in `outcome_zlib` since 2026-11-29; earlier outcomes are text in
`outcome_json` and still read. A worker from before that change reads only `outcome_json`
and would decide a redelivered report again: do not roll back past it.
"""

import json
import zlib
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

T = TypeVar("T")


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
    # The cases this report's merge closed, each from the status it had to 'merged' (since
    # 2026-12-02: a merged case's end was told on the cases topic only, and a reader of the
    # lifecycle topic kept it open). Empty in outcomes stored before.
    merged_statuses: list[CaseStatusChange] = field(default_factory=list)
    # When the decision was taken (ISO 8601): the time its events say the facts happened, on
    # a replay days later too. None in outcomes stored before 2026-11-30 evening.
    decided_at: str | None = None
    replayed: bool = False
    # A different report delivered under this report's id (never stored): dead-lettered.
    reused_id: bool = False

    def to_json(self) -> str:
        # Shallow copies: dataclasses.asdict deep-copies every value and was a quarter of
        # the linker's Python time. Every field here is a str, a list of str, a TaskChange,
        # a SupersededTask or a CaseStatusChange.
        data = dict(vars(self))
        data.pop("replayed")
        data.pop("reused_id")
        data["tasks"] = [vars(task) for task in self.tasks]
        data["superseded"] = [vars(task) for task in self.superseded]
        data["case_status"] = vars(self.case_status) if self.case_status else None
        data["merged_statuses"] = [vars(change) for change in self.merged_statuses]
        return json.dumps(data, sort_keys=True)

    def to_stored(self) -> bytes:
        """The outcome as its Report keeps it: JSON, zlib-compressed. The JSON is ~1.5 kB a
        report, ~0.5 kB compressed, and it is written in the decision's commit, which every
        worker waits for (bench.linking_profile: the decision's commit took 0.14-0.20 ms a
        report with the text, 0.09-0.13 compressed; compressing costs ~20 µs)."""
        return zlib.compress(self.to_json().encode(), 1)

    @classmethod
    def from_stored(cls, value: bytes | bytearray | str) -> "LinkOutcome":
        """A stored outcome, marked replayed; outcomes stored before compression are text."""
        text = value if isinstance(value, str) else zlib.decompress(value).decode()
        return cls.from_json(text)

    @classmethod
    def from_json(cls, text: str, replayed: bool = True) -> "LinkOutcome":
        """Read a stored outcome. Fields this version does not know (written by a newer
        worker, before a rollback) are left out rather than failing the replay: the
        report's events are still sent, with what this version can say."""
        data = _known(cls, json.loads(text))
        data["tasks"] = [_build(TaskChange, t) for t in data["tasks"]]
        # Outcomes stored before merges reported superseded tasks have no such key.
        data["superseded"] = [_build(SupersededTask, t) for t in data.get("superseded", [])]
        status = data.pop("case_status", None)
        data["case_status"] = _build(CaseStatusChange, status) if status else None
        merged = data.pop("merged_statuses", [])
        data["merged_statuses"] = [_build(CaseStatusChange, change) for change in merged]
        data.pop("replayed", None)
        return cls(**data, replayed=replayed)


def _known(kind: Any, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(kind)}
    return {k: v for k, v in data.items() if k in names}


def _build(kind: type[T], data: dict[str, Any]) -> T:
    return kind(**_known(kind, data))
