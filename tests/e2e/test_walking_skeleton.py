"""One report travels from HTTP intake through Faust into Neo4j and an agency queue."""

import time
import urllib.request

from contracts import topics
from contracts.enums import Agency
from graph.driver import sync_driver
from runtime.settings import get_settings
from tests.e2e.conftest import System
from tests.e2e.http import get, public_report_and_task
from tests.e2e.kafka_probe import TopicWatch


def test_a_public_report_becomes_a_case_and_a_pdrm_task(system: System) -> None:
    watch = TopicWatch(topics.AGENCY_TASKS[Agency.PDRM])
    try:
        body = {
            "description": "Someone is grooming my 12 year old sister on chat",
            "suspected_categories": ["grooming"],
        }
        status, task = public_report_and_task(system.api, body, watch)
    finally:
        watch.close()
    report_id = status["report_id"]
    assert task["payload"]["agency"] == "PDRM"
    assert task["correlation_id"] == report_id
    with sync_driver(get_settings()) as driver:
        deadline = time.monotonic() + 20
        while True:
            records, _, _ = driver.execute_query(
                "MATCH (c:Case {id: $cid})-[:HAS_TASK]->(t:Task {id: $tid}) RETURN c.status AS status, t.received_at AS received",
                cid=status["case_id"],
                tid=task["payload"]["task_id"],
            )
            if records and records[0]["received"] is not None:
                break
            assert time.monotonic() < deadline, "the PDRM agent did not record the task as received"
            time.sleep(0.3)
    assert records[0]["status"] == "open"


def test_metrics_are_served_by_the_api(system: System) -> None:
    with urllib.request.urlopen(f"{system.api}/metrics", timeout=5) as response:
        text = response.read().decode()
    assert "ocsea_reports_accepted_total" in text


def test_openapi_lists_the_intake_doors(system: System) -> None:
    code, spec = get(f"{system.api}/openapi.json")
    assert code == 200
    assert {"/v1/reports", "/v1/reports/public", "/v1/reports/platform", "/v1/reports/ngo"} <= set(
        spec["paths"]
    )


def test_an_empty_anonymous_report_reaches_mcmcs_queue_for_review(system: System) -> None:
    """A public report may be anonymous and nearly empty; no rule routes it, and it used to
    sit in its case with no task: nobody was asked to read it."""
    watch = TopicWatch(topics.AGENCY_TASKS[Agency.MCMC])
    try:
        status, task = public_report_and_task(system.api, {"description": "please help"}, watch)
    finally:
        watch.close()
    assert task["payload"]["task_type"] == "report_review"
    assert status["priority"] == "P4"
