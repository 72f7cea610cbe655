"""A stream worker killed while it works: its reports are linked by the other, none lost,
none twice, and one identifier still one case.

The killed worker stops without a word to Kafka (SIGKILL): what it had triaged, prepared or
decided but not committed comes again to the worker that takes its partitions, once Kafka
gives up waiting for it (its session timeout, 8 s here).
"""

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest
from kafka import KafkaProducer
from neo4j import Driver

from contracts import topics
from contracts.enums import OPEN_TASK_STATUSES, Channel
from contracts.registry import encode_event
from graph.driver import sync_driver
from runtime.settings import get_settings
from tests.e2e.conftest import System, extra_worker
from tests.e2e.kafka_probe import TopicWatch
from tests.factories import account, platform_report, unique

GROUPS, PER_GROUP = 300, 10  # reports sharing one account each: one case a group
SESSION_TIMEOUT_S = 8
WEB_PORT = "16069"


@pytest.fixture
def doomed_worker(system: System) -> Iterator[subprocess.Popen]:
    """A second stream worker, which the test kills (the system's worker has taken its
    partitions by the time every report is linked)."""
    timeout = {"OCSEA_KAFKA_SESSION_TIMEOUT_S": str(SESSION_TIMEOUT_S)}
    with extra_worker(system, "streams-doomed", WEB_PORT, **timeout) as proc:
        yield proc


def _batches_linked(port: str) -> float:
    """Batches the worker on this port has linked (its linker stage's count)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith('ocsea_stage_seconds_count{stage="linker"}'):
                return float(line.split()[-1])
    return 0.0


def _linked(driver: Driver, ids: list[str]) -> int:
    records, _, _ = driver.execute_query(
        "MATCH (r:Report) WHERE r.id IN $ids AND r.case_id IS NOT NULL RETURN count(r) AS n",
        ids=ids,
    )
    return int(records[0]["n"])


def test_a_worker_killed_mid_stream_loses_no_report(doomed_worker: subprocess.Popen) -> None:
    shared = [account(unique("shared-")) for _ in range(GROUPS)]
    events = [
        platform_report(accounts=[shared[g], account(unique("own-"))])
        for g in range(GROUPS)
        for _ in range(PER_GROUP)
    ]
    ids = [str(e.payload.report_id) for e in events]
    watch = TopicWatch(topics.CASE_EVENTS)
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka_bootstrap, acks="all")
    try:
        for event in events:  # keyed by report id: every partition, so both workers
            producer.send(
                topics.INTAKE[Channel.PLATFORM],
                key=str(event.payload.report_id).encode(),
                value=encode_event(event),
            )
        producer.flush(timeout=30)
        deadline = time.monotonic() + 60
        while _batches_linked(WEB_PORT) < 1:
            assert time.monotonic() < deadline, "the second worker linked nothing in 60 s"
            time.sleep(0.05)
        os.kill(doomed_worker.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        doomed_worker.wait(timeout=10)

        with sync_driver(get_settings()) as driver:
            deadline = time.monotonic() + 120
            while (done := _linked(driver, ids)) < len(ids):
                assert time.monotonic() < deadline, f"{len(ids) - done} reports never linked"
                time.sleep(0.5)
            finished_at = time.monotonic()
            # Reports of the killed worker's partitions waited for its session to end: had
            # it finished its share before it was killed, this test would show nothing.
            assert finished_at - killed_at > SESSION_TIMEOUT_S / 2, (
                "every report was linked before the killed worker's partitions moved: "
                "send more reports"
            )
            parts, _, _ = driver.execute_query(
                "MATCH (r:Report) WHERE r.id IN $ids "
                "RETURN r.id AS id, r.case_id AS case_id, COUNT { (r)-[:PART_OF]->() } AS parts",
                ids=ids,
            )
            assert sorted(r["parts"] for r in parts) == [1] * len(ids)  # one case each
            case_of = {r["id"]: r["case_id"] for r in parts}
            cases = {case_of[i] for i in ids}
            for g in range(GROUPS):  # one account, one case, whichever worker linked it
                group = ids[g * PER_GROUP : (g + 1) * PER_GROUP]
                assert len({case_of[i] for i in group}) == 1
            assert len(cases) == GROUPS
            duplicates, _, _ = driver.execute_query(
                "MATCH (t:Task) WHERE t.case_id IN $cases AND t.status IN $open "
                "WITH t.case_id AS c, t.task_type AS k, t.target AS x, count(*) AS n "
                "WHERE n > 1 RETURN count(*) AS slots",
                cases=sorted(cases),
                open=list(OPEN_TASK_STATUSES),
            )
            assert duplicates[0]["slots"] == 0  # no task twice for one case, type, target

        # And each report's case event was published.
        announced: set[str] = set()
        wanted = set(ids)
        while announced != wanted:
            said = watch.wait_for(lambda e: e["correlation_id"] in wanted, seconds=30)
            announced.add(said["correlation_id"])
    finally:
        producer.close()
        watch.close()
