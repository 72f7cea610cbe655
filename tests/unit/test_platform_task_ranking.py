"""Which of two open tasks of one slot the platform-alias repair keeps: as a merge does."""

from datetime import UTC, datetime

import pytest

from graph.platform_tasks import _moves_and_closes

DUE = datetime(2026, 12, 2, 12, tzinfo=UTC)
OFFICERS_WORDS = "the child may be moved tonight: needs a supervisor now"


def _task(
    task_id: str,
    target: str,
    status: str,
    claimed: bool,
    reason: str | None,
    escalated_by: str | None = None,
) -> dict:
    return {
        "escalated_by": escalated_by,
        "id": task_id,
        "cid": "case-1",
        "task_type": "takedown",
        "target": target,
        "status": status,
        "claimed": claimed,
        "reason": reason,
        "priority": "P2",
        "due_at": DUE,
    }


@pytest.mark.parametrize(
    ("escalated_reason", "escalated_claimed", "kept"),
    [
        # An officer's escalation of an unclaimed task is an alarm: it stays (a review,
        # 2026-12-02: it was closed in favour of a colleague's claim, its reason gone).
        (OFFICERS_WORDS, False, "esc"),
        (f"{OFFICERS_WORDS}; then overdue", False, "esc"),
        # Escalated with a claimant (claimed, then overdue): that officer's work.
        ("overdue", True, "esc"),
        # The SLA check's alone: a colleague has picked the work up since.
        ("unclaimed", False, "clm"),
        ("overdue", False, "clm"),
        ("unclaimed; then overdue", False, "clm"),
        # No reason: written by hand, ranked as the SLA check's.
        (None, False, "clm"),
    ],
)
def test_the_repair_keeps_an_officers_escalation_and_a_claim_over_the_sla_checks(
    escalated_reason: str | None, escalated_claimed: bool, kept: str
) -> None:
    # Oldest first, as the repair reads them: the escalated one under the alias.
    tasks = [
        _task("esc", "m.facebook.com", "escalated", escalated_claimed, escalated_reason),
        _task("clm", "facebook", "claimed", True, None),
    ]
    _, closed, _ = _moves_and_closes(tasks, {"m.facebook.com": "facebook"})
    other = "clm" if kept == "esc" else "esc"
    assert closed == [(other, kept)]


@pytest.mark.parametrize(
    ("escalated_by", "reason", "kept"),
    [
        # An officer who typed the SLA check's word is still an officer (a review).
        ("pdrm-officer-1", "overdue", "esc"),
        ("pdrm-officer-1", "unclaimed; then overdue", "esc"),
        ("system", "unclaimed", "clm"),
        ("system", "unclaimed; then overdue", "clm"),
    ],
)
def test_who_escalated_decides_before_the_reason(escalated_by: str, reason: str, kept: str) -> None:
    tasks = [
        _task("esc", "m.facebook.com", "escalated", False, reason, escalated_by),
        _task("clm", "facebook", "claimed", True, None),
    ]
    _, closed, _ = _moves_and_closes(tasks, {"m.facebook.com": "facebook"})
    other = "clm" if kept == "esc" else "esc"
    assert closed == [(other, kept)]


def test_an_escalation_with_a_claimant_outranks_an_older_unclaimed_one() -> None:
    tasks = [
        _task("old", "m.facebook.com", "escalated", False, "needs a supervisor", "pdrm-1"),
        _task("new", "facebook", "escalated", True, "overdue", "system"),
    ]
    _, closed, _ = _moves_and_closes(tasks, {"m.facebook.com": "facebook"})
    assert closed == [("old", "new")]
