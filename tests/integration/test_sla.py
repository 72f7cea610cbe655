"""SLA escalation against the real Neo4j: overdue and unclaimed tasks are escalated exactly once."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

import pytest
from neo4j import AsyncDriver
from neo4j.exceptions import ServiceUnavailable
from prometheus_client import REGISTRY

import agents.sla
from agents.sla import escalate_breaches
from contracts import topics
from contracts.enums import Agency
from contracts.lifecycle import CaseStatusChanged, TaskEscalated
from graph.lifecycle import Action, escalate_once, find_sla_breaches
from tests.integration.staged import Staged
from tests.integration.test_lifecycle import act, make_case

SHARE = 0.25


async def set_times(
    driver: AsyncDriver, task_id: str, created_at: datetime, due_at: datetime
) -> None:
    await driver.execute_query(
        "MATCH (t:Task {id: $tid}) "
        "SET t.created_at = $created_at, t.due_at = $due_at, t.claim_by = $claim_by",
        tid=task_id,
        created_at=created_at,
        due_at=due_at,
        claim_by=created_at + SHARE * (due_at - created_at),
    )


async def escalated_at(driver: AsyncDriver, task_id: str) -> datetime | None:
    records, _, _ = await driver.execute_query(
        "MATCH (t:Task {id: $tid}) RETURN t.escalated_at AS at, t.status AS status", tid=task_id
    )
    return records[0]["at"]


async def settle(driver: AsyncDriver, now: datetime) -> None:
    """Run passes until one escalates nothing: earlier runs may have left breaches behind."""
    for _ in range(100):
        if await escalate_breaches(driver, now) == 0:
            return
    raise AssertionError("SLA passes did not settle")


async def test_an_overdue_task_is_escalated_exactly_once(neo4j: AsyncDriver) -> None:
    case_id, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    # Breaches other tests left, before ours exist: the outbox mark then covers our events.
    await settle(neo4j, now)
    task_id = tasks[Agency.PDRM]
    await set_times(neo4j, task_id, now - timedelta(hours=2), now - timedelta(minutes=1))
    outbox = await Staged.from_now(neo4j)
    await settle(neo4j, now)
    events = await outbox.for_task(task_id)
    assert [type(e) for e in events] == [TaskEscalated]
    escalated = events[0]
    assert escalated.event_id == uuid5(UUID(task_id), "TaskEscalated")
    assert escalated.payload.reason == "overdue"  # type: ignore[attr-defined]
    assert escalated.payload.actor == "system"  # type: ignore[attr-defined]
    sent = await outbox.sent()
    changes = [e for _, _, e in sent if isinstance(e, CaseStatusChanged)]
    mine = [e.payload for e in changes if str(e.payload.case_id) == case_id]
    assert [(p.previous, p.current) for p in mine] == [("open", "escalated")]
    assert {t for t, _, _ in sent} == {topics.TASK_EVENTS}
    first_at = await escalated_at(neo4j, task_id)
    assert first_at is not None

    # Later passes leave it alone. Only its own events count: any other task left open in
    # the graph may fall due in these five minutes (the test failed once on a large graph).
    again = await Staged.from_now(neo4j)
    await settle(neo4j, now + timedelta(minutes=5))
    assert await again.for_task(task_id) == []
    assert await escalated_at(neo4j, task_id) == first_at


async def test_an_unclaimed_task_past_its_share_is_escalated_as_unclaimed(
    neo4j: AsyncDriver,
) -> None:
    _, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    task_id = tasks[Agency.KPWKM]
    # A quarter of 20 h is 5 h; the task has waited 10 h and is due in 10 h.
    await set_times(neo4j, task_id, now - timedelta(hours=10), now + timedelta(hours=10))
    assert (task_id, "unclaimed") in await find_sla_breaches(neo4j, now, limit=200)
    outbox = await Staged.from_now(neo4j)
    await settle(neo4j, now)
    assert [e.payload.reason for e in await outbox.for_task(task_id)] == ["unclaimed"]  # type: ignore[attr-defined]
    assert await escalated_at(neo4j, task_id) is not None


async def test_a_claimed_task_that_is_not_overdue_is_left_alone(neo4j: AsyncDriver) -> None:
    _, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    task_id = tasks[Agency.MCMC]
    await act(neo4j, task_id, Action.CLAIM, Agency.MCMC)
    await set_times(neo4j, task_id, now - timedelta(hours=10), now + timedelta(hours=10))
    outbox = await Staged.from_now(neo4j)
    await settle(neo4j, now)
    assert await outbox.for_task(task_id) == []
    assert await escalated_at(neo4j, task_id) is None


async def test_a_task_escalated_as_overdue_is_never_escalated_again_even_after_a_new_claim(
    neo4j: AsyncDriver,
) -> None:
    _, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    task_id = tasks[Agency.PDRM]
    await set_times(neo4j, task_id, now - timedelta(hours=2), now - timedelta(minutes=1))
    await settle(neo4j, now)
    first_at = await escalated_at(neo4j, task_id)
    claimed, _, _ = await act(neo4j, task_id, Action.CLAIM, Agency.PDRM)
    assert claimed.status == "claimed"
    later = await Staged.from_now(neo4j)
    await settle(neo4j, now + timedelta(hours=1))
    assert await later.for_task(task_id) == []
    assert await escalated_at(neo4j, task_id) == first_at


async def overdue_after_unclaimed(driver: AsyncDriver, task_id: str, now: datetime) -> datetime:
    """Escalate the task as unclaimed at `now`; return when it falls due (one hour later)."""
    await set_times(driver, task_id, now - timedelta(hours=10), now + timedelta(hours=1))
    outbox = await Staged.from_now(driver)
    await settle(driver, now)
    assert [e.payload.reason for e in await outbox.for_task(task_id)] == ["unclaimed"]  # type: ignore[attr-defined]
    return now + timedelta(hours=1)


async def test_a_task_escalated_as_unclaimed_then_claimed_is_escalated_when_overdue(
    neo4j: AsyncDriver,
) -> None:
    """A P3 task escalated as unclaimed, claimed, then raised to P1 by a new report (due in
    an hour): its deadline passed with no alarm, the one escalation being spent."""
    _, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    task_id = tasks[Agency.PDRM]
    due = await overdue_after_unclaimed(neo4j, task_id, now)
    first_at = await escalated_at(neo4j, task_id)
    claimed, _, _ = await act(neo4j, task_id, Action.CLAIM, Agency.PDRM)
    assert claimed.status == "claimed"
    await settle(neo4j, due - timedelta(minutes=1))  # not yet due: nothing
    outbox = await Staged.from_now(neo4j)
    await settle(neo4j, due + timedelta(minutes=1))
    events = await outbox.for_task(task_id)
    assert [(type(e), e.payload.reason) for e in events] == [(TaskEscalated, "overdue")]  # type: ignore[attr-defined]
    # Its own id: consumers that dropped repeats would have dropped it as the first one.
    assert events[0].event_id == uuid5(UUID(task_id), "TaskEscalated:overdue")
    assert await escalated_at(neo4j, task_id) == first_at
    records, _, _ = await neo4j.execute_query(
        "MATCH (t:Task {id: $tid}) RETURN t.status AS status", tid=task_id
    )
    assert records[0]["status"] == "escalated"
    again = await Staged.from_now(neo4j)
    await act(neo4j, task_id, Action.CLAIM, Agency.PDRM)
    await settle(neo4j, due + timedelta(hours=5))
    assert await again.for_task(task_id) == []


async def test_a_task_escalated_as_unclaimed_and_left_is_escalated_once_more_when_overdue(
    neo4j: AsyncDriver,
) -> None:
    _, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    task_id = tasks[Agency.KPWKM]
    due = await overdue_after_unclaimed(neo4j, task_id, now)
    outbox = await Staged.from_now(neo4j)
    await settle(neo4j, due + timedelta(minutes=1))
    await settle(neo4j, due + timedelta(hours=3))
    events = await outbox.for_task(task_id)
    assert [e.payload.reason for e in events] == ["overdue"]  # type: ignore[attr-defined]


async def test_a_task_an_officer_escalated_is_escalated_when_overdue(neo4j: AsyncDriver) -> None:
    _, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    task_id = tasks[Agency.MCMC]
    await set_times(neo4j, task_id, now - timedelta(minutes=10), now + timedelta(hours=1))
    await act(neo4j, task_id, Action.CLAIM, Agency.MCMC)
    await act(neo4j, task_id, Action.ESCALATE, Agency.MCMC, reason="needs a supervisor")
    await act(neo4j, task_id, Action.CLAIM, Agency.MCMC, actor="supervisor-1")
    outbox = await Staged.from_now(neo4j)
    await settle(neo4j, now + timedelta(hours=2))
    events = await outbox.for_task(task_id)
    assert [(e.payload.reason, e.payload.actor) for e in events] == [("overdue", "system")]  # type: ignore[attr-defined]
    records, _, _ = await neo4j.execute_query(
        "MATCH (t:Task {id: $tid}) RETURN t.reason AS reason, t.escalated_by AS by", tid=task_id
    )
    # The officer's words stay on the task, the overdue added to them, and who escalated it
    # (a merge keeps an officer's escalation over a colleague's claim).
    assert records[0]["reason"] == "needs a supervisor; then overdue"
    assert records[0]["by"] == "officer-1"


async def test_two_agents_racing_escalate_once(neo4j: AsyncDriver) -> None:
    _, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    task_id = tasks[Agency.KPWKM]

    async def escalate() -> object:
        async with neo4j.session() as session:
            return await session.execute_write(escalate_once, task_id, "overdue", now)

    results = await asyncio.gather(escalate(), escalate())
    assert sorted(r is None for r in results) == [False, True]
    winner = next(r for r in results if r is not None)
    assert winner.status == "escalated"  # type: ignore[attr-defined]
    records, _, _ = await neo4j.execute_query(
        "MATCH (t:Task {id: $tid}) RETURN t.escalated_by AS by", tid=task_id
    )
    assert records[0]["by"] == "system"


async def test_new_tasks_carry_the_time_they_turn_unclaimed(neo4j: AsyncDriver) -> None:
    # The SLA check finds unclaimed breaches by this stored time, not by reading every task.
    _, tasks = await make_case(neo4j)
    records, _, _ = await neo4j.execute_query(
        "MATCH (t:Task) WHERE t.id IN $ids "
        "RETURN t.created_at AS created, t.due_at AS due, t.claim_by AS claim_by",
        ids=list(tasks.values()),
    )
    assert len(records) == len(tasks)
    for r in records:
        created, due, claim_by = (r[k].to_native() for k in ("created", "due", "claim_by"))
        expected = created + SHARE * (due - created)
        assert abs((claim_by - expected).total_seconds()) < 0.01


async def test_a_backlog_larger_than_a_page_drains_in_one_pass(neo4j: AsyncDriver) -> None:
    now = datetime.now(UTC)
    mine = [task_id for _ in range(2) for task_id in (await make_case(neo4j))[1].values()]
    await settle(neo4j, now)  # breaches other tests left, before ours exist
    for task_id in mine:
        await set_times(neo4j, task_id, now - timedelta(hours=2), now - timedelta(minutes=1))
    outbox = await Staged.from_now(neo4j)
    escalated = await escalate_breaches(neo4j, now, page_size=2)
    assert escalated >= len(mine) > 2
    for task_id in mine:
        assert [type(e) for e in await outbox.for_task(task_id)] == [TaskEscalated]
    assert await escalate_breaches(neo4j, now, page_size=2) == 0


async def test_a_task_claimed_after_its_page_was_read_is_not_escalated_as_unclaimed(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass reads a page of breaches, then escalates it a group at a time, seconds apart
    over a page: an officer can claim a task in between, and the claim answers 'unclaimed'.
    (Groups of one here, so that the two tasks are escalated in transactions of their own.)"""
    _, first_tasks = await make_case(neo4j)
    _, tasks = await make_case(neo4j)
    now = datetime.now(UTC)
    await settle(neo4j, now)  # breaches other tests left, before ours exist
    overdue, unclaimed = first_tasks[Agency.MCMC], tasks[Agency.PDRM]
    # Overdue first (due earlier), then one unclaimed past its share of the time, not yet due.
    await set_times(neo4j, overdue, now - timedelta(hours=2), now - timedelta(minutes=1))
    await set_times(neo4j, unclaimed, now - timedelta(hours=1), now + timedelta(hours=1))
    page = await find_sla_breaches(neo4j, now)
    assert page.index((overdue, "overdue")) < page.index((unclaimed, "unclaimed"))

    escalate_with_case = agents.sla.escalate_with_case

    async def claimed_in_between(tx: Any, task_id: str, *args: Any, **kwargs: Any) -> Any:
        # The officer's claim commits after the page was read, before the task is locked.
        if task_id == unclaimed:
            await act(neo4j, unclaimed, Action.CLAIM, Agency.PDRM, actor="pdrm-9")
        return await escalate_with_case(tx, task_id, *args, **kwargs)

    monkeypatch.setattr(agents.sla, "escalate_with_case", claimed_in_between)
    outbox = await Staged.from_now(neo4j)
    await escalate_breaches(neo4j, now, group=1)
    assert [type(e) for e in await outbox.for_task(overdue)] == [TaskEscalated]
    assert await outbox.for_task(unclaimed) == []
    assert await escalated_at(neo4j, unclaimed) is None


async def two_overdue_cases(
    driver: AsyncDriver, now: datetime
) -> tuple[list[tuple[str, dict[Agency, str]]], list[str]]:
    """Two cases whose six tasks are all overdue at `now`: (cases, their task ids)."""
    cases = [await make_case(driver) for _ in range(2)]
    await settle(driver, now)  # breaches other tests left, before ours exist
    mine = [task_id for _, tasks in cases for task_id in tasks.values()]
    for task_id in mine:
        await set_times(driver, task_id, now - timedelta(hours=2), now - timedelta(minutes=1))
    return cases, mine


async def test_a_group_is_escalated_whole_or_not_at_all_and_sees_its_own_changes(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escalations go a group to a transaction: a connection lost at the group's last task
    rolls the whole group back and the driver runs it again, so each task's escalation is
    staged once (one to a transaction, the others would have been kept and staged twice);
    and each task of a case sees the status the one before it left."""
    now = datetime.now(UTC)
    cases, mine = await two_overdue_cases(neo4j, now)
    page = [task_id for task_id, _ in await find_sla_breaches(neo4j, now)]
    last = max(mine, key=page.index)
    escalate_with_case = agents.sla.escalate_with_case
    lost: list[str] = []

    async def lost_once_at_the_last(tx: Any, task_id: str, *args: Any, **kwargs: Any) -> Any:
        if task_id == last and not lost:
            lost.append(task_id)
            raise ServiceUnavailable("connection lost at the group's last task")
        return await escalate_with_case(tx, task_id, *args, **kwargs)

    monkeypatch.setattr(agents.sla, "escalate_with_case", lost_once_at_the_last)
    outbox = await Staged.from_now(neo4j)
    # One group for the whole page, wherever breaches other tests left fall in it.
    assert await escalate_breaches(neo4j, now, group=200) >= len(mine)
    assert lost == [last]
    for task_id in mine:
        assert [type(e) for e in await outbox.for_task(task_id)] == [TaskEscalated]
        assert await escalated_at(neo4j, task_id) is not None
    sent = await outbox.sent()
    for case_id, _ in cases:
        changes = [
            (e.payload.previous, e.payload.current)
            for _, _, e in sent
            if isinstance(e, CaseStatusChanged) and str(e.payload.case_id) == case_id
        ]
        # Three tasks escalated in one transaction: had each read the status as committed
        # before it, each would have announced open -> escalated.
        assert changes == [("open", "escalated")]


async def test_a_task_that_cannot_be_escalated_does_not_hold_back_its_group(
    neo4j: AsyncDriver,
) -> None:
    """A task whose data the pass cannot announce (written by hand, say) fails its group;
    the group is then escalated one task at a time and only the bad task is left out,
    instead of the whole group failing on every pass."""
    now = datetime.now(UTC)
    cases, mine = await two_overdue_cases(neo4j, now)
    bad = mine[2]
    await neo4j.execute_query("MATCH (t:Task {id: $tid}) SET t.agency = 'NOPE'", tid=bad)
    try:
        outbox = await Staged.from_now(neo4j)
        failures = REGISTRY.get_sample_value("ocsea_sla_escalation_failures_total") or 0.0
        assert await escalate_breaches(neo4j, now, group=200) >= len(mine) - 1
        for task_id in mine:
            expected = [] if task_id == bad else [TaskEscalated]
            assert [type(e) for e in await outbox.for_task(task_id)] == expected
        assert await escalated_at(neo4j, bad) is None
        # Counted, so that an alert can say a task is stuck outside the SLA's reach.
        assert REGISTRY.get_sample_value("ocsea_sla_escalation_failures_total") == failures + 1
    finally:  # closed, so that later passes (and tests) do not meet it again
        await neo4j.execute_query("MATCH (t:Task {id: $tid}) SET t.status = 'completed'", tid=bad)


async def test_a_page_of_tasks_that_cannot_be_escalated_hides_no_breach_due_after_them(
    neo4j: AsyncDriver,
) -> None:
    """A page that escalated nothing ended the pass, and the same page came first on every
    pass: a page of tasks the pass cannot announce left every later breach unescalated."""
    now = datetime.now(UTC)
    cases, mine = await two_overdue_cases(neo4j, now)
    # The two due first (the first page, of two) are tasks the pass cannot announce.
    for n, task_id in enumerate(mine):
        long_ago = now - timedelta(days=3650) + timedelta(minutes=n)
        await set_times(neo4j, task_id, long_ago - timedelta(hours=1), long_ago)
    bad = mine[:2]
    await neo4j.execute_query("MATCH (t:Task) WHERE t.id IN $ids SET t.agency = 'NOPE'", ids=bad)
    try:
        assert await escalate_breaches(neo4j, now, page_size=2) >= len(mine) - 2
        assert [await escalated_at(neo4j, task_id) is not None for task_id in mine] == [
            False,
            False,
            *[True] * (len(mine) - 2),
        ]
    finally:  # closed, so that later passes (and tests) do not meet them again
        await neo4j.execute_query(
            "MATCH (t:Task) WHERE t.id IN $ids SET t.status = 'completed'", ids=bad
        )


async def test_a_breach_found_unclaimed_and_overdue_by_its_turn_is_escalated_as_overdue(
    neo4j: AsyncDriver,
) -> None:
    """A pass over a backlog reaches a task seconds after reading it as unclaimed: if it is
    past its due time by then, it was escalated as unclaimed and, on the next pass, again
    as overdue."""
    task_id = (await make_case(neo4j))[1][Agency.KPWKM]
    now = datetime.now(UTC)
    await set_times(neo4j, task_id, now - timedelta(hours=1), now + timedelta(milliseconds=300))
    page = [b for b in await find_sla_breaches(neo4j, now, limit=201) if b[0] == task_id]
    assert page == [(task_id, "unclaimed")]
    outbox = await Staged.from_now(neo4j)
    await asyncio.sleep(0.5)  # the pass works through earlier groups; the task falls due
    assert await agents.sla._escalate_or_isolate(neo4j, "neo4j", page, now) == {task_id}
    records, _, _ = await neo4j.execute_query(
        "MATCH (t:Task {id: $tid}) RETURN t.reason AS reason, "
        "t.overdue_escalated_at IS NOT NULL AS overdue_marked",
        tid=task_id,
    )
    assert records[0].data() == {"reason": "overdue", "overdue_marked": True}
    [escalation] = await outbox.for_task(task_id)
    assert isinstance(escalation, TaskEscalated) and escalation.payload.reason == "overdue"
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert task_id not in {t for t, _ in await find_sla_breaches(neo4j, later, limit=201)}
