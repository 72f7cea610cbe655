// The SLA check finds unclaimed breaches by (status, claim_by) instead of reading every
// task: claim_by = created_at + share * (due_at - created_at), set by the linker.
CREATE INDEX task_status_claim_by IF NOT EXISTS FOR (n:Task) ON (n.status, n.claim_by);
// Tasks created before claim_by existed get it with the default share (0.25).
MATCH (t:Task)
WHERE t.claim_by IS NULL AND t.created_at IS NOT NULL AND t.due_at IS NOT NULL
CALL (t) {
  SET t.claim_by = datetime({epochMillis: t.created_at.epochMillis
    + toInteger(0.25 * (t.due_at.epochMillis - t.created_at.epochMillis))})
} IN TRANSACTIONS OF 10000 ROWS;
