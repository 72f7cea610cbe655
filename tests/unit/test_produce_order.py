"""runtime.produce.send_batched keeps a partition's order when the broker refuses one of its
batches (found by a review of delivery order): against a producer that behaves as aiokafka
does for one partition, sending its batches one at a time in the order they were queued and
failing a refused batch's future alone."""

import asyncio
from collections.abc import Sequence

import pytest
from aiokafka.errors import MessageSizeTooLargeError

from runtime.produce import Record, send_batched, send_up_to_refusal

BATCH_BYTES = 4_000
TOPIC_LIMIT = 2_500  # a topic's max.message.bytes lowered by hand below the batches


class Batch:
    def __init__(self) -> None:
        self.records: list[tuple[bytes, bytes]] = []
        self.size = 0

    def append(self, key: bytes, value: bytes, timestamp: None) -> object | None:
        if self.records and self.size + len(key) + len(value) > BATCH_BYTES:
            return None
        self.records.append((key, value))
        self.size += len(key) + len(value)
        return object()

    def record_count(self) -> int:
        return len(self.records)


class OnePartition:
    """Batches delivered strictly one after another; a batch over the topic's limit is
    refused alone (Kafka checks a record batch, not each record, against the limit)."""

    def __init__(self) -> None:
        self.log: list[bytes] = []
        self.queue: asyncio.Queue[tuple[Batch, asyncio.Future[None]]] = asyncio.Queue()
        self.sender = asyncio.get_running_loop().create_task(self._send())

    async def partitions_for(self, topic: str) -> set[int]:
        return {0}

    def create_batch(self) -> Batch:
        return Batch()

    async def send_batch(self, batch: Batch, topic: str, partition: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self.queue.put((batch, future))
        return future

    async def send(
        self, topic: str, value: bytes, key: bytes, partition: int
    ) -> asyncio.Future[None]:
        batch = Batch()
        batch.append(key, value, None)
        return await self.send_batch(batch, topic, partition)

    async def _send(self) -> None:
        while True:
            batch, future = await self.queue.get()
            await asyncio.sleep(0.001)  # a round trip
            if batch.size > TOPIC_LIMIT:
                future.set_exception(MessageSizeTooLargeError())
            else:
                self.log += [value for _, value in batch.records]
                future.set_result(None)


async def test_a_refused_batch_holds_back_the_partitions_later_batches() -> None:
    producer = OnePartition()
    records = [("t", b"k", f"{n:04d}".encode() + b"x" * 996) for n in range(8)]
    try:
        with pytest.raises(MessageSizeTooLargeError):
            await send_batched(producer, records, batch_size=BATCH_BYTES)
        # The first batch was refused: nothing after it went out.
        assert producer.log == []

        # The relay's and the workers' fallback, one record at a time, then sends them all,
        # in order.
        async def send(batch: Sequence[Record]) -> None:
            await send_batched(producer, batch, batch_size=BATCH_BYTES)

        went, refusal = await send_up_to_refusal(send, records, within_s=30)
        assert refusal is None
        assert [value[:4] for value in producer.log] == [f"{n:04d}".encode() for n in range(8)]
    finally:
        producer.sender.cancel()
