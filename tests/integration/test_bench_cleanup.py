"""The bench's cleanup (bench/cleanup.py) against the real Neo4j: a run's open tasks are
declined, its closed ones and everybody else's are left as they were."""

from neo4j import AsyncDriver, Driver

from bench.cleanup import REASON, close_run_tasks
from contracts.enums import Agency
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
