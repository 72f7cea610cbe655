// The linker looks up a case's open task by (case, type, target) for every planned task;
// expanding HAS_TASK instead reads every task of a case, thousands for a large merged one.
CREATE INDEX task_slot IF NOT EXISTS FOR (n:Task) ON (n.case_id, n.task_type, n.target);
// Tasks and reports name their live case (a merge moves both); repair any that do not, so
// lookups by these properties agree with the HAS_TASK and PART_OF edges.
MATCH (c:Case)-[:HAS_TASK]->(t:Task)
WHERE c.status <> 'merged' AND (t.case_id IS NULL OR t.case_id <> c.id)
CALL (c, t) { SET t.case_id = c.id } IN TRANSACTIONS OF 10000 ROWS;
MATCH (r:Report)-[:PART_OF]->(c:Case)
WHERE r.case_id IS NULL OR r.case_id <> c.id
CALL (c, r) { SET r.case_id = c.id } IN TRANSACTIONS OF 10000 ROWS;
// Account and Content nodes are Identifiers, whose key is already unique: these two
// constraints only cost index updates on every new identifier.
DROP CONSTRAINT account_key IF EXISTS;
DROP CONSTRAINT content_key IF EXISTS;
