"""Task lifecycle against the real Neo4j: officer actions, refusals, races, timeline, case status."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest
from neo4j import AsyncDriver
from prometheus_client import REGISTRY

from contracts.enums import Agency
from contracts.lifecycle import TaskChangePayload, TaskClaimed, TaskCompleted, TaskOutcome
from contracts.registry import encode_event
from graph import lifecycle_cypher, tasks_cypher
from graph.driver import async_driver
from graph.lifecycle import (
    UNCLAIMED,
    Action,
    TaskView,
    TransitionRefused,
    apply_action,
    escalate_with_case,
    get_task,
)
from graph.tasks import QueuePosition, list_tasks
from runtime.settings import Settings
from tests.factories import account, platform_report, triaged, unique
from tests.integration.test_analyst import _operators
from tests.integration.test_linking import link_in_one_transaction

PDRM, KPWKM, MCMC = Agency.PDRM, Agency.KPWKM, Agency.MCMC


async def make_case(
    driver: AsyncDriver, platform: str | None = None, online: bool = False
) -> tuple[str, dict[Agency, str]]:
    """A platform sextortion report with a child victim: PDRM, KPWKM and MCMC get a task each
    (MCMC's a preservation request, or with content still online a takedown notice)."""
    platform = platform or unique("plat")
    content = [{"md5": uuid4().hex, "still_online": True}] if online else []
    event = triaged(
        platform_report(
            incident_type="sextortion",
            accounts=[account(unique("u"), platform=platform)],
            victim={"age_range": "12-14", "pseudonym_ref": unique("VIC-")},
            content=content,
        )
    )
    outcome = await link_in_one_transaction(driver, event)
    mcmc_type = "takedown_notice" if online else "preservation_request"
    tasks = {
        Agency(t.agency): t.task_id
        for t in outcome.tasks
        if t.agency != MCMC or t.task_type == mcmc_type
    }
    assert set(tasks) == {PDRM, KPWKM, MCMC}
    return outcome.case_id, tasks


async def act(
    driver: AsyncDriver,
    task_id: str,
    action: Action,
    agency: Agency,
    actor: str = "officer-1",
    **extra: Any,
) -> tuple[TaskView, str, str]:
    async with driver.session() as session:
        return await session.execute_write(
            apply_action, task_id, action, actor, agency, datetime.now(UTC), **extra
        )


async def refused(
    driver: AsyncDriver, task_id: str, action: Action, agency: Agency, **extra: Any
) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as caught:
        await act(driver, task_id, action, agency, **extra)
    return caught.value


async def case_status_of(driver: AsyncDriver, case_id: str) -> str:
    records, _, _ = await driver.execute_query(
        "MATCH (c:Case {id: $cid}) RETURN c.status AS s", cid=case_id
    )
    return records[0]["s"]


async def test_claim_start_complete_with_an_arrest(neo4j: AsyncDriver) -> None:
    case_id, tasks = await make_case(neo4j)
    claimed, before, after = await act(
        neo4j, tasks[PDRM], Action.CLAIM, PDRM, actor="pdrm-officer-7"
    )
    assert (claimed.status, claimed.claimed_by, before, after) == (
        "claimed",
        "pdrm-officer-7",
        "open",
        "in_progress",
    )
    started, _, _ = await act(neo4j, tasks[PDRM], Action.START, PDRM)
    assert started.status == "in_progress"
    done, before, after = await act(
        neo4j,
        tasks[PDRM],
        Action.COMPLETE,
        PDRM,
        outcome=TaskOutcome(code="arrest", note="suspect detained"),
    )
    assert done.status == "completed"
    assert done.outcome == {
        "code": "arrest",
        "note": "suspect detained",
        "content_removed_at": None,
    }
    assert (before, after) == ("in_progress", "in_progress")  # KPWKM and MCMC still open
    assert await get_task(neo4j, tasks[PDRM]) == done


async def test_claim_then_decline_with_a_reason(neo4j: AsyncDriver) -> None:
    _, tasks = await make_case(neo4j)
    await act(neo4j, tasks[KPWKM], Action.CLAIM, KPWKM)
    declined, _, _ = await act(
        neo4j, tasks[KPWKM], Action.DECLINE, KPWKM, reason="victim already supported by JKM"
    )
    assert (declined.status, declined.reason) == ("declined", "victim already supported by JKM")


async def test_an_officer_escalates_and_escalated_at_is_kept_from_the_first_time(
    neo4j: AsyncDriver,
) -> None:
    case_id, tasks = await make_case(neo4j)
    escalated, before, after = await act(
        neo4j, tasks[MCMC], Action.ESCALATE, MCMC, reason="platform unresponsive"
    )
    assert (escalated.status, before, after) == ("escalated", "open", "escalated")
    query = "MATCH (t:Task {id: $tid}) RETURN t.escalated_at AS at"
    first = (await neo4j.execute_query(query, tid=tasks[MCMC])).records[0]["at"]
    # Escalated work goes on: it can be claimed again, and escalated again without a new time.
    reclaimed, _, after = await act(neo4j, tasks[MCMC], Action.CLAIM, MCMC)
    assert (reclaimed.status, after) == ("claimed", "in_progress")
    await act(neo4j, tasks[MCMC], Action.ESCALATE, MCMC, reason="still nothing")
    assert (await neo4j.execute_query(query, tid=tasks[MCMC])).records[0]["at"] == first
    assert await case_status_of(neo4j, case_id) == "escalated"


async def test_claiming_a_completed_task_is_refused_with_its_status(neo4j: AsyncDriver) -> None:
    _, tasks = await make_case(neo4j)
    await act(neo4j, tasks[PDRM], Action.CLAIM, PDRM)
    await act(
        neo4j, tasks[PDRM], Action.COMPLETE, PDRM, outcome=TaskOutcome(code="no_further_action")
    )
    refusal = await refused(neo4j, tasks[PDRM], Action.CLAIM, PDRM)
    assert (refusal.code, refusal.current) == ("invalid_transition", "completed")


async def test_a_colleagues_completion_or_decline_names_the_colleague(neo4j: AsyncDriver) -> None:
    """Any officer of the agency may act on a claimed task; the task named only who claimed
    it, so a colleague's completion read as the claimant's (a review, 2026-12-02)."""
    _, tasks = await make_case(neo4j)
    await act(neo4j, tasks[PDRM], Action.CLAIM, PDRM, actor="pdrm-a")
    outcome = TaskOutcome(code="no_further_action")
    done, _, _ = await act(
        neo4j, tasks[PDRM], Action.COMPLETE, PDRM, actor="pdrm-b", outcome=outcome
    )
    assert (done.claimed_by, done.closed_by) == ("pdrm-a", "pdrm-b")
    await act(neo4j, tasks[KPWKM], Action.CLAIM, KPWKM, actor="kpwkm-a")
    declined, _, _ = await act(
        neo4j, tasks[KPWKM], Action.DECLINE, KPWKM, actor="kpwkm-b", reason="supported by JKM"
    )
    assert (declined.claimed_by, declined.closed_by) == ("kpwkm-a", "kpwkm-b")
    open_task = await get_task(neo4j, tasks[MCMC])
    assert open_task is not None and open_task.closed_by is None


async def test_completing_or_starting_an_unclaimed_task_says_to_claim_it_first(
    neo4j: AsyncDriver,
) -> None:
    """'cannot complete a received task' left an officer to guess (a README walk-through)."""
    _, tasks = await make_case(neo4j)
    outcome = TaskOutcome(code="no_further_action")
    refusal = await refused(neo4j, tasks[PDRM], Action.COMPLETE, PDRM, outcome=outcome)
    assert refusal.code == "invalid_transition" and refusal.message.endswith(": claim it first")
    refusal = await refused(neo4j, tasks[PDRM], Action.START, PDRM)
    assert refusal.message.endswith(": claim it first")


async def test_another_agencys_task_is_refused_and_left_unchanged(neo4j: AsyncDriver) -> None:
    _, tasks = await make_case(neo4j)
    refusal = await refused(neo4j, tasks[PDRM], Action.CLAIM, KPWKM)
    assert (refusal.code, refusal.current) == ("wrong_agency", "assigned")
    task = await get_task(neo4j, tasks[PDRM])
    assert task is not None and (task.status, task.claimed_by) == ("assigned", None)


async def test_outcomes_of_another_agency_or_none_are_refused(neo4j: AsyncDriver) -> None:
    _, tasks = await make_case(neo4j)
    await act(neo4j, tasks[PDRM], Action.CLAIM, PDRM)
    other = await refused(
        neo4j, tasks[PDRM], Action.COMPLETE, PDRM, outcome=TaskOutcome(code="support_given")
    )
    missing = await refused(neo4j, tasks[PDRM], Action.COMPLETE, PDRM)
    assert [(r.code, r.current) for r in (other, missing)] == [
        ("outcome_not_allowed", "claimed")
    ] * 2
    # Named by its path, as every other refusal of a body's field is (it named none).
    assert other.field == "outcome.code"
    assert other.message.startswith("a criminal_referral task's outcome must be one of: ")


async def test_an_outcome_of_another_task_type_of_the_same_agency_is_refused(
    neo4j: AsyncDriver,
) -> None:
    """MCMC records takedowns, preservations and reviews: a preservation request closed as
    'content_removed' or 'review_routed' would put a takedown or a review on the timeline
    that never happened."""
    _, tasks = await make_case(neo4j)
    task = await get_task(neo4j, tasks[MCMC])
    assert task is not None and task.task_type == "preservation_request"
    await act(neo4j, tasks[MCMC], Action.CLAIM, MCMC)
    refusals = [
        await refused(neo4j, tasks[MCMC], Action.COMPLETE, MCMC, outcome=TaskOutcome(code=code))
        for code in ("content_removed", "review_routed")
    ]
    assert [(r.code, r.current) for r in refusals] == [("outcome_not_allowed", "claimed")] * 2
    assert "preservation_confirmed" in str(refusals[0])
    done, _, _ = await act(
        neo4j,
        tasks[MCMC],
        Action.COMPLETE,
        MCMC,
        outcome=TaskOutcome(code="preservation_confirmed"),
    )
    assert (done.status, done.outcome and done.outcome["code"]) == (
        "completed",
        "preservation_confirmed",
    )


async def test_a_removal_time_needs_its_zone_is_not_in_the_future_and_goes_with_a_removal(
    neo4j: AsyncDriver,
) -> None:
    """An officer in Malaysia typing the local time without its zone was read as UTC: the
    time to removal was eight hours off. A future time, or one given with another outcome,
    was kept as given."""
    _, tasks = await make_case(neo4j, online=True)
    takedown = tasks[MCMC]
    await act(neo4j, takedown, Action.CLAIM, MCMC)
    now = datetime.now(UTC)

    def removal(code: str, at: datetime) -> TaskOutcome:
        return TaskOutcome(code=code, content_removed_at=at)

    attempts = [
        removal("content_removed", now.replace(tzinfo=None)),
        removal("content_removed", now + timedelta(hours=1)),
        removal("content_not_removed", now),
    ]
    refusals = [
        await refused(neo4j, takedown, Action.COMPLETE, MCMC, outcome=outcome)
        for outcome in attempts
    ]
    assert [(r.code, r.field, r.current) for r in refusals] == [
        ("removed_at_without_zone", "outcome.content_removed_at", "claimed"),
        ("removed_at_in_future", "outcome.content_removed_at", "claimed"),
        ("removed_at_not_allowed", "outcome.content_removed_at", "claimed"),
    ]
    # Before the task was made: the platform took it down before the notice reached it.
    malaysia = timezone(timedelta(hours=8))
    earlier = (now - timedelta(days=1)).astimezone(malaysia)
    done, _, _ = await act(
        neo4j, takedown, Action.COMPLETE, MCMC, outcome=removal("content_removed", earlier)
    )
    assert done.status == "completed"
    assert done.outcome is not None and done.outcome["content_removed_at"] == earlier


async def test_a_decline_without_reason_and_an_unknown_task_are_refused(neo4j: AsyncDriver) -> None:
    _, tasks = await make_case(neo4j)
    assert (
        await refused(neo4j, tasks[KPWKM], Action.DECLINE, KPWKM, reason=" ")
    ).code == "reason_required"
    # An escalation of spaces was taken, and reached a supervisor saying nothing.
    blank = await refused(neo4j, tasks[KPWKM], Action.ESCALATE, KPWKM, reason="   ")
    assert (blank.code, blank.field, blank.message) == (
        "reason_required",
        "reason",
        "an escalation needs a reason",
    )
    unknown = await refused(neo4j, str(uuid4()), Action.CLAIM, KPWKM)
    assert (unknown.code, unknown.current) == ("not_found", None)
    # Control characters or a zero-width space say nothing either: a decline of NULs was
    # taken, stored and sent on.
    for unseen in ("\u0000\u0001", "\u200b", "\t\n"):
        nothing = await refused(neo4j, tasks[KPWKM], Action.DECLINE, KPWKM, reason=unseen)
        assert (nothing.code, nothing.field) == ("reason_required", "reason")


async def test_a_task_the_sla_escalated_unclaimed_is_claimed_before_it_is_completed(
    neo4j: AsyncDriver,
) -> None:
    """Completing a task escalated as unclaimed closed it with no one named as having taken
    it on (claimed_by null, no time to claim), where starting it was told to claim it first."""
    _, tasks = await make_case(neo4j)
    async with neo4j.session() as session:
        escalated = await session.execute_write(
            escalate_with_case, tasks[PDRM], UNCLAIMED, datetime.now(UTC)
        )
    assert escalated is not None and escalated.task.status == "escalated"
    outcome = TaskOutcome(code="no_further_action")
    refusal = await refused(neo4j, tasks[PDRM], Action.COMPLETE, PDRM, outcome=outcome)
    assert (refusal.code, refusal.current) == ("invalid_transition", "escalated")
    assert refusal.message == "cannot complete an escalated task nobody claimed: claim it first"
    start = await refused(neo4j, tasks[PDRM], Action.START, PDRM)
    assert start.message.startswith("cannot start an escalated task: claim it first")
    await act(neo4j, tasks[PDRM], Action.CLAIM, PDRM)
    await act(neo4j, tasks[PDRM], Action.ESCALATE, PDRM, reason="needs a supervisor")
    # Escalated while someone held it: that officer may still complete it.
    done, _, _ = await act(neo4j, tasks[PDRM], Action.COMPLETE, PDRM, outcome=outcome)
    assert (done.status, done.claimed_by) == ("completed", "officer-1")


async def test_two_officers_claiming_at_once_only_one_wins(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    _, tasks = await make_case(neo4j)
    other_desk = async_driver(settings)
    try:
        results = await asyncio.gather(
            act(neo4j, tasks[PDRM], Action.CLAIM, PDRM, actor="officer-a"),
            act(other_desk, tasks[PDRM], Action.CLAIM, PDRM, actor="officer-b"),
            return_exceptions=True,
        )
    finally:
        await other_desk.close()
    wins = [r for r in results if isinstance(r, tuple)]
    losses = [r for r in results if isinstance(r, TransitionRefused)]
    assert len(wins) == 1 and len(losses) == 1
    assert (losses[0].code, losses[0].current) == ("invalid_transition", "claimed")
    task = await get_task(neo4j, tasks[PDRM])
    assert task is not None and task.claimed_by == wins[0][0].claimed_by


async def test_the_timeline_records_each_step_in_order_and_the_case_closes(
    neo4j: AsyncDriver,
) -> None:
    case_id, tasks = await make_case(neo4j)
    steps: list[tuple[str, Action, Agency, dict[str, Any]]] = [
        (tasks[PDRM], Action.CLAIM, PDRM, {}),
        (tasks[KPWKM], Action.DECLINE, KPWKM, {"reason": "handled by another office"}),
        (tasks[PDRM], Action.COMPLETE, PDRM, {"outcome": TaskOutcome(code="arrest")}),
        (tasks[MCMC], Action.CLAIM, MCMC, {}),
        (
            tasks[MCMC],
            Action.COMPLETE,
            MCMC,
            {"outcome": TaskOutcome(code="preservation_confirmed")},
        ),
    ]
    statuses = [await case_status_of(neo4j, case_id)]
    for task_id, action, agency, extra in steps:
        _, _, after = await act(neo4j, task_id, action, agency, **extra)
        statuses.append(after)
    assert statuses == [
        "open",
        "in_progress",
        "in_progress",
        "in_progress",
        "in_progress",
        "closed",
    ]
    assert await case_status_of(neo4j, case_id) == "closed"
    records, _, _ = await neo4j.execute_query(lifecycle_cypher.TIMELINE, case_id=case_id)
    timeline = [(r["kind"], r["task_id"], r["agency"]) for r in records]
    expected_kinds = [
        "TaskClaimed",
        "TaskDeclined",
        "TaskCompleted",
        "TaskClaimed",
        "TaskCompleted",
    ]
    assert timeline == [(k, s[0], s[2].value) for k, s in zip(expected_kinds, steps, strict=True)]
    # A fresh case: its counter starts at 1 and counts every step once, without gaps.
    assert [r["seq"] for r in records] == list(range(1, len(steps) + 1))
    # The counter follows the order the steps happened in, not just the order TIMELINE sorts.
    assert [r["at"] for r in records] == sorted(r["at"] for r in records)
    for record, (_, action, agency, extra) in zip(records, steps, strict=True):
        assert record["summary"].startswith(f"{agency.value} {action.value}: ")
        outcome = extra.get("outcome")
        if isinstance(outcome, TaskOutcome):
            assert record["summary"].endswith(f" ({outcome.code})")


def _completed(task: TaskView, removed_at: datetime) -> bytes:
    outcome = TaskOutcome(code="content_removed", content_removed_at=removed_at)
    return encode_event(
        TaskCompleted(
            occurred_at=datetime.now(UTC),
            producer="tests",
            correlation_id=uuid4(),
            payload=TaskChangePayload(
                task_id=UUID(task.task_id),
                case_id=UUID(task.case_id),
                agency=Agency.MCMC,
                status="completed",
                actor="mcmc-analyst-2",
                outcome=outcome,
            ),
        )
    )


async def _until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Wait for what the agent does with its batch (it holds no reply to wait on)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the agent did not get there"
        await asyncio.sleep(0.05)


async def test_the_lifecycle_agent_observes_time_to_removal(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agents import lifecycle

    platform = unique("plat")
    _, tasks = await make_case(neo4j, platform=platform, online=True)
    await act(neo4j, tasks[MCMC], Action.CLAIM, MCMC)
    # Made three hours ago, removed two hours after: a removal time may not be in the future.
    await neo4j.execute_query(
        "MATCH (t:Task {id: $tid}) SET t.created_at = $at",
        tid=tasks[MCMC],
        at=datetime.now(UTC) - timedelta(hours=3),
    )
    task = await get_task(neo4j, tasks[MCMC])
    assert task is not None
    removed_at = task.created_at + timedelta(hours=2)
    done, _, _ = await act(
        neo4j,
        tasks[MCMC],
        Action.COMPLETE,
        MCMC,
        outcome=TaskOutcome(code="content_removed", content_removed_at=removed_at),
    )
    monkeypatch.setattr(lifecycle, "shared_async_driver", lambda: neo4j)
    raw = _completed(done, removed_at)
    # A platform the normaliser does not know is labelled 'other' (a host's name may name
    # someone), so other tests' removals count there too: compare before and after.
    labels = {"platform": "other"}

    def sample(name: str) -> float:
        return REGISTRY.get_sample_value(f"ocsea_time_to_removal_seconds_{name}", labels) or 0.0

    count, total = sample("count"), sample("sum")
    async with lifecycle.lifecycle.test_context() as agent:
        await agent.put(raw, wait=False)
        await agent.put(raw, wait=False)  # a redelivery is not a second removal
        # The agent takes its input in batches (up to agent_batch_within_s to gather one).
        await _until(lambda: sample("count") > count)
        await asyncio.sleep(3 * lifecycle.settings.agent_batch_within_s)
    assert sample("count") - count == 1.0
    assert sample("sum") - total == pytest.approx(7200, abs=1)
    assert (
        REGISTRY.get_sample_value("ocsea_time_to_removal_seconds_count", {"platform": platform})
        is None
    )


def _claimed(task: TaskView, agency: Agency) -> bytes:
    assert task.updated_at is not None  # the claim's time, as the API's event carries it
    return encode_event(
        TaskClaimed(
            occurred_at=task.updated_at,
            producer="tests",
            correlation_id=uuid4(),
            payload=TaskChangePayload(
                task_id=UUID(task.task_id),
                case_id=UUID(task.case_id),
                agency=agency,
                status="claimed",
                actor="officer-1",
            ),
        )
    )


async def test_time_to_claim_counts_a_tasks_first_claim_only(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agents import lifecycle

    _, tasks = await make_case(neo4j)
    first, _, _ = await act(neo4j, tasks[PDRM], Action.CLAIM, PDRM)
    await act(neo4j, tasks[PDRM], Action.ESCALATE, PDRM, reason="needs a senior officer")
    again, _, _ = await act(neo4j, tasks[PDRM], Action.CLAIM, PDRM, actor="officer-2")
    assert again.first_claimed_at == first.updated_at != again.updated_at
    monkeypatch.setattr(lifecycle, "shared_async_driver", lambda: neo4j)

    def count() -> float:
        name = "ocsea_time_to_claim_seconds_count"
        return REGISTRY.get_sample_value(name, {"agency": "PDRM"}) or 0.0

    before = count()
    async with lifecycle.lifecycle.test_context() as agent:
        await agent.put(_claimed(first, PDRM), wait=False)
        await agent.put(_claimed(again, PDRM), wait=False)  # claimed again: not counted
        await _until(lambda: count() > before)
        await asyncio.sleep(3 * lifecycle.settings.agent_batch_within_s)
    assert count() - before == 1.0


async def test_the_lifecycle_agent_dead_letters_bad_input_and_keeps_going(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    from agents import lifecycle
    from contracts import topics
    from contracts.deadletters import DeadLetterRecorded
    from tests.integration.landed import Landing, real_faust_sends

    monkeypatch.setattr(lifecycle, "shared_async_driver", lambda: neo4j)
    labels = {"agency": "KPWKM", "outcome": "support_given"}
    before = REGISTRY.get_sample_value("ocsea_tasks_completed_total", labels) or 0.0
    unknown = TaskCompleted(
        occurred_at=datetime.now(UTC),
        producer="tests",
        correlation_id=uuid4(),
        payload=TaskChangePayload(
            task_id=uuid4(),
            case_id=uuid4(),
            agency=Agency.KPWKM,
            status="completed",
            actor="kpwkm-caseworker-1",
            outcome=TaskOutcome(code="support_given"),
        ),
    )
    # Each message names the test, so that its dead letter is told from any other on Kafka.
    tag = unique("bad")
    not_json, invalid = (
        f"not json {tag}".encode(),
        f'{{"event_type": "TaskCompleted", "x": "{tag}"}}',
    )
    bootstrap = settings.kafka_bootstrap
    async with (
        real_faust_sends(monkeypatch, bootstrap),
        Landing.of(bootstrap, [topics.DEAD_LETTERS, topics.TASK_EVENTS]) as kafka,
    ):
        async with lifecycle.lifecycle.test_context() as agent:
            await agent.put(not_json, wait=False)
            await agent.put(invalid.encode(), wait=False)
            await agent.put(encode_event(unknown), wait=False)
            # Sent to Kafka after the batch's metrics.
            await kafka.awaited(2, tag, str(unknown.payload.task_id))
        sent = await kafka.naming(tag, str(unknown.payload.task_id))
    assert [r.topic for r in sent] == [topics.DEAD_LETTERS] * 2
    letters = [e for e in (r.event for r in sent) if isinstance(e, DeadLetterRecorded)]
    # Keyed by the message's source; in no order (two keys: maybe two partitions).
    assert sorted(r.key for r in sent) == sorted(e.payload.source for e in letters)
    assert sorted(e.payload.reason for e in letters) == ["invalid_event", "not_json"]
    assert REGISTRY.get_sample_value("ocsea_tasks_completed_total", labels) == before + 1


async def test_a_queue_page_seeks_the_agencys_tasks_by_index_not_every_task(
    neo4j: AsyncDriver,
) -> None:
    # `$statuses IS NULL OR t.status IN $statuses` kept Neo4j off the (agency, status) index:
    # every queue page read every task ever created (~1 s at 930,000 tasks).
    open_ = ["assigned", "received", "claimed", "in_progress", "escalated"]
    result = await neo4j.execute_query(
        "EXPLAIN " + tasks_cypher.LIST_TASKS,
        agency=PDRM.value,
        statuses=open_,
        after=None,
        offset=0,
        limit=51,
    )
    assert result.summary.plan is not None
    operators = [op["operatorType"].split("@")[0] for op in _operators(result.summary.plan)]
    assert "NodeIndexSeek" in operators
    assert "NodeByLabelScan" not in operators and "AllNodesScan" not in operators


async def test_a_queue_read_page_after_page_misses_no_task_closed_meanwhile(
    neo4j: AsyncDriver,
) -> None:
    """Paged by offset, the tasks an officer closed on page 1 shifted page 2: the tasks that
    moved up into page 1's range were never shown. Paged after the last task seen, page 2
    is the same whatever happened to page 1."""
    mine = [(await make_case(neo4j))[1][PDRM] for _ in range(6)]
    # First in the queue whatever else the graph holds ('P0' sorts before 'P1').
    await neo4j.execute_query("MATCH (t:Task) WHERE t.id IN $ids SET t.priority = 'P0'", ids=mine)
    open_ = ["assigned", "received", "claimed", "in_progress", "escalated"]
    try:
        first = await list_tasks(neo4j, PDRM, open_, limit=3)
        second = await list_tasks(neo4j, PDRM, open_, limit=3, after=QueuePosition.of(first[-1]))
        assert {t.task_id for t in first + second} == set(mine)
        for task in first:
            await act(neo4j, task.task_id, Action.DECLINE, PDRM, reason="not ours")
        again = await list_tasks(neo4j, PDRM, open_, limit=3, after=QueuePosition.of(first[-1]))
        assert [t.task_id for t in again] == [t.task_id for t in second]
        shifted = await list_tasks(neo4j, PDRM, open_, limit=3, offset=3)
        assert [t.task_id for t in shifted] != [t.task_id for t in second]
    finally:  # closed, so that no later queue read starts with them
        await neo4j.execute_query(
            "MATCH (t:Task) WHERE t.id IN $ids SET t.status = 'declined'", ids=mine
        )


async def test_a_queue_listing_past_the_read_timeout_is_stopped_with_its_hint(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing ran without the analysts' read timeout (every closed task of the agency is
    sorted when closed statuses are asked for); now Neo4j stops it as it stops them."""
    from graph import queries
    from graph import tasks as task_reads
    from graph.queries import ReadTimedOut

    monkeypatch.setattr(queries, "TIMEOUT_S", 0.2)
    slow = "UNWIND range(1, 500000000) AS x WITH x WHERE x < 0 RETURN x"
    monkeypatch.setattr(task_reads.q, "LIST_TASKS", slow)
    with pytest.raises(ReadTimedOut) as timed_out:
        await list_tasks(neo4j, PDRM, ["completed"], limit=3)
    assert timed_out.value.hint == task_reads.QUEUE_TOO_WIDE


async def test_a_merged_cases_timeline_is_read_with_the_case_it_merged_into(
    neo4j: AsyncDriver,
) -> None:
    """A merge moves reports and tasks, and each timeline entry stays with the case it was
    made in: the survivor showed PDRM's referral in progress with no word of its claim or
    start, and the merged case, with no task of PDRM's left, was no longer PDRM's to read."""
    from graph.analyst import case_detail

    first, second = (account(unique("tl")) for _ in range(2))
    older = await link_in_one_transaction(neo4j, triaged(platform_report(accounts=[first])))
    newer = await link_in_one_transaction(neo4j, triaged(platform_report(accounts=[second])))
    referral = next(t.task_id for t in newer.tasks if t.agency == PDRM)
    await act(neo4j, referral, Action.CLAIM, PDRM)
    await act(neo4j, referral, Action.START, PDRM)
    bridge = await link_in_one_transaction(
        neo4j, triaged(platform_report(accounts=[first, second]))
    )
    assert bridge.case_id == older.case_id
    detail = await case_detail(neo4j, older.case_id, reveal_victims=False)
    assert detail is not None
    mine = [e for e in detail["timeline"] if e.get("task_id") == referral]
    assert [(e["kind"], e.get("merged_case")) for e in mine] == [
        ("TaskClaimed", newer.case_id),
        ("TaskStarted", newer.case_id),
    ]
    own = [e for e in detail["timeline"] if "merged_case" not in e]
    assert own and [e["seq"] for e in own] == sorted(e["seq"] for e in own)
    assert detail["totals"]["timeline"] == len(detail["timeline"])
