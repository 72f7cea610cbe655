"""Send many records through aiokafka's batch interface instead of one `send` per record.

Each `send` walks the producer's whole path (metadata wait, transaction check, partitioner,
accumulator, one future) per record: in a py-spy profile of the stream worker under load,
sending was 12 % of its CPU. Here each (topic, partition) gets its records appended to one
batch, submitted with one future. Partitions are chosen by aiokafka's default partitioner
(murmur2 of the key, as Kafka's Java clients do), so a key lands where `send` would have
put it; records of one partition keep their order.
"""

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer, errors
from aiokafka.partitioner import DefaultPartitioner

Record = tuple[str, bytes, bytes]  # (topic, key, value)

_partitioner = DefaultPartitioner()
# aiokafka's (and Faust's) default max_batch_size.
DEFAULT_BATCH_SIZE = 16_384


async def send_batched(
    producer: AIOKafkaProducer, records: Sequence[Record], batch_size: int = DEFAULT_BATCH_SIZE
) -> None:
    """Send every record and wait for the broker's acks (an error raises, as `send` does).
    `batch_size` is the producer's max_batch_size: larger records go through `send`."""
    grouped: dict[tuple[str, int], list[tuple[bytes, bytes]]] = {}
    partitions: dict[str, list[int]] = {}
    for topic, key, value in records:
        if topic not in partitions:
            partitions[topic] = sorted(await producer.partitions_for(topic))
        every = partitions[topic]
        partition = _partitioner(key, every, every)
        grouped.setdefault((topic, partition), []).append((key, value))
    sent = await asyncio.gather(
        *(
            _send_in_order(producer, topic, partition, pairs, batch_size)
            for (topic, partition), pairs in grouped.items()
        ),
        return_exceptions=True,
    )
    # Every partition settled before an error is raised: the caller's fallback (one record
    # at a time) then starts behind them, not beside them.
    for outcome in sent:
        if isinstance(outcome, BaseException):
            raise outcome


async def _send_in_order(
    producer: AIOKafkaProducer,
    topic: str,
    partition: int,
    pairs: list[tuple[bytes, bytes]],
    batch_size: int,
) -> None:
    """A partition's records, one batch after another: each batch is queued once the one
    before is acked. Queued together, a batch the broker refused (a topic's limit lowered
    below the producer's batches) failed alone and the next went out: the partition had the
    later events before the earlier, which a consumer dropping repeated ids then kept in
    that order (a review). aiokafka sends one batch of a partition at a time anyway."""
    batch = producer.create_batch()
    for key, value in pairs:
        fits = len(value) <= batch_size
        if fits and batch.append(key=key, value=value, timestamp=None) is not None:
            continue
        # The batch is full, or the record is larger than any batch: what the batch holds
        # goes first, so the order holds.
        if batch.record_count():
            await (await producer.send_batch(batch, topic, partition=partition))
            batch = producer.create_batch()
        if fits:
            batch.append(key=key, value=value, timestamp=None)  # a new batch takes one
        else:
            # A batch takes its first record whatever its size; `send` checks it against the
            # producer's max_request_size and refuses it with a clear error.
            await (await producer.send(topic, value, key=key, partition=partition))
    if batch.record_count():
        await (await producer.send_batch(batch, topic, partition=partition))


# Kafka's answers about a record itself, not about the cluster: sent again, unchanged, it is
# refused again. (A whole batch is refused for one such record, the others with it.)
REFUSED_FOR_WHAT_IT_IS = (
    errors.MessageSizeTooLargeError,
    errors.RecordListTooLargeError,
    errors.InvalidTopicError,
    errors.CorruptRecordException,
)


@dataclass(frozen=True)
class Refusal:
    record: Record
    error: str  # the Kafka error's name


async def send_or_refuse(
    send: Callable[[Sequence[Record]], Awaitable[None]], records: Sequence[Record]
) -> list[Refusal]:
    """Send `records` with `send`; if Kafka refuses any for what it is (too large for its
    topic, say), the others still go (send_up_to_refusal, again after each refusal) and
    those refused are returned, for the caller to keep as dead letters: the others must not
    wait for ever behind a record that can never go. Anything else (an outage, a timeout)
    raises, as `send` does."""
    refused = []
    rest = list(records)
    while rest:
        went, refusal = await send_up_to_refusal(send, rest, within_s=math.inf)
        if refusal is None:
            if went < len(rest):
                raise TimeoutError("a send ran out of time")
            break
        refused.append(refusal)
        rest = rest[went + 1 :]  # in order: each partition's records keep theirs
    return refused


async def send_up_to_refusal(
    send: Callable[[Sequence[Record]], Awaitable[None]],
    records: Sequence[Record],
    within_s: float,
) -> tuple[int, Refusal | None]:
    """Send `records`; if Kafka refuses one for what it is, send them one at a time up to it
    and stop there. Returns how many went (the first ones of `records`) and the refusal.
    One at a time it also stops after `within_s` (hundreds of acks from a slow broker), or
    at a send cut by the caller's deadline (TimeoutError): the caller holds a transaction
    open meanwhile, and sends the rest in its next call. Anything else raises, as `send`
    does."""
    try:
        await send(records)
        return len(records), None
    except REFUSED_FOR_WHAT_IT_IS:
        pass
    started = time.monotonic()
    for went, record in enumerate(records):
        if time.monotonic() - started > within_s:
            return went, None
        try:
            await send([record])
        except REFUSED_FOR_WHAT_IT_IS as exc:
            return went, Refusal(record, type(exc).__name__)
        except TimeoutError:
            return went, None  # the caller's deadline: it may have gone; sent again later
    return len(records), None  # one at a time, each went
