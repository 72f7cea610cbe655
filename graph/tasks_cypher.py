"""Cypher for the agency side of tasks and task reads; every value is a parameter."""

# Receiving is idempotent: the first delivery sets received_at, redeliveries change nothing
# and read it back, so that the agent can announce the receipt again exactly as the first
# time (only then: the driver's DateTime costs more to decode than nothing).
# The ids come inside a map: Neo4j's plan cache is keyed on list parameters' sizes too
# (graph/linking_cypher.py), and batches of receipts vary in size.
# Only the queue's own agency's tasks: an assignment on MCMC's topic naming a PDRM task's id
# marked the PDRM task received. Each task is locked before received_at is read (as
# LOCK_AND_READ_TASK does): read first, two deliveries of one task at once both took
# themselves for the first, and each announced its own time.
# A task an officer claimed, declined or completed (or a merge superseded, or the SLA check
# escalated) before its assignment reached the queue is not received after it: its receipt,
# written and announced then, came after the close on the task's partition, and a consumer
# following statuses in order moved the task back ('taken': nothing written, nothing said).
MARK_RECEIVED = """
UNWIND $batch.task_ids AS task_id
MATCH (t:Task {id: task_id})
WHERE t.agency = $agency
SET t.lock_count = coalesce(t.lock_count, 0) + 1
WITH t, t.received_at IS NULL AS first_time,
     t.received_at IS NULL AND t.status <> 'assigned' AS taken
SET t.received_at = CASE WHEN taken THEN null ELSE coalesce(t.received_at, $now) END,
    t.status = CASE WHEN t.status = 'assigned' THEN 'received' ELSE t.status END
RETURN collect({task_id: t.id, first_time: first_time, taken: taken,
                received_at: CASE WHEN first_time THEN null ELSE t.received_at END}) AS rows
"""

# The case is the live (not merged) one holding the task: one row per task, even where a
# merged case still holds an edge to it.
TASK_FIELDS = """
t.id AS task_id,
coalesce(head([(c:Case)-[:HAS_TASK]->(t) WHERE c.status <> 'merged' | c.id]), t.case_id)
  AS case_id, t.agency AS agency,
t.task_type AS task_type, t.target AS target, t.priority AS priority, t.status AS status,
t.due_at AS due_at, t.claimed_by AS claimed_by, t.outcome_code AS outcome_code,
t.outcome_note AS outcome_note, t.content_removed_at AS content_removed_at,
t.reason AS reason, t.created_at AS created_at, t.updated_at AS updated_at,
t.escalated_at AS escalated_at, t.overdue_escalated_at AS overdue_escalated_at,
coalesce(t.first_claimed_at, t.claimed_at) AS first_claimed_at,
t.superseded_by AS superseded_by, t.closed_by AS closed_by
"""

READ_TASK = f"""
MATCH (t:Task {{id: $task_id}})
RETURN {TASK_FIELDS}
"""


# $after is the last task of the page before (priority, due_at, id): the next page starts
# after it in the queue's order, so that tasks an officer closed on one page, or new urgent
# ones, do not shift what the next page shows (SKIP $offset skipped some, repeated others).
# The statuses are always named: `$statuses IS NULL OR ...` kept Neo4j off the (agency,
# status) index, and every page read every task ever created (~1 s at 930,000 tasks). The
# hint keeps the seek on a graph with few tasks too, where a label scan can look cheaper.
LIST_TASKS = f"""
MATCH (t:Task)
USING INDEX t:Task(agency, status)
WHERE t.agency = $agency AND t.status IN $statuses
  AND ($after IS NULL OR t.priority > $after.priority
       OR (t.priority = $after.priority AND (t.due_at > $after.due_at
           OR (t.due_at = $after.due_at AND t.id > $after.task_id))))
WITH t ORDER BY t.priority, t.due_at, t.id
SKIP $offset LIMIT $limit
RETURN {TASK_FIELDS}
"""

# Overdue wins over unclaimed: it is the stronger reason. Each is raised once per task: a
# task escalated as unclaimed (or by an officer) is escalated again when it goes overdue,
# claimed since or not, so that a deadline never passes without an alarm; a task escalated
# as overdue (overdue_escalated_at set) is never picked again, even after a new claim. Both
# branches are range seeks on (status, due_at) and (status, claim_by): only breaches are
# read (and the escalated tasks past their deadline that nobody has acted on yet), not every
# task ever created, which a pass every 30 s could not afford on a large graph.
SLA_BREACHES = """
CALL () {
  MATCH (t:Task)
  WHERE t.status IN ['assigned', 'received', 'claimed', 'in_progress', 'escalated']
    AND t.due_at < $now AND t.overdue_escalated_at IS NULL
  RETURN t, 'overdue' AS reason
  UNION
  MATCH (t:Task)
  WHERE t.status IN ['assigned', 'received'] AND t.claim_by < $now AND t.due_at >= $now
    AND t.escalated_at IS NULL
  RETURN t, 'unclaimed' AS reason
}
// Past the tasks this pass already tried and could not escalate (graph.tasks).
WITH t, reason WHERE NOT t.id IN $skip.ids
WITH t, reason ORDER BY t.due_at, t.id LIMIT $limit
RETURN t.id AS task_id, reason
"""
