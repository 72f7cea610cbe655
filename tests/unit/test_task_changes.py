"""Task changes of a decided batch: every open task a report calls for is updated, once a
batch: a report that only calls for a task another report of the batch already changed is
named in that change (one write and one event a task a batch)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from contracts.cases import Triage, TriagedPayload
from contracts.enums import Channel, HarmCategory, Priority
from graph.linking import _task_changes
from streams.fanout import MAX_TASK_REASONS, plan_tasks
from streams.linker import _reconcile

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
CASE = "00000000-0000-4000-8000-0000000000aa"


def _report(priority: Priority) -> TriagedPayload:
    triage = Triage(
        categories=[HarmCategory.CSAM], priority=priority, reasons=["t"], rules_version="t"
    )
    return TriagedPayload(report_id=uuid4(), channel=Channel.PUBLIC, triage=triage)


def _planned(*reports: TriagedPayload) -> list:
    return [(r, CASE, plan_tasks(UUID(CASE), r, NOW)) for r in reports]


def _open_referral(priority: str) -> dict:
    plan = next(
        p
        for p in plan_tasks(UUID(CASE), _report(Priority.P2), NOW)
        if p.task_type.value == "criminal_referral"
    )
    return {
        "cid": CASE, "id": str(plan.task_id), "task_type": "criminal_referral",
        "target": "case", "priority": priority, "due_at": (NOW + timedelta(hours=2)).isoformat(),
    }  # fmt: skip


def test_reports_of_a_batch_calling_for_one_open_task_update_it_once() -> None:
    first, second = _report(Priority.P2), _report(Priority.P2)
    created, updated, changes, noted = _task_changes(
        _planned(first, second), [_open_referral("P2")], set(), _reconcile
    )
    assert created == []
    (update,) = updated
    assert update.reasons[0] == f"report {first.report_id} calls for this task too"
    assert update.reasons[-1] == f"report {second.report_id} calls for it too"
    assert changes[str(first.report_id)] == [update]
    assert changes[str(second.report_id)] == []
    assert noted == {update.task_id}  # written as a note: reasons and time, no due again


def test_a_raise_within_the_batch_is_a_change_of_its_own() -> None:
    first, urgent = _report(Priority.P2), _report(Priority.P1)
    _, updated, changes, noted = _task_changes(
        _planned(first, urgent), [_open_referral("P2")], set(), _reconcile
    )
    referral = [u for u in updated if u.task_type == "criminal_referral"]
    assert [u.priority for u in referral] == ["P2", "P1"]
    assert any(c.priority == "P1" for c in changes[str(urgent.report_id)])
    assert referral[0].task_id not in noted  # raised in the batch: written whole


def test_a_task_created_in_the_batch_names_the_reports_that_call_for_it_too() -> None:
    first, second = _report(Priority.P2), _report(Priority.P2)
    created, updated, changes, noted = _task_changes(_planned(first, second), [], set(), _reconcile)
    assert updated == [] and noted == set()
    referral = next(c for c in created if c.task_type == "criminal_referral")
    assert referral.reasons[-1] == f"report {second.report_id} calls for it too"
    assert referral in changes[str(first.report_id)]
    assert changes[str(second.report_id)] == []


def test_a_report_received_earlier_in_the_batch_brings_the_deadline_forward() -> None:
    """Folded into the batch's first change, a report received hours earlier (a backlog)
    lost its earlier deadline."""
    late = _report(Priority.P2)
    early = _report(Priority.P2).model_copy(update={"received_at": NOW - timedelta(hours=23)})
    _, updated, _, noted = _task_changes(
        _planned(late, early), [_open_referral("P2")], set(), _reconcile
    )
    referral = [u for u in updated if u.task_type == "criminal_referral"]
    assert len(referral) == 2
    assert referral[-1].due_at == (NOW + timedelta(hours=1)).isoformat()  # before NOW + 2 h
    assert referral[-1].task_id not in noted  # written whole: the due time moved


def test_reports_of_a_batch_noting_one_task_give_it_at_most_the_reasons_a_task_keeps() -> None:
    """Each note within a batch added a reason: a task thirty reports called for carried
    thirty-odd, where from one batch to the next it keeps MAX_TASK_REASONS."""
    reports = [_report(Priority.P2) for _ in range(30)]
    _, updated, changes, _ = _task_changes(
        _planned(*reports), [_open_referral("P2")], set(), _reconcile
    )
    (update,) = [u for u in updated if u.task_type == "criminal_referral"]
    assert len(update.reasons) == MAX_TASK_REASONS
    assert update.reasons[0] == f"report {reports[0].report_id} calls for this task too"
    assert f"report {reports[1].report_id} calls for it too" in update.reasons
    # The change each list holds is the amended one.
    assert update in changes[str(reports[0].report_id)]


def test_a_note_within_the_batch_is_kept_by_a_later_change_of_the_same_task() -> None:
    """A report noting a task the batch created, then a report due earlier changing it: the
    change was built from the task's reasons before the note, and the note was lost."""
    first, noting, earlier = (_report(Priority.P2) for _ in range(3))
    planned = _planned(first, noting, earlier)
    # The third report was received before the others: its tasks are due sooner.
    planned[2] = (
        earlier,
        CASE,
        [replace(p, due_at=p.due_at - timedelta(hours=1)) for p in planned[2][2]],
    )
    _, updated, _, _ = _task_changes(planned, [], set(), _reconcile)
    referral = [u for u in updated if u.task_type == "criminal_referral"][-1]
    assert f"report {noting.report_id} calls for it too" in referral.reasons
