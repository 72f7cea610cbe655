"""After a run: close the tasks the run's reports made, so that nobody's SLA check escalates
them later.

A run leaves tens of thousands of tasks nobody will claim. A quarter of their time to due
later (15 minutes for P1) the SLA check escalated them all: for minutes it took about a
core, and a benchmark or a test suite run then shared the machine with it (README,
Benchmark). The tasks are declined with a reason that says why, by a direct graph write:
the bench is a harness, not an officer, and announces nothing. Reports, cases and the
graph they make stay, as the graph would grow in service.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from neo4j import Driver

from contracts.enums import OPEN_TASK_STATUSES

REASON = "closed by the benchmark run that created it"

# Through the reports' cases; each case's open tasks by the (case_id, status) index.
CLOSE_TASKS = """
UNWIND $batch.rids AS rid
MATCH (r:Report {id: rid}) WHERE r.case_id IS NOT NULL
WITH DISTINCT r.case_id AS cid
MATCH (t:Task {case_id: cid}) WHERE t.status IN $batch.open
SET t.status = 'declined', t.reason = $reason, t.updated_at = $now
RETURN count(t) AS closed
"""

CHUNK = 5_000


def close_run_tasks(driver: Driver, database: str, report_ids: Sequence[str]) -> int:
    """Decline every open task of the cases these reports are in; return how many."""
    closed = 0
    for start in range(0, len(report_ids), CHUNK):
        batch = {"rids": list(report_ids[start : start + CHUNK]), "open": OPEN_TASK_STATUSES}
        records, _, _ = driver.execute_query(
            CLOSE_TASKS, batch=batch, reason=REASON, now=datetime.now(UTC), database_=database
        )
        closed += int(records[0]["closed"])
    return closed
