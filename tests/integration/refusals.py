"""What the tests of records Kafka refuses share: a topic whose limit was lowered by hand,
and events of a chosen size."""

import asyncio

from contracts import topics
from contracts.envelope import Event
from runtime.deadletter import dead_letter
from runtime.settings import Settings
from streams.provision import create_topics
from tests.e2e.kafka_probe import topic_of_2000_bytes


async def lowered_topic(settings: Settings, prefix: str) -> str:
    """A new topic that takes records of up to 2,000 bytes, with the dead-letter topic there
    for what it refuses."""
    name = topic_of_2000_bytes(settings.kafka_bootstrap, prefix)
    letters_spec = next(s for s in topics.all_topics() if s.name == topics.DEAD_LETTERS)
    await asyncio.to_thread(create_topics, settings, [letters_spec])  # no-op when provisioned
    return name


def event_of_words(words: int) -> Event:
    """An event of about 18 bytes a word: plain words, which no media check withholds."""
    return dead_letter(b"{}", "test/0@0", "a reason in words " * words, [], "tests")
