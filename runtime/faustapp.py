"""Faust app construction shared by the central streams and the agency agents."""

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from functools import cache, partial
from typing import cast

import faust
from faust.transport.drivers.aiokafka import Producer as KafkaProducer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from contracts import topics
from contracts.envelope import Event, Outgoing
from contracts.registry import encode_event
from runtime import faustconsumer, metrics
from runtime.deadletter import Origin, count_refused_kept, letters_for_refused
from runtime.logs import get_logger
from runtime.produce import Record, send_batched, send_or_refuse
from runtime.settings import Settings

RETRY_FIRST_DELAY_S, RETRY_MAX_DELAY_S = 0.1, 5.0
# The producer named in a dead letter of a record Kafka refused (its source names the topic).
SENDER = "runtime.faustapp.send_events"
log = get_logger(__name__)

# aiohttp refuses a charset inside content_type; Prometheus reads the exposition as UTF-8.
_CONTENT_TYPE = ";".join(p for p in CONTENT_TYPE_LATEST.split(";") if "charset" not in p)


def create_app(app_id: str, web_port: int, modules: list[str], settings: Settings) -> faust.App:
    """A Faust app of raw-bytes topics with a Prometheus `/metrics` page."""
    app = faust.App(
        app_id,
        broker=f"kafka://{settings.kafka_bootstrap}",
        store="memory://",
        value_serializer="raw",
        key_serializer="raw",
        topic_partitions=settings.topic_partitions,
        # Topics are provisioned with their own retention (streams.provision); Faust must
        # not declare them with defaults, and needs no leader topic without tables.
        topic_allow_declare=False,
        topic_disable_leader=True,
        # A group with no committed offset starts at the beginning: nothing is skipped.
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        broker_session_timeout=settings.kafka_session_timeout_s,
        # Triaged reports and dead letters may be larger than Kafka's default record limit
        # (contracts.topics); the other topics keep it.
        producer_max_request_size=topics.LARGE_RECORD_MAX_BYTES,
        producer_max_batch_size=settings.producer_batch_bytes,
        web_host=settings.web_host,
        web_port=web_port,
        autodiscover=modules,
        origin=modules[0].split(".")[0],
    )

    # Before any agent or topic asks for it: the consumer that delivers without a task
    # per message (runtime.faustconsumer).
    app.transport = faustconsumer.Transport(app.conf.broker_consumer, app)

    @app.page("/metrics")  # type: ignore[arg-type]  # faust's stubs expect a View method
    async def metrics(web: faust.web.Web, request: faust.web.Request) -> faust.web.Response:
        return web.bytes(generate_latest(), content_type=_CONTENT_TYPE)

    return app


def raw_topic(app: faust.App, *names: str) -> faust.TopicT:
    """A topic of plain bytes: agents validate with pydantic themselves."""
    return app.topic(
        *names, value_type=bytes, key_type=bytes, value_serializer="raw", key_serializer="raw"
    )


async def send_event(app: faust.App, topic: str, key: str, event: Event) -> None:
    """Send and wait for the broker's ack, so the input offset is committed only after it."""
    await send_events(app, [(topic, key, event)])


async def send_events(
    app: faust.App, items: Outgoing, origins: Sequence[Origin | None] | None = None
) -> set[str]:
    """Send many at once, then wait for every ack: one round trip per batch, not per event.
    A failed send is tried again until it goes through; it is never raised.

    Raised, it stopped the agent, and Faust restarts an agent with the batch it was on
    acknowledged: seen on 2026-11-30, a dead letter over the producer's size limit stopped
    the intake, and neither it nor the other reports of its batch were ever triaged (their
    offsets were committed). Waiting keeps them: the batch is not acknowledged until this
    returns, and the agent's input waits behind it. A send that fails part-way is sent again
    whole; consumers dedupe by event id. (ocsea_send_retries_total.)

    A record Kafka refuses for what it is (larger than its topic takes: the limits in
    contracts.topics and streams.intake keep every record under them, unless a topic's
    settings are changed by hand) can never go: it is kept as a dead letter with Kafka's
    error and where it was going, and the others go (runtime.produce.send_or_refuse). It was
    tried for ever, and every report behind it waited. One the dead letter cannot hold
    (runtime.deadletter.refused_letter: over ~3 MB, or withheld as possible media) is kept
    as the dead letter of the message it was made from, `origins[i]` for `items[i]`, to be
    replayed once its topic takes it; with no origin it is tried again (and waited for).
    Returns the sources of the messages so kept.

    Faust's own producer client is used directly, in batches (runtime.produce): Faust's
    Topic.send builds channel objects per message, which cost a fifth of the stream
    worker's time under load.
    """
    records = [(t, key.encode(), encode_event(event)) for t, key, event in items]
    origin_of = _origins_by_record(records, origins)
    send = partial(send_records, app)
    letters: set[Record] = set()  # dead letters of refused records, not yet acked
    kept_in_place: set[str] = set()  # messages kept as dead letters for what they made
    delay_s = RETRY_FIRST_DELAY_S
    while True:
        try:
            refused = await send_or_refuse(send, records)
        except Exception as exc:  # noqa: BLE001 - any failure: wait and send again
            metrics.SEND_RETRIES.inc()
            log.warning("send_failed_retrying", error=type(exc).__name__, records=len(records))
        else:
            not_acked = {r.record for r in refused}
            acked = {r for r in records if r in letters and r not in not_acked}
            count_refused_kept(len(acked))
            letters -= acked
            if not refused:
                return kept_in_place
            new_letters, unheld = letters_for_refused(refused, SENDER, origin_of(), kept_in_place)
            letters.update(new_letters)
            records = new_letters + unheld
            if not unheld:
                continue  # the letters go at once
            metrics.SEND_RETRIES.inc()
        await asyncio.sleep(delay_s)
        delay_s = min(delay_s * 2, RETRY_MAX_DELAY_S)


def _origins_by_record(
    records: Sequence[Record], origins: Sequence[Origin | None] | None
) -> Callable[[], dict[Record, Origin]]:
    """Each record's origin, looked up only when Kafka refuses one (hashing every record's
    bytes is not worth it for a refusal that happens after a topic is changed by hand)."""
    if origins is not None and len(origins) != len(records):
        # A caller's mistake, logged, not raised: raised, the agent's batch would be lost.
        log.error("origins_not_matched", origins=len(origins), records=len(records))
        origins = None

    @cache
    def by_record() -> dict[Record, Origin]:
        return {r: o for r, o in zip(records, origins or [], strict=False) if o is not None}

    return by_record


async def send_records(app: faust.App, records: Sequence[Record]) -> None:
    """Send encoded (topic, key, value) records in order and wait for every ack."""
    producer = cast(KafkaProducer, app.producer)._ensure_producer()
    await send_batched(producer, records, app.conf.producer_max_batch_size)


def event_source(event: faust.EventT) -> str:
    """Where a message came from, for dead letters: topic/partition@offset."""
    return f"{event.message.topic}/{event.message.partition}@{event.message.offset}"


async def raw_batches(
    stream: faust.StreamT, size: int, within: float
) -> AsyncIterator[list[tuple[bytes | None, str]]]:
    """The stream in batches of (value as received, source): up to `size` events, or what
    came within `within` seconds. A batch is acknowledged when the next one is asked for,
    so after its caller has handled it."""
    # Faust's StreamT does not declare take_events; its Stream, which agents get, has it.
    async for batch in stream.take_events(size, within=within):  # type: ignore[attr-defined]
        yield [(e.value, event_source(e)) for e in batch]
