"""agents.lifecycle: time to claim is a task's first claim's, observed once; a graph that does
not answer holds the batch for one bounded read, not one per event."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from prometheus_client import REGISTRY

from agents import lifecycle
from contracts.enums import Agency
from contracts.lifecycle import TaskChangePayload, TaskClaimed
from contracts.registry import encode_event
from graph.tasks import TaskView

CREATED = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
FIRST = CREATED + timedelta(minutes=30)


def _task(first_claimed_at: datetime | None) -> TaskView:
    return TaskView(
        task_id=str(uuid4()),
        case_id=str(uuid4()),
        agency="KPWKM",
        task_type="victim_support",
        target="unidentified-victim",
        priority="P2",
        status="claimed",
        due_at=CREATED + timedelta(hours=24),
        claimed_by="kpwkm-1",
        outcome=None,
        reason=None,
        created_at=CREATED,
        updated_at=None,
        first_claimed_at=first_claimed_at,
    )


def _claimed(task: TaskView, at: datetime) -> TaskClaimed:
    payload = TaskChangePayload(
        task_id=task.task_id,
        case_id=task.case_id,
        agency=Agency.KPWKM,
        status="claimed",
        actor="kpwkm-1",
    )
    return TaskClaimed(occurred_at=at, producer="tests", correlation_id=uuid4(), payload=payload)


def _observations() -> tuple[float, float]:
    labels = {"agency": "KPWKM"}
    count = REGISTRY.get_sample_value("ocsea_time_to_claim_seconds_count", labels) or 0.0
    total = REGISTRY.get_sample_value("ocsea_time_to_claim_seconds_sum", labels) or 0.0
    return count, total


@pytest.mark.parametrize("first_claimed_at", [FIRST, None])  # None: a task read before 4394034
async def test_the_first_claim_is_observed_and_a_later_one_is_not(
    monkeypatch: pytest.MonkeyPatch, first_claimed_at: datetime | None
) -> None:
    task = _task(first_claimed_at)

    async def read(driver: object, task_id: str, database: str = "neo4j") -> TaskView:
        return task

    monkeypatch.setattr(lifecycle, "get_task", read)
    monkeypatch.setattr(lifecycle, "shared_async_driver", lambda: None)
    count, total = _observations()
    await lifecycle.observe(_claimed(task, FIRST), lifecycle.BatchReads())
    assert _observations() == (count + 1, pytest.approx(total + 1800))
    if first_claimed_at is not None:
        # Escalated and claimed again an hour later: the time to claim was the first's.
        await lifecycle.observe(_claimed(task, FIRST + timedelta(hours=1)), lifecycle.BatchReads())
        assert _observations() == (count + 1, pytest.approx(total + 1800))


def _processed() -> float:
    return REGISTRY.get_sample_value("ocsea_events_processed_total", {"stage": "lifecycle"}) or 0


async def test_after_a_failed_read_the_batch_skips_its_other_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While Neo4j was unreachable each claim's read waited out the driver's retries (~53 s),
    one after another: the receipts and claims queued behind them (a helper's review)."""
    calls: list[str] = []

    async def unreachable(driver: object, task_id: str, database: str = "neo4j") -> TaskView:
        calls.append(task_id)
        raise ConnectionError("neo4j")

    monkeypatch.setattr(lifecycle, "get_task", unreachable)
    monkeypatch.setattr(lifecycle, "shared_async_driver", lambda: None)
    batch: list[tuple[bytes | None, str]] = [
        (encode_event(_claimed(_task(None), FIRST)), f"t@{n}") for n in range(3)
    ]
    count, _ = _observations()
    processed = _processed()
    await lifecycle.handle(batch)
    assert len(calls) == 1
    assert _processed() == processed + 3  # each event still counted as processed
    assert _observations()[0] == count
    # The next batch tries the graph again (a new event: the same one would be a redelivery).
    await lifecycle.handle([(encode_event(_claimed(_task(None), FIRST)), "t@9")])
    assert len(calls) == 2


async def test_a_read_that_does_not_answer_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    async def hanging(driver: object, task_id: str, database: str = "neo4j") -> TaskView:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    monkeypatch.setattr(lifecycle, "get_task", hanging)
    monkeypatch.setattr(lifecycle, "shared_async_driver", lambda: None)
    monkeypatch.setattr(lifecycle, "READ_TIMEOUT_S", 0.05)
    with pytest.raises(TimeoutError):
        await lifecycle.BatchReads().task(uuid4())


async def test_one_odd_record_does_not_skip_the_batchs_other_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Any failure counted as an outage: one task record that did not read skipped every
    other claim's observation in its batch (up to a thousand events; a review)."""
    calls: list[str] = []

    async def odd_then_fine(driver: object, task_id: str, database: str = "neo4j") -> TaskView:
        calls.append(task_id)
        if len(calls) == 1:
            raise ValueError("a record that does not read")
        return _task(None)

    monkeypatch.setattr(lifecycle, "get_task", odd_then_fine)
    monkeypatch.setattr(lifecycle, "shared_async_driver", lambda: None)
    batch: list[tuple[bytes | None, str]] = [
        (encode_event(_claimed(_task(None), FIRST)), f"o@{n}") for n in range(3)
    ]
    count, _ = _observations()
    await lifecycle.handle(batch)
    assert len(calls) == 3
    assert _observations()[0] == count + 2
