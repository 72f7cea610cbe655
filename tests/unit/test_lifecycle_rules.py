"""The lifecycle rules: every (status, action) pair, the case status and the outcomes per agency."""

import pytest

from contracts.enums import TASK_AGENCY, Agency, TaskStatus, TaskType
from contracts.lifecycle import AGENCY_OUTCOMES, TASK_OUTCOMES
from graph.lifecycle import Action, case_status, next_status

S = TaskStatus
A = Action

# The whole table: every pair not listed here must be refused.
ALLOWED: dict[tuple[TaskStatus, Action], TaskStatus] = {
    (S.ASSIGNED, A.CLAIM): S.CLAIMED,
    (S.RECEIVED, A.CLAIM): S.CLAIMED,
    (S.ESCALATED, A.CLAIM): S.CLAIMED,
    (S.CLAIMED, A.START): S.IN_PROGRESS,
    (S.CLAIMED, A.COMPLETE): S.COMPLETED,
    (S.IN_PROGRESS, A.COMPLETE): S.COMPLETED,
    (S.ESCALATED, A.COMPLETE): S.COMPLETED,
    (S.ASSIGNED, A.DECLINE): S.DECLINED,
    (S.RECEIVED, A.DECLINE): S.DECLINED,
    (S.CLAIMED, A.DECLINE): S.DECLINED,
    (S.IN_PROGRESS, A.DECLINE): S.DECLINED,
    (S.ESCALATED, A.DECLINE): S.DECLINED,
    (S.ASSIGNED, A.ESCALATE): S.ESCALATED,
    (S.RECEIVED, A.ESCALATE): S.ESCALATED,
    (S.CLAIMED, A.ESCALATE): S.ESCALATED,
    (S.IN_PROGRESS, A.ESCALATE): S.ESCALATED,
}
PAIRS = [(status, action) for status in S for action in A]


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_next_status_for_every_pair(status: TaskStatus, action: Action) -> None:
    assert next_status(status, action) == ALLOWED.get((status, action))


@pytest.mark.parametrize("final", [S.COMPLETED, S.DECLINED])
def test_completed_and_declined_are_final(final: TaskStatus) -> None:
    assert [next_status(final, action) for action in A] == [None] * len(A)


def test_the_table_allows_exactly_the_listed_pairs() -> None:
    allowed = {(s, a) for s, a in PAIRS if next_status(s, a) is not None}
    assert allowed == set(ALLOWED)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "open"),
        (["assigned"], "open"),
        (["assigned", "received"], "open"),
        (["assigned", "declined"], "open"),
        (["claimed", "assigned"], "in_progress"),
        (["in_progress", "received"], "in_progress"),
        (["completed", "assigned"], "in_progress"),
        (["escalated", "assigned"], "escalated"),
        (["escalated", "claimed", "completed"], "escalated"),
        (["completed"], "closed"),
        (["completed", "declined"], "closed"),
        (["declined", "declined"], "closed"),
    ],
)
def test_case_status_follows_its_tasks(statuses: list[str], expected: str) -> None:
    assert case_status(statuses) == expected


def test_each_task_type_has_outcomes_of_its_own_agency_only() -> None:
    assert set(TASK_OUTCOMES) == set(TaskType)
    for task_type, codes in TASK_OUTCOMES.items():
        assert codes and codes <= AGENCY_OUTCOMES[TASK_AGENCY[task_type]], task_type
    assert TASK_OUTCOMES[TaskType.TAKEDOWN_NOTICE] == {"content_removed", "content_not_removed"}
    assert TASK_OUTCOMES[TaskType.REPORT_REVIEW] == {"review_routed", "review_nothing_to_act_on"}
    # MCMC's three task types share no outcome: the code tells which kind of work was done.
    mcmc = [TASK_OUTCOMES[t] for t in TASK_OUTCOMES if TASK_AGENCY[t] == Agency.MCMC]
    assert sum(len(s) for s in mcmc) == len(set().union(*mcmc))


def test_each_agency_records_only_its_own_outcomes() -> None:
    assert AGENCY_OUTCOMES[Agency.MCMC] == {
        "content_removed",
        "content_not_removed",
        "preservation_confirmed",
        "review_routed",
        "review_nothing_to_act_on",
    }
    assert AGENCY_OUTCOMES[Agency.PDRM] == {"arrest", "no_further_action", "referred_elsewhere"}
    assert AGENCY_OUTCOMES[Agency.KPWKM] == {
        "support_given",
        "family_outreach",
        "no_support_needed",
    }
    # No outcome belongs to two agencies: an outcome code tells which agency acted.
    sets = list(AGENCY_OUTCOMES.values())
    assert sum(len(s) for s in sets) == len(set().union(*sets))
