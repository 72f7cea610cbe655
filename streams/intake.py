"""Intake agent: validate what arrives at each door, normalise and triage it, or dead-letter it."""

from dataclasses import dataclass

import faust

from contracts import topics
from contracts.deadletters import FieldError
from contracts.enums import Channel
from contracts.envelope import Event
from contracts.ids import organisation_report_id
from contracts.registry import ContractError, decode_event
from contracts.reports import PublicReport, ReportSubmitted
from runtime import metrics
from runtime.deadletter import dead_letter
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


def route_intake(raw: bytes | None, topic: str, source: str) -> Routed:
    """The triaged report, or a dead letter saying why the message was refused."""
    try:
        submitted = decode_event(raw, expected=(ReportSubmitted,))
        assert isinstance(submitted, ReportSubmitted)
        channel = submitted.payload.report.channel
        if CHANNEL_OF_TOPIC.get(topic, channel) != channel:
            message = f"a {channel.value} report on the {CHANNEL_OF_TOPIC[topic].value} topic"
            raise ContractError(
                "wrong_channel",
                [FieldError(code="wrong_channel", field="payload.report.channel", message=message)],
            )
        _check_report_id(submitted)
    except ContractError as exc:
        letter = dead_letter(raw, source, exc.reason, exc.errors, PRODUCER)
        return Routed(topics.DEAD_LETTERS, source, letter)
    bind_correlation(submitted.correlation_id)
    triaged = prepare_report(submitted, PRODUCER, raw)
    return Routed(topics.REPORTS_TRIAGED, str(triaged.payload.report_id), triaged)


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
        routed = [_route_safely(event) for event in batch]
        await send_events([(r.topic, r.key, r.event) for r in routed])
        for event, r in zip(batch, routed, strict=True):
            _count(event.message.topic, r)


def _route_safely(event: faust.EventT) -> Routed:
    """Route one message; an unexpected failure becomes a dead letter, never a lost message."""
    source = event_source(event)
    try:
        return route_intake(event.value, event.message.topic, source)
    except Exception as exc:  # noqa: BLE001 - a bad report must not stop the stream
        letter = dead_letter(
            event.value, source, f"triage_failed: {type(exc).__name__}", [], PRODUCER
        )
        return Routed(topics.DEAD_LETTERS, source, letter)


def _count(topic: str, routed: Routed) -> None:
    if routed.topic == topics.DEAD_LETTERS:
        metrics.DEAD_LETTERS.labels(source="intake").inc()
        log.warning("dead_lettered", source=routed.key, reason=routed.event.payload.reason)  # type: ignore[attr-defined]
    else:
        bind_correlation(routed.event.correlation_id)
        metrics.REPORTS_ACCEPTED.labels(
            channel=CHANNEL_OF_TOPIC.get(topic, Channel.PUBLIC).value, door="kafka"
        ).inc()
        log.debug("report_triaged", priority=routed.event.payload.triage.priority.value)  # type: ignore[attr-defined]
