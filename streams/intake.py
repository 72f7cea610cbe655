"""Intake agent: validate what arrives at each door, normalise and triage it, or dead-letter it."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid5

import faust

from contracts import topics
from contracts.cases import ReportTriaged
from contracts.deadletters import FieldError
from contracts.enums import Channel
from contracts.envelope import Event
from contracts.ids import organisation_report_id
from contracts.registry import ContractError, decode_event, encode_event
from contracts.reports import PublicReport, ReportSubmitted
from runtime import metrics
from runtime.deadletter import Origin, dead_letter
from runtime.faustapp import event_source
from runtime.logs import bind_correlation, get_logger
from streams.app import app, raw_topic, send_events, settings
from streams.prepare import prepare_report

PRODUCER = "streams.intake"
CHANNEL_OF_TOPIC = {name: channel for channel, name in topics.INTAKE.items()}
log = get_logger(__name__)


@dataclass(frozen=True)
class Routed:
    topic: str
    key: str
    event: Event


def route_intake(
    raw: bytes | None, topic: str, source: str, record_time: datetime | None = None
) -> Routed:
    """The triaged report, or a dead letter saying why the message was refused.
    `record_time`: when Kafka's record was made, the submission's time where the message
    gives none."""
    try:
        submitted = decode_event(raw, expected=(ReportSubmitted,))
        assert isinstance(submitted, ReportSubmitted)
        submitted = _envelope_of_the_message(submitted, raw or b"", record_time)
        channel = submitted.payload.report.channel
        if CHANNEL_OF_TOPIC.get(topic, channel) != channel:
            message = f"a {channel.value} report on the {CHANNEL_OF_TOPIC[topic].value} topic"
            raise ContractError(
                "wrong_channel",
                [FieldError(code="wrong_channel", field="payload.report.channel", message=message)],
            )
        _check_report_id(submitted)
    except ContractError as exc:
        return _refused(raw, source, exc, record_time)
    bind_correlation(submitted.correlation_id)
    try:
        triaged = _within_size(prepare_report(submitted, PRODUCER), len(raw or b""))
    except ContractError as exc:
        return _refused(raw, source, exc, record_time)
    return Routed(topics.REPORTS_TRIAGED, str(triaged.payload.report_id), triaged)


# Ids of messages that gave none, from their bytes.
_MESSAGE_IDS = UUID("5f0c6a52-3c1e-4d0e-9a57-8f1f6c2b9d41")


def _envelope_of_the_message(
    event: ReportSubmitted, raw: bytes, record_time: datetime | None
) -> ReportSubmitted:
    """A message that left out its event_id or recorded_at (the contract makes both optional)
    got a fresh one each time it was read: a redelivery was a ReportTriaged of another id and
    another time received. They come from the message instead: an id from its bytes, the time
    from its Kafka record."""
    given = event.model_fields_set
    update: dict[str, object] = {}
    if "event_id" not in given:
        update["event_id"] = uuid5(_MESSAGE_IDS, hashlib.sha256(raw).hexdigest())
    if "recorded_at" not in given and record_time is not None:
        update["recorded_at"] = record_time
    return event.model_copy(update=update) if update else event


def _refused(
    raw: bytes | None, source: str, exc: ContractError, record_time: datetime | None
) -> Routed:
    letter = dead_letter(raw, source, exc.reason, exc.errors, PRODUCER, record_time)
    return Routed(topics.DEAD_LETTERS, source, letter)


# Kafka refuses a record over its topic's limit (contracts.topics: triaged reports may be up
# to 4 MiB), and a refused send would hold the intake up. A triaged event carries the message
# (as validated) besides what is derived from it: measured, 1.8-2.1 times the message for lists
# of long hashes and URLs, up to 4.1 times for 100 accounts of many short values (218 kB gave
# 903 kB); what is derived alone, up to ~2.7 times (a 929 kB report of 100 accounts' long
# device ids and payment handles). Below MEASURE_FROM_BYTES no event comes near the limit, so
# only larger messages (rare: the benchmark's are ~1.3 kB) pay for measuring theirs.
MEASURE_FROM_BYTES = 64 * 1024
TRIAGED_MAX_BYTES = topics.LARGE_RECORD_MAX_BYTES - 100_000  # room for the record's framing


def _within_size(triaged: ReportTriaged, received_bytes: int) -> ReportTriaged:
    """The event, without the message submitted if that is what makes it too large to
    send: the report is linked from its derived facts, and stays on the intake topic for
    a week (log line and ocsea_submitted_not_kept_total)."""
    if received_bytes < MEASURE_FROM_BYTES or len(encode_event(triaged)) <= TRIAGED_MAX_BYTES:
        return triaged
    log.warning("submitted_not_kept", received_bytes=received_bytes)
    metrics.SUBMITTED_NOT_KEPT.inc()
    payload = triaged.payload.model_copy(update={"submitted": None})
    slim = triaged.model_copy(update={"payload": payload})
    if len(encode_event(slim)) > TRIAGED_MAX_BYTES:
        # Not reached by any report an intake topic takes (1 MB: ~2.7 MB derived at most);
        # kept so that a looser contract or topic cannot hold the intake up.
        message = f"its triaged event would exceed {TRIAGED_MAX_BYTES} bytes"
        error = FieldError(code="too_large_to_route", field="payload.report", message=message)
        raise ContractError("too_large_to_route", [error])
    return slim


def _check_report_id(submitted: ReportSubmitted) -> None:
    """A platform or NGO report's id is derived from (organisation, reference), as the HTTP
    doors derive it, so that a resend through either door is one report. A producer that
    chose its own id would make a resend a second report: refused, naming the id to use."""
    report = submitted.payload.report
    if isinstance(report, PublicReport):
        return
    expected = organisation_report_id(
        report.channel.value, report.organisation_id, report.reference
    )
    if submitted.payload.report_id != expected:
        message = (
            f"a {report.channel.value} report's id is derived from its organisation and "
            f"reference (contracts.ids.organisation_report_id): {expected}"
        )
        error = FieldError(code="report_id_not_derived", field="payload.report_id", message=message)
        raise ContractError("report_id_not_derived", [error])


intake_topic = raw_topic(*topics.INTAKE.values())


@app.agent(intake_topic)
async def intake(stream: faust.StreamT) -> None:
    # Faust's StreamT does not declare take_events; its Stream, which agents get, has it.
    async for batch in stream.take_events(  # type: ignore[attr-defined]
        settings.worker_batch_size, within=settings.worker_batch_within_s
    ):
        # Each message's source, once: a triaged event Kafka refuses and no dead letter holds
        # is kept as its report's (send_events).
        origins = [Origin(event.value, event_source(event), _record_time(event)) for event in batch]
        routed = [_route_safely(e, o) for e, o in zip(batch, origins, strict=True)]
        kept_in_place = await send_events([(r.topic, r.key, r.event) for r in routed], origins)
        for event, r, origin in zip(batch, routed, origins, strict=True):
            if origin.source not in kept_in_place:  # else counted as a dead letter
                _count(event.message.topic, r)


def _record_time(event: faust.EventT) -> datetime | None:
    """The Kafka record's time, or None for one no datetime holds (never to stop the agent:
    its batch would be acknowledged and lost)."""
    try:
        stamp = event.message.timestamp
        return datetime.fromtimestamp(stamp, UTC) if stamp else None
    except (OverflowError, OSError, ValueError, TypeError):
        return None


def _route_safely(event: faust.EventT, origin: Origin) -> Routed:
    """Route one message; an unexpected failure becomes a dead letter, never a lost message."""
    source, record_time = origin.source, origin.received_at
    try:
        return route_intake(event.value, event.message.topic, source, record_time)
    except Exception as exc:  # noqa: BLE001 - a bad report must not stop the stream
        reason = f"triage_failed: {type(exc).__name__}"
        letter = dead_letter(event.value, source, reason, [], PRODUCER, record_time)
        return Routed(topics.DEAD_LETTERS, source, letter)


def _count(topic: str, routed: Routed) -> None:
    # Bound for the dead letter too: its line carried the previous report's id.
    bind_correlation(routed.event.correlation_id)
    if routed.topic == topics.DEAD_LETTERS:
        metrics.DEAD_LETTERS.labels(source="intake").inc()
        log.warning("dead_lettered", source=routed.key, reason=routed.event.payload.reason)  # type: ignore[attr-defined]
    else:
        metrics.REPORTS_ACCEPTED.labels(
            channel=CHANNEL_OF_TOPIC.get(topic, Channel.PUBLIC).value, door="kafka"
        ).inc()
        log.debug("report_triaged", priority=routed.event.payload.triage.priority.value)  # type: ignore[attr-defined]
