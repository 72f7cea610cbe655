"""What the agents announce on the task lifecycle topic, through the running processes: an
officer's action staged in the graph's outbox reaches Kafka through the agents' relay, and a
task's assignment delivered again is announced as received again, as the first time."""

import json

from kafka import KafkaProducer

from api.security.principal import Role
from contracts import topics
from contracts.enums import Agency
from runtime.settings import get_settings
from tests.e2e.conftest import System, bearer
from tests.e2e.http import post, public_report_and_task
from tests.e2e.kafka_probe import TopicWatch


def _pdrm_task(system: System, watch: TopicWatch) -> dict:
    """A new case's PDRM task, as the linker assigned it (the event's JSON)."""
    body = {
        "description": "a man keeps messaging my 11 year old",
        "suspected_categories": ["grooming"],
    }
    return public_report_and_task(system.api, body, watch)[1]


def test_an_officers_claim_reaches_the_lifecycle_topic_through_the_outbox(system: System) -> None:
    queue, lifecycle = TopicWatch(topics.AGENCY_TASKS[Agency.PDRM]), TopicWatch(topics.TASK_EVENTS)
    try:
        assigned = _pdrm_task(system, queue)["payload"]
        task_id, case_id = assigned["task_id"], assigned["case_id"]
        officer = bearer(Role.OFFICER, Agency.PDRM, "pdrm-officer-outbox")
        code, claimed = post(f"{system.api}/v1/tasks/{task_id}/claim", {}, officer)
        assert code == 200, claimed

        def announced(e: dict) -> bool:
            # The two go to different partitions (keyed by task and by case): either may
            # arrive first.
            return (e["event_type"] == "TaskClaimed" and e["payload"]["task_id"] == task_id) or (
                e["event_type"] == "CaseStatusChanged" and e["payload"]["case_id"] == case_id
            )

        got = {e["event_type"]: e for e in (lifecycle.wait_for(announced) for _ in range(2))}
        event, changed = got["TaskClaimed"], got["CaseStatusChanged"]
    finally:
        queue.close()
        lifecycle.close()
    assert event["payload"]["actor"] == "pdrm-officer-outbox"
    assert event["producer"] == "api.tasks"
    assert changed["payload"]["current"] == "in_progress"
    assert changed["causation_id"] == event["event_id"]


def test_an_assignment_delivered_again_is_announced_as_received_as_the_first_time(
    system: System,
) -> None:
    """Had the agents stopped after recording the receipt and before announcing it, the
    redelivery was the only chance to announce it; it used to be dropped as a repeat."""
    queue, lifecycle = TopicWatch(topics.AGENCY_TASKS[Agency.PDRM]), TopicWatch(topics.TASK_EVENTS)
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka_bootstrap, acks="all")
    try:
        assigned = _pdrm_task(system, queue)
        task_id = assigned["payload"]["task_id"]

        def received(e: dict) -> bool:
            return e["event_type"] == "TaskReceived" and e["payload"]["task_id"] == task_id

        first = lifecycle.wait_for(received)
        topic = topics.AGENCY_TASKS[Agency.PDRM]
        producer.send(topic, key=task_id.encode(), value=json.dumps(assigned).encode()).get(30)
        again = lifecycle.wait_for(received)
    finally:
        producer.close()
        queue.close()
        lifecycle.close()
    assert again["event_id"] == first["event_id"]
    assert again["occurred_at"] == first["occurred_at"]
    assert again["causation_id"] == assigned["event_id"]
