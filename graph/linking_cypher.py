"""Cypher for linking a report into a case; every value is a parameter."""

# Taking the report's write lock first serialises two deliveries of the same report (a
# resend, a redelivery after a crash): the second waits, then reads the first's outcome.
LOCK_REPORT = """
MERGE (r:Report {id: $rid})
SET r.id = $rid
RETURN r.outcome_json AS outcome
"""

UPSERT_REPORT = """
MATCH (r:Report {id: $rid})
SET r.channel = $channel, r.received_at = $now, r.priority = $priority,
    r.categories = $categories, r.reasons = $reasons, r.rules_version = $rules_version,
    r.correlation_id = $correlation_id
FOREACH (_ IN CASE WHEN $organisation_id IS NULL THEN [] ELSE [1] END |
  MERGE (o:Organisation {id: $organisation_id})
  MERGE (r)-[:SUBMITTED_BY]->(o))
FOREACH (_ IN CASE WHEN $victim_ref IS NULL THEN [] ELSE [1] END |
  MERGE (v:Victim {ref: $victim_ref})
  SET v.age = coalesce($victim_age, v.age), v.age_range = coalesce($victim_age_range, v.age_range)
  MERGE (r)-[c:CONCERNS]->(v)
    ON CREATE SET c.first_seen = $now, c.report_id = $rid
  SET c.last_seen = $now)
"""

# Identifiers are merged in key order and each one is written (report_count), so the
# transaction holds its write lock until commit: a second worker that touches the same
# identifier waits here, then sees the case this one opened.
UPSERT_IDENTIFIERS = """
MATCH (r:Report {id: $rid})
UNWIND $identifiers AS ident
MERGE (i:Identifier {key: ident.key})
  ON CREATE SET i.kind = ident.kind, i.value = ident.value, i.report_count = 0,
                i.first_seen = $now
WITH r, i, ident, i.report_count AS prior
SET i.report_count = prior + 1, i.last_seen = $now, i.hub = prior + 1 > $cap,
    i.excluded = EXISTS { MATCH (:ExclusionRule {key: ident.key}) }
FOREACH (_ IN CASE WHEN ident.kind = 'account' THEN [1] ELSE [] END | SET i:Account)
FOREACH (_ IN CASE WHEN ident.kind = 'content' THEN [1] ELSE [] END | SET i:Content)
FOREACH (_ IN CASE WHEN ident.platform IS NULL THEN [] ELSE [1] END |
  MERGE (p:Platform {name: ident.platform})
  MERGE (i)-[:ON_PLATFORM]->(p))
MERGE (r)-[m:MENTIONS]->(i)
  ON CREATE SET m.first_seen = $now, m.report_id = $rid
SET m.last_seen = $now
RETURN i.key AS key, prior, i.excluded AS excluded
"""

# A suspect is the person behind one reported account; USES shows every identifier that
# person was seen with, so two suspects sharing a phone stand side by side in the graph.
UPSERT_SUSPECTS = """
MATCH (r:Report {id: $rid})
UNWIND $suspects AS s
MERGE (su:Suspect {id: s.key})
  ON CREATE SET su.first_seen = $now
SET su.last_seen = $now
MERGE (r)-[n:NAMES]->(su)
  ON CREATE SET n.first_seen = $now, n.report_id = $rid
WITH su, s
UNWIND s.identifier_keys AS key
MATCH (i:Identifier {key: key})
MERGE (su)-[u:USES]->(i)
  ON CREATE SET u.first_seen = $now, u.report_id = $rid
SET u.last_seen = $now
"""

CASES_SHARING = """
UNWIND $keys AS key
MATCH (:Identifier {key: key})<-[:MENTIONS]-(:Report)-[:PART_OF]->(c:Case)
WITH c, collect(DISTINCT key) AS shared
RETURN c.id AS id, shared
"""

# Cases found through identifiers are locked, and a case merged meanwhile is followed to
# the case it merged into: a transaction that shares no identifier with a concurrent merge
# still never attaches a report to the case being merged away.
LOCK_LIVE_CASES = """
UNWIND $ids AS cid
MATCH (c:Case {id: cid})
SET c.id = c.id
WITH c
OPTIONAL MATCH (c)-[:MERGED_INTO*1..10]->(s:Case) WHERE s.status <> 'merged'
WITH DISTINCT coalesce(s, c) AS live
SET live.id = live.id
RETURN live.id AS id ORDER BY live.opened_at, live.id
"""

OPEN_CASE = """
MERGE (c:Case {id: $cid})
  ON CREATE SET c.opened_at = $now, c.status = 'open', c.priority = $priority,
                c.categories = [], c.report_count = 0, c.opened_by_report = $rid
"""

ATTACH_REPORT = """
MATCH (r:Report {id: $rid}), (c:Case {id: $cid})
MERGE (r)-[p:PART_OF]->(c)
  ON CREATE SET p.at = $now
SET c.report_count = c.report_count + 1, c.updated_at = $now,
    c.priority = CASE WHEN $priority < c.priority THEN $priority ELSE c.priority END,
    c.categories = [x IN c.categories WHERE NOT x IN $categories] + $categories
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
  MERGE (rep)-[np:PART_OF]->(s) ON CREATE SET np.at = $now, np.via_merge = true)
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

OPEN_TASKS = """
MATCH (:Case {id: $cid})-[:HAS_TASK]->(t:Task)
WHERE NOT t.status IN ['completed', 'declined', 'superseded']
RETURN t.id AS id, t.task_type AS task_type, t.target AS target, t.priority AS priority,
       t.due_at AS due_at
"""

CREATE_TASKS = """
MATCH (c:Case {id: $cid})
UNWIND $tasks AS t
MERGE (task:Task {id: t.task_id})
  ON CREATE SET task.agency = t.agency, task.task_type = t.task_type, task.target = t.target,
                task.priority = t.priority, task.due_at = datetime(t.due_at),
                task.reasons = t.reasons, task.status = 'assigned', task.created_at = $now,
                task.case_id = $cid
MERGE (c)-[:HAS_TASK]->(task)
"""

UPDATE_TASKS = """
UNWIND $tasks AS t
MATCH (task:Task {id: t.task_id})
SET task.priority = t.priority, task.due_at = datetime(t.due_at), task.reasons = t.reasons,
    task.updated_at = $now
"""

SAVE_OUTCOME = "MATCH (r:Report {id: $rid}) SET r.outcome_json = $outcome, r.case_id = $cid"
