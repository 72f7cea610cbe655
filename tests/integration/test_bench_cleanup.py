"""The bench's cleanup (bench/cleanup.py) against the real Neo4j: a run's open tasks are
declined, its closed ones and everybody else's are left as they were."""

import argparse

from neo4j import AsyncDriver, Driver

from bench.cleanup import REASON, close_run_tasks
from bench.linking_profile import profile
from contracts.enums import OPEN_TASK_STATUSES, Agency
from contracts.lifecycle import TaskOutcome
from graph.lifecycle import Action
from graph.tasks import get_task
from runtime.settings import Settings
from tests.integration.test_lifecycle import act, make_case


async def _report_of(driver: AsyncDriver, case_id: str) -> str:
    records, _, _ = await driver.execute_query(
        "MATCH (r:Report {case_id: $cid}) RETURN r.id AS rid", cid=case_id
    )
    (record,) = records
    return str(record["rid"])


async def test_a_runs_open_tasks_are_declined_and_nothing_else(
    neo4j: AsyncDriver, neo4j_sync: Driver, settings: Settings
) -> None:
    run_case, run_tasks = await make_case(neo4j)
    other_case, other_tasks = await make_case(neo4j)
    await act(neo4j, run_tasks[Agency.PDRM], Action.CLAIM, Agency.PDRM)
    arrest = TaskOutcome(code="arrest")
    await act(neo4j, run_tasks[Agency.PDRM], Action.COMPLETE, Agency.PDRM, outcome=arrest)
    rids = [await _report_of(neo4j, run_case), "not-a-report-of-this-graph"]

    assert close_run_tasks(neo4j_sync, settings.neo4j_database, rids) == 2

    for agency, task_id in run_tasks.items():
        task = await get_task(neo4j, task_id)
        assert task is not None
        if agency == Agency.PDRM:  # completed before: left so
            assert task.status == "completed"
        else:
            assert (task.status, task.reason) == ("declined", REASON)
    for task_id in other_tasks.values():
        task = await get_task(neo4j, task_id)
        assert task is not None and task.status == "assigned"
    # Run again (a second cleanup, or a run that reuses the ids): nothing left to close.
    assert close_run_tasks(neo4j_sync, settings.neo4j_database, rids) == 0


async def test_the_linking_profiler_leaves_none_of_its_tasks_open(neo4j: AsyncDriver) -> None:
    """Left open, a profile's tasks were escalated by the SLA check minutes later, in the
    middle of whatever ran next."""
    args = argparse.Namespace(reports=60, batch=30, cap=50, seed=5, db_hits=False)
    rids = await profile(args)
    assert len(rids) == 60
    records, _, _ = await neo4j.execute_query(
        "UNWIND $rids AS rid MATCH (r:Report {id: rid}) "
        "MATCH (t:Task {case_id: r.case_id}) "
        "WITH DISTINCT r, t "
        "RETURN count(DISTINCT r) AS reports, count(DISTINCT t) AS tasks, "
        "[s IN collect(t.status) WHERE s IN $open] AS open, "
        "count(CASE WHEN t.status = 'declined' AND t.reason = $reason THEN t END) AS declined",
        rids=rids,
        open=OPEN_TASK_STATUSES,
        reason=REASON,
    )
    (found,) = records
    assert found["reports"] == 60 and found["tasks"] > 0
    assert found["open"] == []
    # Closed by the profiler (the others a merge of the run superseded).
    assert found["declined"] > 0
