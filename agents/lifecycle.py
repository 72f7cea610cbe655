"""Lifecycle agent: turns the task lifecycle topic into metrics (outcomes, claims, removals)."""

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import faust

from agents.app import app, settings
from contracts import topics
from contracts.enums import Agency
from contracts.envelope import Event, Outgoing
from contracts.lifecycle import (
    LIFECYCLE_EVENTS,
    TaskClaimed,
    TaskCompleted,
    TaskDeclined,
    TaskEscalated,
)
from contracts.registry import ContractError, decode_event
from contracts.tasks import TaskReceived
from graph.driver import UNAVAILABLE, shared_async_driver
from graph.tasks import TaskView, get_task
from runtime import faustapp, metrics
from runtime.deadletter import dead_letter
from runtime.logs import bind_correlation, get_logger
from streams.normalise import SERVICES

PRODUCER = "agents.lifecycle"
EXPECTED: tuple[type[Event], ...] = (TaskReceived, *LIFECYCLE_EVENTS)
log = get_logger(__name__)

# Delivery is at least once: remember recent event ids so a redelivery is not counted twice.
_SEEN_MAX = 10_000
_seen: OrderedDict[UUID, None] = OrderedDict()

# A metric is not worth waiting for: while Neo4j was unreachable each read waited out the
# driver's retries (~53 s), event after event, and the queue of receipts and claims behind
# them with it. A read gets this long; after one fails, the batch's other reads are skipped.
READ_TIMEOUT_S = 2.0
# What says the graph is out of reach, so the batch's other reads would wait too. Not any
# error: one odd task record skipped every other observation of its batch (a review).
UNREACHABLE: tuple[type[BaseException], ...] = (TimeoutError, OSError, *UNAVAILABLE)


class SkippedRead(Exception):
    """A read skipped because an earlier one in the batch failed."""


@dataclass
class BatchReads:
    """The graph reads of one batch: whether one failed, and how many were skipped after."""

    failed: bool = False
    skipped: int = 0

    async def task(self, task_id: UUID) -> TaskView | None:
        if self.failed:
            self.skipped += 1
            raise SkippedRead
        try:
            read = get_task(shared_async_driver(), str(task_id), settings.neo4j_database)
            return await asyncio.wait_for(read, READ_TIMEOUT_S)
        except UNREACHABLE:
            self.failed = True
            raise


# Platform names come from reports and a takedown's target may be any host a hotline traced
# ("nur-aisyah.blogspot.com"): a name, or a subdomain naming a child, must never become a
# metric label, which Prometheus keeps and shows to anyone who reads it. Only the services
# the normaliser knows are labels; every other target is 'other'.
def platform_label(target: str) -> str:
    """A closed-vocabulary metric label for a task target: a known platform, or 'other'."""
    return target if target in SERVICES else "other"


def _first_delivery(event_id: UUID) -> bool:
    if event_id in _seen:
        return False
    _seen[event_id] = None
    if len(_seen) > _SEEN_MAX:
        _seen.popitem(last=False)
    return True


def _seconds(later: datetime, earlier: datetime) -> float:
    # Clients may send naive times; the contract's times are UTC.
    later, earlier = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in (later, earlier))
    return max(0.0, (later - earlier).total_seconds())


async def _observe_completed(event: TaskCompleted, reads: BatchReads) -> None:
    payload, outcome = event.payload, event.payload.outcome
    code = outcome.code if outcome else "none"
    metrics.TASKS_COMPLETED.labels(agency=payload.agency.value, outcome=code).inc()
    if payload.agency != Agency.MCMC or outcome is None or code != "content_removed":
        return
    task = await reads.task(payload.task_id)
    if task is None:
        log.warning("lifecycle_unknown_task", event_type=event.event_type)
        return
    # Without the platform's own time, the officer's report of the removal bounds it.
    removed_at = outcome.content_removed_at or event.occurred_at
    metrics.TIME_TO_REMOVAL.labels(platform=platform_label(task.target)).observe(
        _seconds(removed_at, task.created_at)
    )


async def _observe_claimed(event: TaskClaimed, reads: BatchReads) -> None:
    task = await reads.task(event.payload.task_id)
    if task is None:
        log.warning("lifecycle_unknown_task", event_type=event.event_type)
        return
    first = task.first_claimed_at
    if first is not None and _seconds(event.occurred_at, first) > 0:
        # A later claim (an escalated task claimed again): the time to claim was the first's.
        return
    metrics.TIME_TO_CLAIM.labels(agency=event.payload.agency.value).observe(
        _seconds(event.occurred_at, task.created_at)
    )


async def observe(event: Event, reads: BatchReads) -> None:
    """Update the metrics one valid lifecycle event implies."""
    match event:
        case TaskCompleted():
            await _observe_completed(event, reads)
        case TaskClaimed():
            await _observe_claimed(event, reads)
        case TaskDeclined():
            metrics.TASKS_DECLINED.labels(agency=event.payload.agency.value).inc()
        # SLA escalations are counted where they are raised (agents.sla).
        case TaskEscalated() if event.payload.actor != "system":
            metrics.TASKS_ESCALATED.labels(
                agency=event.payload.agency.value, reason="officer"
            ).inc()


async def handle(batch: list[tuple[bytes | None, str]]) -> None:
    """Decode a batch of messages and keep their metrics; bad input goes to the dead letters,
    sent together."""
    letters: Outgoing = []
    reads = BatchReads()
    for raw, source in batch:
        try:
            event = decode_event(raw, expected=EXPECTED)
        except ContractError as exc:
            letter = dead_letter(raw, source, exc.reason, exc.errors, PRODUCER)
            letters.append((topics.DEAD_LETTERS, source, letter))
            metrics.DEAD_LETTERS.labels(source=PRODUCER).inc()
            continue
        if not _first_delivery(event.event_id):
            continue
        bind_correlation(event.correlation_id)
        try:
            await observe(event, reads)
        except SkippedRead:
            pass
        except Exception as exc:  # noqa: BLE001 - a metric is not worth stopping the stream for
            log.warning("lifecycle_metrics_failed", error=type(exc).__name__)
        metrics.EVENTS_PROCESSED.labels(stage="lifecycle").inc()
    if reads.skipped:
        log.warning("lifecycle_metrics_skipped", events=reads.skipped)
    if letters:
        await faustapp.send_events(app, letters)


# In batches, as the agency queues take theirs: every receipt comes here (~1.2 a report in
# the benchmark), and the stream's per-event path cost more than the little each one needs.
@app.agent(faustapp.raw_topic(app, topics.TASK_EVENTS), name="agents.lifecycle")
async def lifecycle(stream: faust.StreamT) -> None:
    """Consume the lifecycle topic as raw bytes."""
    size, within = settings.agent_batch_size, settings.agent_batch_within_s
    async for batch in faustapp.raw_batches(stream, size, within):
        await handle(batch)
