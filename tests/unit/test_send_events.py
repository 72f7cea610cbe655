"""send_events never raises a failed send: it tries again until the records go through."""

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from kafka.errors import KafkaTimeoutError
from prometheus_client import REGISTRY

from contracts.cases import CaseOpened, CasePayload
from contracts.enums import HarmCategory, Priority
from runtime import faustapp


def _event() -> CaseOpened:
    return CaseOpened(
        occurred_at=datetime.now(UTC),
        producer="tests",
        correlation_id=uuid4(),
        payload=CasePayload(
            case_id=uuid4(),
            report_id=uuid4(),
            priority=Priority.P2,
            categories=[HarmCategory.CSAM],
        ),
    )


class FlakySend:
    """Stands in for send_records: fails the first `failures` tries; sleeps are recorded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, failures: int):
        self.failures = failures
        self.attempts: list[list[Any]] = []
        self.waits: list[float] = []
        monkeypatch.setattr(faustapp, "send_records", self.send)
        monkeypatch.setattr(faustapp.asyncio, "sleep", self.sleep)

    async def send(self, app: object, records: list[Any]) -> None:
        self.attempts.append(list(records))
        if len(self.attempts) <= self.failures:
            raise KafkaTimeoutError("broker unreachable")

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def _send_one() -> None:
    asyncio.run(faustapp.send_events(object(), [("ocsea.cases.events.v1", "k", _event())]))  # type: ignore[arg-type]


def test_a_failed_send_is_tried_again_until_it_goes_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flaky = FlakySend(monkeypatch, failures=3)
    before = REGISTRY.get_sample_value("ocsea_send_retries_total") or 0.0
    _send_one()
    attempts = flaky.attempts
    assert len(attempts) == 4 and all(a == attempts[0] for a in attempts)  # the same records
    assert attempts[0][0][:2] == ("ocsea.cases.events.v1", b"k")
    assert flaky.waits == [0.1, 0.2, 0.4]  # backing off
    assert REGISTRY.get_sample_value("ocsea_send_retries_total") == before + 3


def test_a_send_waiting_to_be_tried_again_can_be_cancelled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Shutting down must not wait for Kafka: the cancellation goes through the retry loop."""

    async def down(app: object, records: list[Any]) -> None:
        raise KafkaTimeoutError("broker unreachable")

    monkeypatch.setattr(faustapp, "send_records", down)
    monkeypatch.setattr(faustapp, "RETRY_FIRST_DELAY_S", 60.0)

    async def cancel_while_waiting() -> None:
        sending = asyncio.create_task(faustapp.send_events(object(), [("t", "k", _event())]))  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending

    asyncio.run(cancel_while_waiting())


def test_the_wait_between_tries_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    flaky = FlakySend(monkeypatch, failures=12)
    _send_one()
    assert len(flaky.waits) == 12 and max(flaky.waits) == faustapp.RETRY_MAX_DELAY_S
