"""Cypher for officer actions and SLA escalations on tasks; every value is a parameter.

An action is three statements and sometimes a fourth (lock and read, update, record on the
case, set the case status): each round trip costs both processes CPU, and the SLA check
runs one action per breached task.
"""

from graph.tasks_cypher import TASK_FIELDS

# A real write takes the node's write lock (setting a property to its own value may not):
# a second transaction on the same task waits here and then reads what the first
# committed, so two officers claiming at once cannot both see 'assigned'. The fields are
# read after the SET, in the same statement, so under the lock.
LOCK_AND_READ_TASK = f"""
MATCH (t:Task {{id: $task_id}})
SET t.lock_count = coalesce(t.lock_count, 0) + 1
RETURN {TASK_FIELDS}
"""

# Only the properties the action changes are passed in $props; escalated_at is in them only
# when it was still unset, so it is written once. Answers with the task as it now is.
UPDATE_TASK = f"""
MATCH (t:Task {{id: $task_id}})
SET t += $props
RETURN {TASK_FIELDS}
"""

# The case's timeline counter also takes the case's write lock, so two tasks of one case
# changing at once recompute the case status one after the other, each seeing the other.
# Answers with the case's status and its tasks' statuses, read under that lock.
APPEND_TIMELINE = """
MATCH (c:Case {id: $case_id})
SET c.timeline_seq = coalesce(c.timeline_seq, 0) + 1
CREATE (e:TimelineEntry {id: $entry_id, seq: c.timeline_seq, at: $now, kind: $kind,
                         agency: $agency, actor: $actor, task_id: $task_id,
                         summary: $summary})
CREATE (c)-[:HAS_EVENT]->(e)
WITH c
OPTIONAL MATCH (c)-[:HAS_TASK]->(t:Task)
RETURN c.status AS status, [s IN collect(t.status) WHERE s <> 'superseded'] AS statuses
"""

SET_CASE_STATUS = """
MATCH (c:Case {id: $case_id})
SET c.status = $status, c.status_changed_at = $now, c.updated_at = $now
"""

TIMELINE = """
MATCH (:Case {id: $case_id})-[:HAS_EVENT]->(e:TimelineEntry)
RETURN e.seq AS seq, e.at AS at, e.kind AS kind, e.agency AS agency, e.actor AS actor,
       e.task_id AS task_id, e.summary AS summary
ORDER BY e.seq
"""
