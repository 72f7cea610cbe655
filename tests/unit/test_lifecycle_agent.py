"""agents.lifecycle.handle: bad input is dead-lettered, the rest of the batch observed."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from prometheus_client import REGISTRY

from agents import lifecycle
from contracts import topics
from contracts.deadletters import DeadLetterRecorded
from contracts.enums import Agency
from contracts.envelope import Event
from contracts.lifecycle import TaskChangePayload, TaskDeclined
from contracts.registry import encode_event
from runtime import faustapp


def _declined() -> bytes:
    payload = TaskChangePayload(
        task_id=uuid4(), case_id=uuid4(), agency=Agency.PDRM, status="declined", actor="pdrm-1"
    )
    event = TaskDeclined(
        occurred_at=datetime.now(UTC), producer="tests", correlation_id=uuid4(), payload=payload
    )
    return encode_event(event)


def _declined_count() -> float:
    labels = {"agency": "PDRM"}
    return REGISTRY.get_sample_value("ocsea_tasks_declined_total", labels) or 0.0


async def test_json_nested_too_deeply_is_dead_lettered_and_the_rest_observed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 5 kB of '[' raised a RecursionError past the handler (it caught ContractError only):
    # the agent stopped, and its batch was never observed.
    sent: list[tuple[str, str, Event]] = []

    async def record(_app: object, items: list[tuple[str, str, Event]]) -> None:
        sent.extend(items)

    monkeypatch.setattr(faustapp, "send_events", record)
    before = _declined_count()

    await lifecycle.handle([(b"[" * 5000, "nested@0"), (_declined(), "declined@1")])

    [(topic, key, letter)] = sent
    assert (topic, key) == (topics.DEAD_LETTERS, "nested@0")
    assert isinstance(letter, DeadLetterRecorded) and letter.payload.reason == "not_json"
    assert _declined_count() == before + 1
