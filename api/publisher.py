"""Kafka producer for the API: a report is acknowledged only once the broker has it."""

from aiokafka import AIOKafkaProducer

from contracts.envelope import Event
from contracts.registry import encode_event
from contracts.topics import LARGE_RECORD_MAX_BYTES


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
        await self._producer.send_and_wait(topic, key=key.encode(), value=value)
