"""The outbox relay's timer: a failure is logged when it starts and when its kind changes,
then the recovery; not on every tick of the same failure."""

import pytest
from structlog.testing import capture_logs

from agents import outbox


async def test_a_failure_of_another_kind_is_logged_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the first failure was logged until a pass succeeded: a Kafka outage, then a Neo4j
    one, left one warning naming Kafka's error (a helper's review)."""
    errors: list[Exception | None] = [
        ConnectionError("kafka"),
        ConnectionError("kafka"),
        TimeoutError("neo4j"),
        TimeoutError("neo4j"),
        None,
    ]

    async def relay_pass() -> None:
        error = errors.pop(0)
        if error is not None:
            raise error

    monkeypatch.setattr(outbox, "relay_pass", relay_pass)
    monkeypatch.setattr(outbox, "_failing", None)
    with capture_logs() as logs:
        for _ in range(5):
            await outbox.relay_tick()
    said = [(line["event"], line.get("error")) for line in logs]
    assert said == [
        ("outbox_relay_failed", "ConnectionError"),
        ("outbox_relay_failed", "TimeoutError"),
        ("outbox_relay_recovered", None),
    ]
