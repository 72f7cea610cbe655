"""Kafka producer for the API: a report is acknowledged only once the broker has it."""

import asyncio

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaTimeoutError

from contracts.envelope import Event
from contracts.registry import encode_event
from contracts.topics import LARGE_RECORD_MAX_BYTES

# How long a door waits for the broker's ack. An idempotent producer never gives up a batch
# it sent: with Kafka down, a report waited for ever (or 40 s, then 503) while its caller
# held the connection (a review). Past this the caller is answered 503 (api.app) and sends
# again; the send may still go out when Kafka is back: a keyed door's resend is the same
# report (its id comes from its reference), a public one's may be a second copy.
PUBLISH_WAIT_S = 10.0


class Publisher:
    def __init__(self, bootstrap: str):
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            enable_idempotence=True,
            linger_ms=2,
            # Dead letters carry a refused body whole (contracts.topics); reports are checked
            # against the intake topics' limit before they are sent (api.intake).
            max_request_size=LARGE_RECORD_MAX_BYTES,
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def publish(self, topic: str, key: str, event: Event) -> None:
        """Send and wait for the in-sync replicas' ack."""
        await self.publish_encoded(topic, key, encode_event(event))

    async def publish_encoded(self, topic: str, key: str, value: bytes) -> None:
        """Send an event already encoded (to check its size first) and wait for the ack."""
        try:
            await asyncio.wait_for(
                self._producer.send_and_wait(topic, key=key.encode(), value=value),
                PUBLISH_WAIT_S,
            )
        except TimeoutError as exc:
            raise KafkaTimeoutError(f"no ack from Kafka within {PUBLISH_WAIT_S:.0f} s") from exc
