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
# Verification reads the whole chain, so a record must be cheap to read: the page comes as
# one row holding a list (the Python driver spends ~40 us on each record it reads, ~2 us on
# each map of one list), and the time as epoch seconds and microseconds (a driver DateTime
# cost ~90 us to decode, three quarters of the time; the hash spells the instant in UTC).
# Measured on a chain of 20,000: 114 us a record before, 64 as one row, ~15 as both.
TRAIL = """
MATCH (a:AuditRecord {chain: $chain})
WHERE a.seq > $after
WITH a ORDER BY a.seq ASC
LIMIT $limit
RETURN collect(a {.id, .chain, .actor, .role, .agency, .action, .case_id, .target, .purpose,
                  .prev_hash, .hash, .seq, at_s: a.at.epochSeconds, at_us: a.at.microsecond})
       AS records
"""

HEAD = """
MATCH (c:AuditChain {id: $chain})
RETURN c.head AS head, c.length AS length
"""
