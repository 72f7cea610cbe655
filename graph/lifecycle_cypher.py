"""Cypher for officer actions and SLA escalations on tasks; every value is a parameter."""

# A real write takes the node's write lock (setting a property to its own value may not):
# a second transaction on the same task waits here and then reads what the first
# committed, so two officers claiming at once cannot both see 'assigned'.
LOCK_TASK = """
MATCH (t:Task {id: $task_id})
SET t.lock_count = coalesce(t.lock_count, 0) + 1
RETURN t.id AS id
"""

# Only the properties the action changes are passed in $props; escalated_at is in them only
# when it was still unset, so it is written once.
UPDATE_TASK = "MATCH (t:Task {id: $task_id}) SET t += $props"

# The case's timeline counter also takes the case's write lock, so two tasks of one case
# changing at once recompute the case status one after the other, each seeing the other.
APPEND_TIMELINE = """
MATCH (c:Case {id: $case_id})
SET c.timeline_seq = coalesce(c.timeline_seq, 0) + 1
CREATE (e:TimelineEntry {id: $entry_id, seq: c.timeline_seq, at: $now, kind: $kind,
                         agency: $agency, actor: $actor, task_id: $task_id,
                         summary: $summary})
CREATE (c)-[:HAS_EVENT]->(e)
"""

CASE_TASK_STATUSES = """
MATCH (c:Case {id: $case_id})
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
