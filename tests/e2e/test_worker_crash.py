"""A stream worker killed while it works: its reports are linked by the other, none lost,
none twice, and one identifier still one case. An agents process killed while it works: every
task is received and its receipt announced.

The killed process stops without a word to Kafka (SIGKILL): what it had done but not
committed comes again to the process that takes its partitions, once Kafka gives up waiting
for it (its session timeout, 8 s here).
"""

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from kafka import KafkaProducer
from neo4j import Driver

from contracts import topics
from contracts.enums import OPEN_TASK_STATUSES, Channel
from contracts.registry import encode_event
from contracts.reports import ReportSubmitted
from graph.driver import sync_driver
from runtime.settings import get_settings
from tests.e2e.conftest import System, extra_worker
from tests.e2e.http import metric_sum
from tests.e2e.kafka_probe import TopicWatch
from tests.factories import account, platform_report, unique

GROUPS, PER_GROUP = 300, 10  # reports sharing one account each: one case a group
AGENT_REPORTS = 1_500  # each a case of its own, with its tasks
SESSION_TIMEOUT_S = 8
WEB_PORT, AGENTS_WEB_PORT = "16069", "16070"
LINKED = 'ocsea_stage_seconds_count{stage="linker"}'
RECEIVED = "ocsea_tasks_received_total{"


@pytest.fixture
def doomed_worker(system: System) -> Iterator[subprocess.Popen]:
    """A second stream worker, which the test kills (the system's worker has taken its
    partitions by the time every report is linked)."""
    timeout = {"OCSEA_KAFKA_SESSION_TIMEOUT_S": str(SESSION_TIMEOUT_S)}
    with extra_worker(system, "streams-doomed", WEB_PORT, **timeout) as proc:
        yield proc


@pytest.fixture
def doomed_agents(system: System) -> Iterator[subprocess.Popen]:
    """A second agents process, which the test kills."""
    timeout = {"OCSEA_KAFKA_SESSION_TIMEOUT_S": str(SESSION_TIMEOUT_S)}
    with extra_worker(system, "agents-doomed", AGENTS_WEB_PORT, "agents", **timeout) as proc:
        yield proc


def _kill_once_it_works(proc: subprocess.Popen, port: str, prefix: str) -> float:
    """SIGKILL `proc` once its metric `prefix` counts work done; the time it was killed."""
    deadline = time.monotonic() + 60
    while metric_sum(port, prefix) < 1:
        assert time.monotonic() < deadline, f"the process to kill did nothing in 60 s ({prefix})"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    proc.wait(timeout=10)
    return killed_at


def _send(events: list[ReportSubmitted]) -> None:
    """Platform reports onto their intake topic, keyed by report id: every partition."""
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka_bootstrap, acks="all")
    try:
        for event in events:
            producer.send(
                topics.INTAKE[Channel.PLATFORM],
                key=str(event.payload.report_id).encode(),
                value=encode_event(event),
            )
        producer.flush(timeout=30)
    finally:
        producer.close()


def _until(done: Callable[[], bool], what: str, seconds: float = 120) -> float:
    """Wait for `done`; the time it became true."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.5)
    return time.monotonic()


def _took_over(killed_at: float, finished_at: float) -> None:
    # Work of the killed process's partitions waited for its session to end: had it finished
    # its share before it was killed, the test would show nothing.
    assert finished_at - killed_at > SESSION_TIMEOUT_S / 2, (
        "all was done before the killed process's partitions moved: send more reports"
    )


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
    try:
        _send(events)
        killed_at = _kill_once_it_works(doomed_worker, WEB_PORT, LINKED)
        with sync_driver(get_settings()) as driver:
            finished_at = _until(lambda: _linked(driver, ids) == len(ids), "every report linked")
            _took_over(killed_at, finished_at)
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
        _each_said(watch, "correlation_id", set(ids))
    finally:
        watch.close()


def test_agents_killed_mid_stream_receive_and_announce_every_task(
    doomed_agents: subprocess.Popen,
) -> None:
    events = [platform_report(accounts=[account(unique("own-"))]) for _ in range(AGENT_REPORTS)]
    ids = [str(e.payload.report_id) for e in events]
    watch = TopicWatch(topics.TASK_EVENTS, event_type="TaskReceived")
    try:
        _send(events)
        killed_at = _kill_once_it_works(doomed_agents, AGENTS_WEB_PORT, RECEIVED)
        with sync_driver(get_settings()) as driver:

            def tasks() -> tuple[int, list[str], int]:
                records, _, _ = driver.execute_query(
                    "MATCH (r:Report) WHERE r.id IN $ids "
                    "OPTIONAL MATCH (r)-[:PART_OF]->(:Case)-[:HAS_TASK]->(t:Task) "
                    "RETURN count(DISTINCT r) AS reports, collect(DISTINCT t.id) AS tasks, "
                    "count(DISTINCT CASE WHEN t.received_at IS NOT NULL THEN t END) AS received",
                    ids=ids,
                )
                row = records[0]
                return row["reports"], row["tasks"], row["received"]

            def all_received() -> bool:
                reports, task_ids, received = tasks()
                return (
                    reports == len(ids)
                    and _linked(driver, ids) == len(ids)
                    and (received == len(task_ids) > 0)
                )

            finished_at = _until(all_received, "every task received")
            _took_over(killed_at, finished_at)
            _, task_ids, _ = tasks()
        assert len(task_ids) >= len(ids)  # a task a report at least
        _each_said(watch, "task_id", set(task_ids))
    finally:
        watch.close()


def _each_said(watch: TopicWatch, field: str, wanted: set[str]) -> None:
    """Each of `wanted` is named (`field` of the event or of its payload) by an event."""
    said: set[str] = set()

    def named(event: dict[str, Any]) -> str | None:
        value = event.get(field) or event.get("payload", {}).get(field)
        return value if value in wanted else None

    while said != wanted:
        event = watch.wait_for(lambda e: named(e) is not None, seconds=30)
        said.add(str(named(event)))
