"""Workers wait out a graph outage instead of dead-lettering what arrives during it."""

import asyncio

import pytest
from neo4j.exceptions import ClientError, ServiceUnavailable, TransientError

from graph import driver


async def test_an_outage_is_waited_out_and_the_answer_returned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", no_sleep)
    failures = [ServiceUnavailable("down"), TransientError("deadlock"), ServiceUnavailable("x")]

    async def attempt() -> str:
        if failures:
            raise failures.pop(0)
        return "linked"

    assert await driver.until_available(attempt, "test") == "linked"
    assert waits == [0.5, 1.0, 2.0]


async def test_an_error_of_the_input_is_not_retried() -> None:
    calls = 0

    async def attempt() -> None:
        nonlocal calls
        calls += 1
        raise ClientError("bad query")

    with pytest.raises(ClientError):
        await driver.until_available(attempt, "test")
    assert calls == 1


async def test_a_transient_error_that_keeps_coming_back_is_raised_for_isolation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def no_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(asyncio, "sleep", no_sleep)
    calls = 0

    async def attempt() -> None:
        nonlocal calls
        calls += 1
        raise TransientError("transaction memory pool full")

    with pytest.raises(TransientError):
        await driver.until_available(attempt, "test")
    assert calls == driver.TRANSIENT_ATTEMPTS
