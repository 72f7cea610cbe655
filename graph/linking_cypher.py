"""Cypher for linking a batch of reports into cases; every value is a parameter.

Queries that answer with many rows collect them into one list of maps (`AS rows`): the
Python driver spends ~40 µs on each record, and about 2 µs on each map of one list.
"""

# MERGE on the unique id serialises two deliveries of the same new report (a resend, a
# redelivery after a crash): the second waits for the first's commit, then sees it prepared.
# Reports linked before preparation was a step of its own have an outcome but no prepared_at.
LOCK_REPORTS = """
UNWIND $rids AS rid
MERGE (r:Report {id: rid})
RETURN collect({rid: rid,
                prepared: r.prepared_at IS NOT NULL OR r.outcome_json IS NOT NULL}) AS rows
"""

# One node, written by every decision: decisions run one at a time across all workers.
TAKE_DECISION_LOCK = """
MATCH (l:LinkDecisionLock {name: 'cases'})
SET l.taken = l.taken + 1
"""

READ_OUTCOMES = """
UNWIND $rids AS rid
MATCH (r:Report {id: rid})
RETURN collect({rid: rid, outcome: r.outcome_json}) AS rows
"""

# A report links through the identifiers it mentioned among their first $cap reports, unless
# an exclusion rule names them.
LINKABLE_KEYS = """
UNWIND $rids AS rid
MATCH (:Report {id: rid})-[x:MENTIONS]->(i:Identifier)
WHERE x.seq < $cap AND NOT coalesce(i.excluded, false)
RETURN collect({rid: rid, key: i.key}) AS rows
"""

UPSERT_REPORTS = """
UNWIND $rows AS row
MATCH (r:Report {id: row.rid})
SET r.channel = row.channel, r.received_at = $now, r.priority = row.priority,
    r.categories = row.categories, r.reasons = row.reasons, r.rules_version = row.rules_version,
    r.correlation_id = row.correlation_id, r.organisation_id = row.organisation_id,
    r.prepared_at = $now
FOREACH (_ IN CASE WHEN row.victim_ref IS NULL THEN [] ELSE [1] END |
  MERGE (v:Victim {ref: row.victim_ref})
  SET v.age = coalesce(row.victim_age, v.age),
      v.age_range = coalesce(row.victim_age_range, v.age_range)
  MERGE (r)-[c:CONCERNS]->(v)
    ON CREATE SET c.first_seen = $now, c.report_id = row.rid
  SET c.last_seen = $now)
"""

# Every report of an organisation points at one node; linking it last keeps that shared
# node's lock for the shortest time.
LINK_ORGANISATIONS = """
UNWIND $rows AS row
MATCH (r:Report {id: row.rid})
MERGE (o:Organisation {id: row.organisation_id})
MERGE (r)-[:SUBMITTED_BY]->(o)
"""

# Identifiers are merged in key order and each one is written (report_count), so the
# transaction holds its write lock until commit: a second worker that touches the same
# identifier waits here, then sees the cases this one wrote. `n` is how many reports of
# this batch mention it, so `prior` tells each of them how many came before.
UPSERT_IDENTIFIERS = """
UNWIND $identifiers AS ident
MERGE (i:Identifier {key: ident.key})
  ON CREATE SET i.kind = ident.kind, i.value = ident.value, i.report_count = 0,
                i.first_seen = $now
WITH i, ident, i.report_count AS prior
SET i.report_count = prior + ident.n, i.last_seen = $now, i.hub = prior + ident.n > $cap,
    i.excluded = EXISTS { MATCH (:ExclusionRule {key: ident.key}) }
// Labels and the platform edge are set once, when the identifier is new (prior = 0):
// re-merging an edge to a platform node with thousands of them costs time and its lock.
FOREACH (_ IN CASE WHEN prior = 0 AND ident.kind = 'account' THEN [1] ELSE [] END | SET i:Account)
FOREACH (_ IN CASE WHEN prior = 0 AND ident.kind = 'content' THEN [1] ELSE [] END | SET i:Content)
FOREACH (_ IN CASE WHEN prior > 0 OR ident.platform IS NULL THEN [] ELSE [1] END |
  MERGE (p:Platform {name: ident.platform})
  MERGE (i)-[:ON_PLATFORM]->(p))
RETURN collect({key: i.key, prior: prior, excluded: i.excluded}) AS rows
"""

MENTIONS = """
UNWIND $mentions AS m
MATCH (r:Report {id: m.rid}), (i:Identifier {key: m.key})
MERGE (r)-[x:MENTIONS]->(i)
  ON CREATE SET x.first_seen = $now, x.report_id = m.rid, x.seq = m.seq
SET x.last_seen = $now
"""

# A suspect is the person behind one reported account; USES shows every identifier that
# person was seen with, so two suspects sharing a phone stand side by side in the graph.
UPSERT_SUSPECTS = """
UNWIND $suspects AS s
MATCH (r:Report {id: s.rid})
MERGE (su:Suspect {id: s.key})
  ON CREATE SET su.first_seen = $now
SET su.last_seen = $now
MERGE (r)-[n:NAMES]->(su)
  ON CREATE SET n.first_seen = $now, n.report_id = s.rid
WITH su, s
UNWIND s.identifier_keys AS key
MATCH (i:Identifier {key: key})
MERGE (su)-[u:USES]->(i)
  ON CREATE SET u.first_seen = $now, u.report_id = s.rid
SET u.last_seen = $now
"""

# A report's case_id names the case it is part of (set when attached, moved with it by a
# merge): reading it costs one property, walking PART_OF costs a scan of the report's edges.
CASES_OF_KEYS = """
UNWIND $keys AS key
MATCH (:Identifier {key: key})<-[:MENTIONS]-(r:Report)
WHERE r.case_id IS NOT NULL
WITH key, collect(DISTINCT r.case_id) AS cases
RETURN collect({key: key, cases: cases}) AS rows
"""

# Cases found through identifiers are locked (by a real write: setting a property to its own
# value takes no lock), and a case merged meanwhile is followed to the case it merged into:
# a transaction that shares no identifier with a concurrent merge still never attaches a
# report to the case being merged away.
LOCK_LIVE_CASES = """
UNWIND $ids AS cid
MATCH (c:Case {id: cid})
SET c.lock_count = coalesce(c.lock_count, 0) + 1
WITH c
OPTIONAL MATCH (c)-[:MERGED_INTO*1..10]->(s:Case) WHERE s.status <> 'merged'
WITH c, coalesce(s, c) AS live
SET live.lock_count = coalesce(live.lock_count, 0) + 1
RETURN collect({found: c.id, live: live.id, opened_at: toString(live.opened_at)}) AS rows
"""

OPEN_CASES = """
UNWIND $cases AS row
MERGE (c:Case {id: row.cid})
  ON CREATE SET c.opened_at = $now, c.status = 'open', c.priority = row.priority,
                c.categories = [], c.report_count = 0, c.opened_by_report = row.rid
"""

# The merge is recorded on MERGED_INTO with the reports and tasks it moved, so that it
# can be undone later.
MERGE_CASES = """
MATCH (s:Case {id: $survivor})
UNWIND $losers AS loser_id
MATCH (l:Case {id: loser_id})
OPTIONAL MATCH (rep:Report)-[p:PART_OF]->(l)
WITH s, l, collect(rep) AS reps, collect(p) AS parts
FOREACH (rel IN parts | DELETE rel)
FOREACH (rep IN reps |
  MERGE (rep)-[np:PART_OF]->(s) ON CREATE SET np.at = $now, np.via_merge = true
  SET rep.case_id = s.id)
WITH s, l, reps
OPTIONAL MATCH (l)-[ht:HAS_TASK]->(t:Task)
WITH s, l, reps, collect(t) AS tasks, collect(ht) AS has
FOREACH (rel IN has | DELETE rel)
FOREACH (t IN tasks | MERGE (s)-[:HAS_TASK]->(t) SET t.case_id = s.id)
MERGE (l)-[m:MERGED_INTO]->(s)
SET m.reason = $reason, m.at = $now, m.report_id = $rid,
    m.moved_reports = [x IN reps | x.id], m.moved_tasks = [x IN tasks | x.id],
    l.status = 'merged', l.merged_into = s.id,
    s.report_count = s.report_count + size(reps),
    s.priority = CASE WHEN l.priority < s.priority THEN l.priority ELSE s.priority END,
    s.categories = [x IN s.categories WHERE NOT x IN l.categories] + l.categories
"""

# After merges a survivor may hold two open tasks of one type and target (one from each
# case): the oldest stays, the others close as superseded, pointing at it. Run once per
# batch, for every survivor of its merges.
SUPERSEDE_DUPLICATE_TASKS = """
UNWIND $survivors AS survivor
MATCH (:Case {id: survivor})-[:HAS_TASK]->(t:Task)
WHERE NOT t.status IN ['completed', 'declined', 'superseded']
WITH survivor, t ORDER BY t.created_at, t.id
WITH survivor, t.task_type AS task_type, t.target AS target, collect(t) AS same
WHERE size(same) > 1
UNWIND same[1..] AS extra
SET extra.status = 'superseded', extra.superseded_by = same[0].id, extra.updated_at = $now
"""

ATTACH_REPORTS = """
UNWIND $rows AS row
MATCH (r:Report {id: row.rid}), (c:Case {id: row.cid})
MERGE (r)-[p:PART_OF]->(c)
  ON CREATE SET p.at = $now
SET c.report_count = c.report_count + 1, c.updated_at = $now,
    c.priority = CASE WHEN row.priority < c.priority THEN row.priority ELSE c.priority END,
    c.categories = [x IN c.categories WHERE NOT x IN row.categories] + row.categories
"""

# The open task, if any, of each planned (case, type, target) slot: an index seek per slot
# (migration 0006) instead of reading every task of a case, which for a large merged case
# means thousands. Due times travel as text: the driver's DateTime costs more to decode.
OPEN_TASKS = """
UNWIND $slots AS slot
MATCH (t:Task {case_id: slot.cid, task_type: slot.task_type, target: slot.target})
WHERE NOT t.status IN ['completed', 'declined', 'superseded']
RETURN collect({cid: slot.cid, id: t.id, task_type: t.task_type, target: t.target,
                priority: t.priority, due_at: toString(t.due_at)}) AS rows
"""

# claim_by: when an unclaimed task becomes an SLA breach (its share of the time from creation
# to due), stored so the SLA check finds breaches by index instead of reading every task.
CREATE_TASKS = """
UNWIND $tasks AS t
MATCH (c:Case {id: t.case_id})
MERGE (task:Task {id: t.task_id})
  ON CREATE SET task.agency = t.agency, task.task_type = t.task_type, task.target = t.target,
                task.priority = t.priority, task.due_at = datetime(t.due_at),
                task.reasons = t.reasons, task.status = 'assigned', task.created_at = $now,
                task.case_id = t.case_id,
                task.claim_by = datetime({epochMillis: $now.epochMillis + toInteger(
                  $share * (datetime(t.due_at).epochMillis - $now.epochMillis))})
MERGE (c)-[:HAS_TASK]->(task)
"""

UPDATE_TASKS = """
UNWIND $tasks AS t
MATCH (task:Task {id: t.task_id})
SET task.priority = t.priority, task.due_at = datetime(t.due_at), task.reasons = t.reasons,
    task.updated_at = $now,
    task.claim_by = datetime({epochMillis: task.created_at.epochMillis + toInteger(
      $share * (datetime(t.due_at).epochMillis - task.created_at.epochMillis))})
"""

SAVE_OUTCOMES = """
UNWIND $rows AS row
MATCH (r:Report {id: row.rid})
SET r.outcome_json = row.outcome, r.case_id = row.cid
"""
