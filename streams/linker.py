"""Case-linking agent: write each triaged report into the graph, then emit case and task events."""

import asyncio
from datetime import UTC, datetime

import faust
from neo4j import AsyncDriver
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from contracts import topics
from contracts.cases import ReportTriaged
from contracts.enums import Priority
from contracts.registry import ContractError, decode_event
from graph.driver import async_driver
from graph.linking import link_report
from graph.outcome import LinkOutcome
from runtime import metrics
from runtime.faustapp import event_source
from runtime.logs import bind_correlation, get_logger
from streams.app import app, raw_topic, send_event, settings
from streams.deadletter import dead_letter
from streams.emit import events_for
from streams.fanout import TaskPlan, merge_plan, plan_tasks

PRODUCER = "streams.linker"
log = get_logger(__name__)
_driver: AsyncDriver | None = None


def graph() -> AsyncDriver:
    global _driver
    if _driver is None:
        _driver = async_driver(settings)
    return _driver


async def link(driver: AsyncDriver, triaged: ReportTriaged) -> LinkOutcome:
    """Link one report, waiting out a Neo4j outage rather than losing the report."""
    delay = 0.5
    while True:
        try:
            async with driver.session(database=settings.neo4j_database) as session:
                return await session.execute_write(
                    link_report,
                    triaged.payload,
                    triaged.correlation_id,
                    datetime.now(UTC),
                    settings.link_degree_cap,
                    plan_tasks,
                    _reconcile,
                )
        except (ServiceUnavailable, SessionExpired) as exc:
            log.warning("graph_unavailable_retrying", error=type(exc).__name__, delay_s=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)


def _reconcile(priority: str, due_at: datetime | None, plan: TaskPlan) -> TaskPlan | None:
    return merge_plan(Priority(priority), plan, due_at)


async def handle(raw: bytes, source: str) -> None:
    """Link one message and send what follows from it; refuse bad input to the dead letters."""
    try:
        triaged = decode_event(raw, expected=(ReportTriaged,))
    except ContractError as exc:
        await send_event(
            topics.DEAD_LETTERS, source, dead_letter(raw, source, exc.reason, exc.errors, PRODUCER)
        )
        metrics.DEAD_LETTERS.labels(source="linker").inc()
        return
    assert isinstance(triaged, ReportTriaged)
    bind_correlation(triaged.correlation_id)
    try:
        outcome = await link(graph(), triaged)
    except Exception as exc:  # noqa: BLE001 - a bad report must not stop the stream
        reason = f"link_failed: {type(exc).__name__}"
        await send_event(
            topics.DEAD_LETTERS, source, dead_letter(raw, source, reason, [], PRODUCER)
        )
        metrics.DEAD_LETTERS.labels(source="linker").inc()
        log.error("link_failed", error=type(exc).__name__)
        return
    for topic, key, event in events_for(outcome, triaged, PRODUCER, datetime.now(UTC)):
        await send_event(topic, key, event)
    _count(outcome)
    log.info(
        "report_linked", kind=outcome.kind, tasks=len(outcome.tasks), replayed=outcome.replayed
    )


def _count(outcome: LinkOutcome) -> None:
    metrics.EVENTS_PROCESSED.labels(stage="linker").inc()
    if outcome.replayed:
        return
    if outcome.kind == "opened":
        metrics.CASES_OPENED.inc()
    if outcome.merged_case_ids:
        metrics.CASES_MERGED.inc()
    for task in outcome.tasks:
        if task.change == "assigned":
            metrics.TASKS_ASSIGNED.labels(agency=task.agency, task_type=task.task_type).inc()


@app.agent(raw_topic(topics.REPORTS_TRIAGED))
async def linker(stream: faust.StreamT) -> None:
    async for batch in stream.take_events(
        settings.worker_batch_size, within=settings.worker_batch_within_s
    ):
        with metrics.STAGE_SECONDS.labels(stage="linker").time():
            await asyncio.gather(*(handle(e.value, event_source(e)) for e in batch))
