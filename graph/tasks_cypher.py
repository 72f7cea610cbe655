"""Cypher for the agency side of tasks; every value is a parameter."""

# Receiving is idempotent: the first delivery sets received_at, redeliveries change nothing.
MARK_RECEIVED = """
MATCH (t:Task {id: $task_id})
WITH t, t.received_at IS NULL AS first_time
SET t.received_at = coalesce(t.received_at, $now),
    t.status = CASE WHEN t.status = 'assigned' THEN 'received' ELSE t.status END
RETURN first_time, t.status AS status
"""
