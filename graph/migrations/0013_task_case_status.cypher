// Which statuses a case's tasks have, one seek per status: a decision that merges cases or
// gives a closed case new tasks recomputes the case's status without reading every task.
CREATE INDEX task_case_status IF NOT EXISTS FOR (n:Task) ON (n.case_id, n.status);
CALL db.awaitIndexes(600);
