"""Workers wait out a graph outage instead of dead-lettering what arrives during it."""

import asyncio

import pytest
from neo4j.exceptions import (
    ClientError,
    DatabaseUnavailable,
    Neo4jError,
    ServiceUnavailable,
    TransientError,
)
from prometheus_client import REGISTRY

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


async def test_a_database_still_starting_is_waited_out_however_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server up with its database recovering answers DatabaseUnavailable, a
    TransientError: it used to be raised after TRANSIENT_ATTEMPTS, dead-lettering the
    linker's reports and stopping an agency queue with its batch acknowledged."""

    async def no_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(asyncio, "sleep", no_sleep)
    failures = [DatabaseUnavailable("recovering")] * (driver.TRANSIENT_ATTEMPTS * 5)

    async def attempt() -> str:
        if failures:
            raise failures.pop()
        return "received"

    assert await driver.until_available(attempt, "test") == "received"
    assert failures == []


@pytest.mark.parametrize(
    ("error", "attempts"),
    [
        # An error of the input: retrying cannot help.
        (ClientError("bad query"), 1),
        # Transient, but back every time (the same batch may always hit it): raised after a
        # few attempts, so the linker can isolate the report that causes it.
        (TransientError("transaction memory pool full"), driver.TRANSIENT_ATTEMPTS),
    ],
)
async def test_an_error_that_waiting_will_not_fix_is_raised(
    monkeypatch: pytest.MonkeyPatch, error: Exception, attempts: int
) -> None:
    async def no_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(asyncio, "sleep", no_sleep)
    calls = 0

    async def attempt() -> None:
        nonlocal calls
        calls += 1
        raise error

    with pytest.raises(type(error)):
        await driver.until_available(attempt, "test")
    assert calls == attempts


def _from_server(code: str) -> Exception:
    """The error the driver makes of a server's failure message (its own constructor)."""
    return Neo4jError._hydrate_neo4j(code=code, message="ended by the server")


@pytest.mark.parametrize(
    "code",
    [
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
        "Neo.ClientError.Transaction.Terminated",
        "Neo.TransientError.Transaction.Terminated",
    ],
)
async def test_a_transaction_the_server_ended_is_tried_again(
    monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    """A decision timed out under load was a ClientError: raised at once, and the linker
    decided its batch report by report, each waiting for the decision lock again."""

    async def no_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(asyncio, "sleep", no_sleep)
    failures = [_from_server(code)]

    async def attempt() -> str:
        if failures:
            raise failures.pop()
        return "decided"

    assert await driver.until_available(attempt, "test") == "decided"
    # Not for ever: back every time, it is raised after a few attempts, as transient errors.
    calls = 0

    async def always() -> None:
        nonlocal calls
        calls += 1
        raise _from_server(code)

    with pytest.raises(Neo4jError):
        await driver.until_available(always, "test")
    assert calls == driver.TRANSIENT_ATTEMPTS


def _retries(work: str) -> float:
    return REGISTRY.get_sample_value("ocsea_graph_retries_total", {"work": work}) or 0.0


async def test_each_call_after_the_first_counts_as_a_retry_of_its_work() -> None:
    seen: list[tuple[object, int]] = []

    async def write(tx: object, n: int, *, twice: bool) -> int:
        seen.append((tx, n))
        return 2 * n if twice else n

    before = _retries("unit_retry")
    attempt = driver.counting_retries("unit_retry", write)
    assert await attempt("tx1", 3, twice=True) == 6
    assert _retries("unit_retry") == before  # a first attempt is not a retry
    assert await attempt("tx2", 3, twice=False) == 3
    assert await attempt("tx3", 4, twice=False) == 4
    assert _retries("unit_retry") == before + 2
    assert seen == [("tx1", 3), ("tx2", 3), ("tx3", 4)]
    # A fresh wrapper (the next execute_write) starts again at its first attempt.
    await driver.counting_retries("unit_retry", write)("tx4", 1, twice=False)
    assert _retries("unit_retry") == before + 2


def test_a_batch_parameter_prints_its_sizes_not_its_rows() -> None:
    """The driver formats repr() of every statement's parameters for a debug line; a batch
    prints as a summary, holding no identifier, and is the same mapping to the driver."""
    from graph.driver import BatchParameter

    rows = [
        {"key": "account:telegram:u:uncle_x", "rid": "r1"},
        {"key": "phone:+60123", "rid": "r2"},
    ]
    batch = BatchParameter(identifiers=rows, rids=["r1", "r2"], cap=50)
    assert repr(batch) == "<batch: identifiers (2), rids (2), cap (int)>"
    assert "uncle_x" not in repr({"batch": batch})
    assert batch == {"identifiers": rows, "rids": ["r1", "r2"], "cap": 50}
