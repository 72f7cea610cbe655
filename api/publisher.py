"""Kafka producer for the API: a report is acknowledged only once the broker has it."""

import asyncio

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

    async def publish_all(self, items: list[tuple[str, str, Event]]) -> None:
        """Send every event, then wait for all the acks: one round trip, not one per event."""
        acks = [
            await self._producer.send(topic, key=key.encode(), value=encode_event(event))
            for topic, key, event in items
        ]
        await asyncio.gather(*acks)
