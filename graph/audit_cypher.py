"""Cypher for the audit trail; every value is a parameter.

Append-only by construction: there is a CREATE for AuditRecord and reads, and no query that
sets, removes or deletes anything on an AuditRecord.
"""

# Writing the chain node (its length) takes its write lock before head is read: a second
# append on the same chain waits here until the first commits, then reads the new head, so
# concurrent appends still form one chain. MERGE on the unique id creates the chain once.
LOCK_CHAIN = """
MERGE (c:AuditChain {id: $chain})
  ON CREATE SET c.head = '', c.head_id = null, c.length = 0, c.created_at = $at
SET c.length = c.length + 1
RETURN c.head AS head, c.head_id AS head_id, c.length AS seq
"""

CREATE_RECORD = """
MATCH (c:AuditChain {id: $chain})
CREATE (a:AuditRecord {
  id: $record_id, chain: $chain, seq: $seq, actor: $actor, role: $role, agency: $agency,
  action: $action, case_id: $case_id, target: $target, purpose: $purpose, at: $at,
  prev_hash: $prev_hash, hash: $hash
})
SET c.head = $hash, c.head_id = $record_id
WITH a
OPTIONAL MATCH (p:AuditRecord {id: $head_id})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (a)-[:PREV]->(p))
"""

# seq is the position in the chain (1 = first); the trail is read from the start so that a
# page always begins where verification can start (prev_hash '').
TRAIL = """
MATCH (a:AuditRecord {chain: $chain})
WHERE a.seq > $after
RETURN a {.*} AS record
ORDER BY a.seq ASC
LIMIT $limit
"""

HEAD = """
MATCH (c:AuditChain {id: $chain})
RETURN c.head AS head, c.length AS length
"""
