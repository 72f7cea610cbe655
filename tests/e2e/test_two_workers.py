"""Two stream workers in one consumer group: reports sharing an identifier still make one case."""

import time
from collections.abc import Iterator

import pytest
from kafka import KafkaProducer

from contracts import topics
from contracts.enums import Channel
from contracts.registry import encode_event
from runtime.settings import get_settings
from tests.e2e.conftest import System, extra_worker
from tests.e2e.http import metric_sum
from tests.e2e.kafka_probe import TopicWatch
from tests.factories import account, platform_report, unique

SECOND_PORT = "16068"


@pytest.fixture
def second_worker(system: System) -> Iterator[None]:
    with extra_worker(system, "streams-2", SECOND_PORT):
        yield


def test_one_identifier_never_yields_two_cases_across_two_workers(second_worker: None) -> None:
    shared = account(unique("shared-"))
    events = [platform_report(accounts=[shared, account(unique("own-"))]) for _ in range(40)]
    ids = {str(e.payload.report_id) for e in events}
    watch = TopicWatch(topics.CASE_EVENTS)
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka_bootstrap, acks="all")
    try:
        for event in events:  # keyed by report id, so they spread over every partition
            producer.send(
                topics.INTAKE[Channel.PLATFORM],
                key=str(event.payload.report_id).encode(),
                value=encode_event(event),
            )
        producer.flush(timeout=10)
        seen: dict[str, dict] = {}
        deadline = time.monotonic() + 60
        while set(seen) != ids and time.monotonic() < deadline:
            answer = watch.wait_for(
                lambda e: e["correlation_id"] in ids and e["event_type"] != "CasesMerged",
                seconds=60,
            )
            seen[answer["correlation_id"]] = answer
    finally:
        producer.close()
        watch.close()
    assert set(seen) == ids
    assert len({e["payload"]["case_id"] for e in seen.values()}) == 1
    assert sum(e["event_type"] == "CaseOpened" for e in seen.values()) == 1
    # Across two workers indeed: the second linked some of them (keyed by report id, the 40
    # spread over every partition, and the group gave it half once it joined).
    assert metric_sum(SECOND_PORT, 'ocsea_stage_seconds_count{stage="linker"}') >= 1
