"""Neo4j driver construction from settings, and reading rows that a query collected.

Server notices (e.g. a property not yet in the schema) are off: they would flood the logs
of a fresh graph.
"""

import asyncio
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any, TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Driver, GraphDatabase
from neo4j.exceptions import (
    DatabaseUnavailable,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from runtime import metrics
from runtime.logs import get_logger
from runtime.settings import Settings, get_settings

T = TypeVar("T")
log = get_logger(__name__)

# What is left when execute_write's own retries (30 s) are spent: the database is down or
# restarting; that is waited out for as long as it lasts. DatabaseUnavailable (a server up,
# its database still starting or recovering) is a TransientError to the driver, but an
# outage here: raised after a few attempts, it dead-lettered reports and lost receipts.
UNAVAILABLE = (ServiceUnavailable, SessionExpired, DatabaseUnavailable)
# A transient error that outlasts them (a deadlock that keeps recurring, the transaction
# memory pool full) is tried a few more times, then raised: the same batch may hit it
# every time, and the caller must get the chance to isolate the report that causes it.
TRANSIENT_ATTEMPTS = 3
# A transaction the server ended for running too long (db.transaction.timeout, 60 s) or
# terminated is no error of its input: the driver calls it a ClientError, and the linker
# then decided its batch report by report, each waiting for the decision lock again, under
# the very load that made it time out (a review). Tried again as transient.
ENDED_BY_SERVER = frozenset({
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    "Neo.ClientError.Transaction.Terminated",
    "Neo.TransientError.Transaction.Terminated",
})  # fmt: skip


def _worth_retrying(exc: Exception) -> bool:
    """An outage, a transient error, or a transaction the server ended (ENDED_BY_SERVER)."""
    if isinstance(exc, (*UNAVAILABLE, TransientError)):
        return True
    return isinstance(exc, Neo4jError) and exc.code in ENDED_BY_SERVER


class BatchParameter(dict[str, Any]):
    """A statement's batch of rows as a parameter, whose repr() is short. For every
    statement the driver (neo4j 6.4) formats the text of a debug log line with repr() of
    its parameters before its logger decides not to write it: for the linker's batches that
    was ~4 % of the stream worker's time, part of it under the decision lock. (And the line,
    were the driver's debug log ever on, would not hold the reports' identifiers.)"""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<batch: {', '.join(f'{k} ({_size(v)})' for k, v in self.items())}>"


def _size(value: Any) -> str:
    return str(len(value)) if isinstance(value, list | dict) else type(value).__name__


def _auth(settings: Settings) -> tuple[str, str] | None:
    return (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None


def sync_driver(settings: Settings) -> Driver:
    return GraphDatabase.driver(
        settings.neo4j_uri, auth=_auth(settings), notifications_min_severity="OFF"
    )


# The workers' transactions lose a deadlock now and then (a preparation and a decision, or
# a merge and an agency receipt, that meet on one node): Neo4j aborts one, which can go
# again at once. The driver's first retry waits 1 s by default, which held a batch of
# ~200 reports back a whole second each time and put it at the top of the latency range;
# retries start at 50 ms and double, for up to the driver's 30 s of retries.
FIRST_RETRY_DELAY_S = 0.05


def async_driver(settings: Settings) -> AsyncDriver:
    return AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=_auth(settings),
        notifications_min_severity="OFF",
        initial_retry_delay=FIRST_RETRY_DELAY_S,
    )


def counting_retries(work: str, fn: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """`fn`, for one execute_write, counting each call after the first as a retry of `work`:
    the driver runs the whole function again after a deadlock or a lost connection, and
    logs it without saying which transaction it was. Wrap per execute_write call."""
    calls = 0

    async def attempt(tx: AsyncManagedTransaction, *args: Any, **kwargs: Any) -> T:
        nonlocal calls
        calls += 1
        if calls > 1:
            metrics.GRAPH_RETRIES.labels(work=work).inc()
        return await fn(tx, *args, **kwargs)

    return attempt


@lru_cache(maxsize=1)
def shared_async_driver() -> AsyncDriver:
    """The process's one async driver: one connection pool for all its agents."""
    return async_driver(get_settings())


async def collected_rows(
    tx: AsyncManagedTransaction, query: str, **params: Any
) -> list[dict[str, Any]]:
    """The rows of a query that returns them in one record, `RETURN collect({...}) AS rows`:
    the driver spends ~40 µs decoding each record and ~2 µs on each map of one list."""
    result = await tx.run(query, **params)
    record = await result.single(strict=True)
    rows: list[dict[str, Any]] = record["rows"]
    return rows


async def until_available(attempt: Callable[[], Awaitable[T]], what: str) -> T:
    """Run `attempt` until the graph answers: a worker waits out an outage instead of
    dead-lettering (or losing) every message that arrives during it."""
    delay, transient = 0.5, 0
    while True:
        try:
            return await attempt()
        except Exception as exc:
            if not _worth_retrying(exc):
                raise
            if not isinstance(exc, UNAVAILABLE):
                transient += 1
                if transient >= TRANSIENT_ATTEMPTS:
                    raise
            log.warning(
                "graph_unavailable_retrying", what=what, error=type(exc).__name__, delay_s=delay
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
