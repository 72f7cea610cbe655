"""Faust app construction shared by the central streams and the agency agents."""

from collections.abc import Sequence
from typing import cast

import faust
from faust.transport.drivers.aiokafka import Producer as KafkaProducer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from contracts.envelope import Event, Outgoing
from contracts.registry import encode_event
from runtime.produce import Record, send_batched
from runtime.settings import Settings

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
        web_host=settings.web_host,
        web_port=web_port,
        autodiscover=modules,
        origin=modules[0].split(".")[0],
    )

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


async def send_events(app: faust.App, items: Outgoing) -> None:
    """Send many at once, then wait for every ack: one round trip per batch, not per event.

    Faust's own producer client is used directly, in batches (runtime.produce): Faust's
    Topic.send builds channel objects per message, which cost a fifth of the stream
    worker's time under load.
    """
    await send_records(app, [(t, key.encode(), encode_event(event)) for t, key, event in items])


async def send_records(app: faust.App, records: Sequence[Record]) -> None:
    """Send encoded (topic, key, value) records in order and wait for every ack."""
    producer = cast(KafkaProducer, app.producer)._ensure_producer()
    await send_batched(producer, records, app.conf.producer_max_batch_size)


def event_source(event: faust.EventT) -> str:
    """Where a message came from, for dead letters: topic/partition@offset."""
    return f"{event.message.topic}/{event.message.partition}@{event.message.offset}"
