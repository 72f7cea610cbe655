"""What reached Kafka, read back with its topic and key, for tests that send through a real
producer; and faustapp's sends pointed at one (no Faust worker runs in the tests)."""

import asyncio
import base64
import socket
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from contracts import topics
from contracts.deadletters import DeadLetterRecorded
from contracts.envelope import Event
from contracts.registry import ContractError, decode_event
from runtime import faustapp
from runtime.produce import Record, send_batched


@dataclass(frozen=True)
class Landed:
    """One record as Kafka holds it."""

    topic: str
    key: str
    value: bytes

    @cached_property
    def event(self) -> Event:
        return decode_event(self.value)

    def mentions(self, tokens: Sequence[str]) -> bool:
        """Whether its key, its bytes, or (a dead letter) the message it keeps name a token."""
        text = self.key + self.value.decode("utf-8", errors="replace")
        try:
            event = self.event
        except ContractError:  # not an event: its bytes are all it says
            return any(token in text for token in tokens)
        if isinstance(event, DeadLetterRecorded) and event.payload.original_b64:
            original = base64.b64decode(event.payload.original_b64)
            text += original.decode("utf-8", errors="replace")
        return any(token in text for token in tokens)


class Landing:
    """Every record produced on `topics` after it was opened, read up to the end offsets
    when asked: once a send was acked, what it sent is all there, so an assertion that
    something was not sent needs no wait."""

    def __init__(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]):
        self._consumer, self._partitions = consumer, partitions
        self._seen: list[Landed] = []

    @classmethod
    @asynccontextmanager
    async def of(cls, bootstrap: str, names: Sequence[str]) -> AsyncIterator["Landing"]:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None
        )
        await consumer.start()
        try:
            # The cluster's metadata, as consumer.topics() reads it, but with the partitions.
            cluster = await consumer._client.fetch_all_metadata()
            partitions = []
            for name in names:
                found = cluster.partitions_for_topic(name)
                assert found, f"topic {name} does not exist"
                partitions += [TopicPartition(name, p) for p in sorted(found)]
            consumer.assign(partitions)
            await consumer.seek_to_end(*partitions)
            for tp in partitions:
                await consumer.position(tp)  # resolved now, before anything is produced
            yield cls(consumer, partitions)
        finally:
            await consumer.stop()

    async def read(self, match: Callable[[Landed], bool] = lambda _: True) -> list[Landed]:
        """What landed so far (up to the end offsets now), matching `match`; in each
        partition in order, partitions one after another."""
        ends = await self._consumer.end_offsets(self._partitions)
        while [tp for tp, end in ends.items() if await self._consumer.position(tp) < end]:
            batches = await self._consumer.getmany(*self._partitions, timeout_ms=1000)
            for tp, messages in batches.items():
                for m in messages:
                    key = m.key.decode() if m.key is not None else ""
                    self._seen.append(Landed(tp.topic, key, m.value or b""))
        return [r for r in self._seen if match(r)]

    async def naming(self, *tokens: str) -> list[Landed]:
        """What landed that names one of `tokens` (ids unique to the test)."""
        return await self.read(lambda r: r.mentions(tokens))

    async def awaited(self, count: int, *tokens: str, seconds: float = 15) -> list[Landed]:
        """What landed naming `tokens`, once there are `count` of them (for a send the test
        does not await itself: an agent's)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while len(landed := await self.naming(*tokens)) < count:
            assert asyncio.get_running_loop().time() < deadline, (
                f"{len(landed)} of {count} records within {seconds}s"
            )
            await asyncio.sleep(0.05)
        return landed


@asynccontextmanager
async def real_faust_sends(
    monkeypatch: pytest.MonkeyPatch, bootstrap: str
) -> AsyncIterator[AIOKafkaProducer]:
    """faustapp.send_events, as the agents run it, through a real producer: only the Faust
    app's own producer (started by a Faust worker) is replaced, by the same client."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", max_request_size=topics.LARGE_RECORD_MAX_BYTES
    )
    await producer.start()

    async def send_records(_app: object, records: Sequence[Record]) -> None:
        await send_batched(producer, records)

    monkeypatch.setattr(faustapp, "send_records", send_records)
    try:
        yield producer
    finally:
        await producer.stop()


def closed_port() -> str:
    """host:port on loopback where nothing listens (a broker that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"127.0.0.1:{port}"
