"""graph.linking.decide_batch: a report reusing the id of another, prepared and not yet
decided, is answered as reused and leaves the rest of its batch's decision alone."""

from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID, uuid4

from neo4j import AsyncManagedTransaction

from contracts.cases import Triage, TriagedPayload
from contracts.enums import Channel, HarmCategory, Priority
from graph import linking
from graph import linking_cypher as q
from streams.fanout import plan_tasks
from streams.linker import _reconcile

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NO_WRITES: dict[str, list[Any]] = {
    "open_tasks": [],
    "taken_ids": [],
    "superseded": [],
    "raised": [],
    "case_statuses": [],
    "merged_statuses": [],
}


def _report(report_id: UUID, sha: str) -> TriagedPayload:
    triage = Triage(
        categories=[HarmCategory.CSAM], priority=Priority.P3, reasons=["t"], rules_version="t"
    )
    return TriagedPayload(
        report_id=report_id, channel=Channel.PUBLIC, triage=triage, report_sha256=sha
    )


class _Answer:
    def __init__(self, record: Any) -> None:
        self.record = record

    async def single(self, strict: bool = False) -> Any:
        return self.record

    async def consume(self) -> None:
        return None


class _Transaction:
    """Answers the decision's read with `read`; its writes answer nothing was there."""

    def __init__(self, read: dict[str, Any]) -> None:
        self.read = read

    async def run(self, query: str, **params: Any) -> _Answer:
        if query is q.DECISION_READ:
            return _Answer(self.read)
        if query is q.DECISION_WRITE_CASES:
            return _Answer(NO_WRITES)
        return _Answer(None)


async def test_a_reused_id_beside_a_fresh_report_fails_no_decision() -> None:
    """DECISION_READ returns the linkable identifiers of every undecided report of the
    batch's ids, including the one prepared under the id another reuses: a KeyError failed
    the whole decision, which was then made report by report, each under the decision lock."""
    prepared, other = uuid4(), _report(uuid4(), "a" * 64)
    reused = _report(prepared, "b" * 64)  # another report under the prepared one's id
    read = {
        "outcomes": [
            {"rid": str(other.report_id), "outcome": None, "report_sha256": "a" * 64},
            {"rid": str(prepared), "outcome": None, "report_sha256": "c" * 64},
        ],
        "linkable": [{"rid": str(prepared), "key": "phone:+60123456789"}],
        "found": [{"key": "phone:+60123456789", "cases": []}],
        "live": [],
    }
    batch = [(other, uuid4()), (reused, uuid4())]
    first, second = await linking.decide_batch(
        cast(AsyncManagedTransaction, _Transaction(read)), batch, NOW, 50, plan_tasks, _reconcile
    )
    assert first.report_id == str(other.report_id) and not first.reused_id
    assert second.reused_id
