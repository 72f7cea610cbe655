"""Kafka producer for the API: a report is acknowledged only once the broker has it."""

from aiokafka import AIOKafkaProducer

from contracts.envelope import Event
from contracts.registry import encode_event


class Publisher:
    def __init__(self, bootstrap: str):
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=2
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def publish(self, topic: str, key: str, event: Event) -> None:
        """Send and wait for the in-sync replicas' ack."""
        await self._producer.send_and_wait(topic, key=key.encode(), value=encode_event(event))
