"""Case-linking agent: link each batch of triaged reports into the graph (prepare, then decide:
two transactions, graph.linking), then emit the case and task events that follow."""

from datetime import UTC, datetime

import faust
from neo4j import AsyncDriver

from contracts import topics
from contracts.cases import ReportTriaged
from contracts.deadletters import FieldError
from contracts.enums import Channel, Priority
from contracts.envelope import Event, Outgoing
from contracts.registry import ContractError, decode_event
from graph.driver import shared_async_driver, until_available
from graph.linking import link_in_two_steps
from graph.outcome import LinkOutcome
from runtime import metrics
from runtime.deadletter import Origin, dead_letter
from runtime.faustapp import raw_batches
from runtime.logs import bind_correlation, get_logger
from streams.app import app, raw_topic, send_events, settings
from streams.emit import events_for, lifecycle_events_for
from streams.fanout import TaskPlan, merge_plan, plan_tasks

PRODUCER = "streams.linker"
log = get_logger(__name__)


def _reconcile(
    priority: str,
    due_at: datetime | None,
    plan: TaskPlan,
    report_id: object = None,
    reasons: list[str] | None = None,
) -> TaskPlan:
    return merge_plan(Priority(priority), plan, due_at, report_id, reasons)


async def link(
    driver: AsyncDriver, batch: list[ReportTriaged], unannounced: dict[str, str] | None = None
) -> list[LinkOutcome]:
    """Link a batch, waiting out a Neo4j outage rather than losing a report. Its changes of
    tasks' and cases' statuses are staged in the outbox with the decision; a report whose
    events for them cannot be built is linked still, and named in `unannounced` with the
    error, for the caller to keep as a dead letter."""
    items = [(t.payload, t.correlation_id) for t in batch]
    cause: dict[str, ReportTriaged] = {}
    for t in batch:  # the first delivery, as the decision takes it
        cause.setdefault(str(t.payload.report_id), t)
    failed = unannounced if unannounced is not None else {}

    def announce(outcome: LinkOutcome, now: datetime) -> Outgoing | None:
        try:
            events = lifecycle_events_for(outcome, cause[outcome.report_id], PRODUCER, now)
        except Exception as exc:  # noqa: BLE001 - one report's events must not undo the batch
            failed[outcome.report_id] = type(exc).__name__
            return None
        failed.pop(outcome.report_id, None)  # a retry of the transaction built them
        return events

    return await until_available(
        lambda: link_in_two_steps(
            driver,
            settings.neo4j_database,
            items,
            datetime.now(UTC),
            settings.link_degree_cap,
            plan_tasks,
            _reconcile,
            settings.sla_unclaimed_share,
            announce,
        ),
        "link",
    )


# Each event to send, with the message it was made from: an event Kafka refuses and no dead
# letter can hold is kept as that message's dead letter (runtime.faustapp.send_events).
Made = list[tuple[tuple[str, str, Event], Origin]]


async def handle(batch: list[tuple[bytes | None, str]]) -> None:
    """Link a batch and send what follows from it; bad input goes to the dead letters."""
    out: Made = []
    valid: list[tuple[ReportTriaged, bytes, str]] = []
    for raw, source in batch:
        try:
            triaged = decode_event(raw, expected=(ReportTriaged,))
        except ContractError as exc:
            letter = dead_letter(raw, source, exc.reason, exc.errors, PRODUCER)
            out.append(((topics.DEAD_LETTERS, source, letter), Origin(raw, source)))
            metrics.DEAD_LETTERS.labels(source="linker").inc()
            continue
        assert isinstance(triaged, ReportTriaged) and raw is not None  # None is refused above
        valid.append((triaged, raw, source))
    if valid:
        out += await _link_or_isolate(valid)
    await send_events([event for event, _ in out], [origin for _, origin in out])


async def _link_or_isolate(valid: list[tuple[ReportTriaged, bytes, str]]) -> Made:
    """Link the batch; if it fails for a reason other than an outage, link one by one so a
    single bad report is dead-lettered and the rest still go through."""
    try:
        # The graph transaction alone, apart from the whole batch ("linker"): the serial
        # part that bounds the linker's rate (README, benchmark).
        unannounced: dict[str, str] = {}
        with metrics.STAGE_SECONDS.labels(stage="link_graph").time():
            outcomes = await link(shared_async_driver(), [t for t, _, _ in valid], unannounced)
    except Exception as exc:  # noqa: BLE001 - a bad report must not stop the stream
        if len(valid) == 1:
            triaged, raw, source = valid[0]
            bind_correlation(triaged.correlation_id)
            log.error("link_failed", error=type(exc).__name__)
            metrics.DEAD_LETTERS.labels(source="linker").inc()
            reason = f"link_failed: {type(exc).__name__}"
            letter = dead_letter(raw, source, reason, [], PRODUCER)
            return [((topics.DEAD_LETTERS, source, letter), Origin(raw, source))]
        out: Made = []
        for item in valid:
            out += await _link_or_isolate([item])
        return out
    now = datetime.now(UTC)
    out = []
    for (triaged, raw, source), outcome in zip(valid, outcomes, strict=True):
        origin = Origin(raw, source)
        if outcome.reused_id:
            out.append((_reused(triaged, raw, source), origin))
            continue
        # Its lifecycle events could not be staged with the decision (link), or the others
        # cannot be built now.
        error = unannounced.get(outcome.report_id)
        if error is None:
            try:
                events = events_for(outcome, triaged, PRODUCER, now)
            except Exception as exc:  # noqa: BLE001 - one report's events must not lose the batch's
                error = type(exc).__name__
        if error is not None:
            # Linked, but its events could not be built: kept, so a redelivery after a fix
            # (python -m cli.deadletters replay) answers from the stored outcome, sends
            # them and stages its lifecycle events (graph.linking.decide_batch).
            bind_correlation(triaged.correlation_id)
            log.error("events_failed", error=error)
            metrics.DEAD_LETTERS.labels(source="linker").inc()
            reason = f"events_failed: {error}"
            letter = dead_letter(raw, source, reason, [], PRODUCER)
            out.append(((topics.DEAD_LETTERS, source, letter), origin))
            continue
        out += [(event, origin) for event in events]
        _count(triaged, outcome)
    return out


def _reused(triaged: ReportTriaged, raw: bytes, source: str) -> tuple[str, str, Event]:
    """A different report under an id already used: answered as a resend, it was never
    linked and left no trace (a platform reusing a reference for a new incident)."""
    bind_correlation(triaged.correlation_id)
    log.warning("report_id_reused")
    metrics.DEAD_LETTERS.labels(source="linker").inc()
    message = (
        "another report was received under this id before (for a platform or NGO: the same "
        "organisation and reference); send a new report with a reference of its own"
    )
    # The field the sender changes: a platform's or NGO's reference (the door names it too),
    # a public report's own id.
    public = triaged.payload.channel == Channel.PUBLIC
    field = "payload.report_id" if public else "payload.report.reference"
    error = FieldError(code="report_id_reused", field=field, message=message)
    letter = dead_letter(raw, source, "report_id_reused", [error], PRODUCER)
    return topics.DEAD_LETTERS, source, letter


def _count(triaged: ReportTriaged, outcome: LinkOutcome) -> None:
    bind_correlation(triaged.correlation_id)
    log.info(
        "report_linked", kind=outcome.kind, tasks=len(outcome.tasks), replayed=outcome.replayed
    )
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


# Several batches in flight (settings.linker_concurrency): while one holds the decision lock,
# the others prepare. Locks keep them correct, as they do against a second worker.
@app.agent(raw_topic(topics.REPORTS_TRIAGED), concurrency=settings.linker_concurrency)
async def linker(stream: faust.StreamT) -> None:
    size, within = settings.worker_batch_size, settings.worker_batch_within_s
    async for batch in raw_batches(stream, size, within):
        with metrics.STAGE_SECONDS.labels(stage="linker").time():
            await handle(batch)
