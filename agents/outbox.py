"""The outbox relay: publishes the events that officer actions, SLA escalations, the linker's
decisions (tasks a merge superseded, a case's change of status) and audit records staged in
the graph (graph.outbox), a few times a second."""

from datetime import UTC, datetime
from functools import partial

from agents.app import app, settings
from graph.driver import shared_async_driver
from graph.outbox import backlog, relay
from runtime import faustapp, metrics
from runtime.logs import get_logger

log = get_logger(__name__)
# While Kafka is unreachable every tick fails: a failure is logged when it starts and when
# its kind changes (a Kafka outage, then a Neo4j one: only the first was said), then the
# recovery, not five warnings a second. The type of the last pass's error, None if it did not.
_failing: str | None = None


async def relay_pass() -> None:
    """Publish what is staged now, and keep the pending gauge."""
    driver, database = shared_async_driver(), settings.neo4j_database
    waiting = await backlog(driver, database)
    metrics.OUTBOX_PENDING.set(waiting.pending)
    oldest = waiting.oldest_staged_at
    metrics.OUTBOX_OLDEST_AGE.set((datetime.now(UTC) - oldest).total_seconds() if oldest else 0)
    if waiting.pending:
        send = partial(faustapp.send_records, app)
        sent = await relay(driver, send, database, settings.outbox_page_size)
        metrics.OUTBOX_RELAYED.inc(sent)
        metrics.OUTBOX_PENDING.set(max(0, waiting.pending - sent))


@app.timer(interval=settings.outbox_relay_interval_s)
async def outbox_relay() -> None:
    await relay_tick()


async def relay_tick() -> None:
    """One tick of the timer (Faust's timer wraps outbox_relay in its endless loop). A failed
    pass (Kafka or Neo4j unreachable) leaves the events staged; the next tick tries again."""
    global _failing
    try:
        await relay_pass()
    except Exception as exc:  # noqa: BLE001 - the timer must keep running
        if _failing != type(exc).__name__:
            log.warning("outbox_relay_failed", error=type(exc).__name__)
        _failing = type(exc).__name__
        return
    if _failing:
        log.info("outbox_relay_recovered")
    _failing = None
