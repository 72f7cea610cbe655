// The SLA check raises 'overdue' once per task, escalated before or not, and marks it with
// overdue_escalated_at (graph.tasks_cypher.SLA_BREACHES). Tasks the earlier code escalated
// as overdue carry only escalated_at and reason 'overdue': marked, so they are not
// escalated a second time. Tasks escalated as unclaimed or by an officer are left unmarked:
// if they are past their deadline now, that alarm has never been raised.
MATCH (t:Task)
WHERE t.overdue_escalated_at IS NULL AND t.escalated_at IS NOT NULL AND t.reason = 'overdue'
CALL (t) {
  SET t.overdue_escalated_at = t.escalated_at
} IN TRANSACTIONS OF 10000 ROWS;
