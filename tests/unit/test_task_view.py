"""What officers write about a task reaches its own agency and victim-detail readers only."""

from datetime import UTC, datetime

import pytest

from api.security.principal import Principal, Role
from api.tasks import _out
from contracts.enums import Agency
from graph.tasks import TaskView

NOTE = "support given to the 12-year-old at her school"


def _done_support_task() -> TaskView:
    now = datetime.now(UTC)
    return TaskView(
        task_id="t-1", case_id="c-1", agency="KPWKM", task_type="victim_support",
        target="victim-0123456789ab", priority="P2", status="completed", due_at=now,
        claimed_by="kpwkm-1", outcome={"code": "support_given", "note": NOTE,
                                       "content_removed_at": None},
        reason="moved to a shelter", created_at=now, updated_at=now,
    )  # fmt: skip


@pytest.mark.parametrize(
    "principal",
    [
        Principal("cw-1", Role.CASEWORKER, Agency.KPWKM),  # the task's own agency
        Principal("po-1", Role.OFFICER, Agency.PDRM),  # sees victim details
        Principal("ad-1", Role.ADMIN, Agency.KPWKM),
    ],
)
def test_the_agency_and_victim_detail_readers_see_the_text(principal: Principal) -> None:
    out = _out(_done_support_task(), principal)
    assert out.outcome is not None and out.outcome["note"] == NOTE
    assert out.reason == "moved to a shelter"


@pytest.mark.parametrize(
    "principal",
    [
        Principal("an-1", Role.ANALYST, Agency.MCMC),
        Principal("ad-2", Role.ADMIN, Agency.MCMC),
        # The task's own agency's analyst: analysts see no victim details anywhere else, and a
        # KPWKM analyst read a caseworker's decline naming the mother's phone (a bug hunt).
        Principal("an-2", Role.ANALYST, Agency.KPWKM),
    ],
)
def test_other_readers_get_the_outcome_without_the_text(principal: Principal) -> None:
    out = _out(_done_support_task(), principal)
    assert out.outcome == {"code": "support_given", "note": None, "content_removed_at": None}
    assert out.reason is None
    assert NOTE not in out.model_dump_json()
