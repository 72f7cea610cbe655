"""Cypher for linking a batch of reports into cases; every value is a parameter.

Queries that answer with many rows collect them into one list of maps (`AS rows`): the
Python driver spends ~40 µs on each record, and about 2 µs on each map of one list.

A batch's lists come in one map parameter, `$batch`. Neo4j keys its plan cache on the sizes
of list parameters too, so each new mix of list sizes was planned afresh: ~250-350 ms of
Neo4j CPU for DECISION_WRITE_CASES, under the decision lock, in ~1 call in 10 on a growing
graph. The sizes of lists inside a map are not part of the key: one plan per statement.
"""

# MERGE on the unique id serialises two deliveries of the same new report (a resend, a
# redelivery after a crash): the second waits for the first's commit, then sees it prepared.
# Reports linked before preparation was a step of its own have an outcome but no prepared_at.
LOCK_REPORTS = """
UNWIND $batch.rids AS rid
MERGE (r:Report {id: rid})
RETURN collect({rid: rid,
                prepared: r.prepared_at IS NOT NULL
                          OR coalesce(r.outcome_zlib, r.outcome_json) IS NOT NULL}) AS rows
"""

# Preparation in one statement, after LOCK_REPORTS: the batch's fresh reports (never
# prepared, so none has an edge yet: their edges are created, not merged), victims,
# identifiers with their mentions, suspects, organisations. Replays change nothing because
# a prepared report is skipped whole, not because each write is a MERGE.
#
# Locks are taken in one order in every preparation, so that two never wait for each other:
# reports (rid order), victims (ref order), identifiers (key order), platforms, suspects,
# organisations (each in key order). Each identifier is written (report_count), so the
# transaction holds its write lock until commit: a second worker that touches the same
# identifier waits here. `prior` is how many reports mentioned it before this batch; the
# n-th report of the batch that mentions it gets seq = prior + n, exactly as if the reports
# were prepared one by one. Suspects come in key order too, and organisations last: every
# report of an organisation points at one node, whose lock is then held the shortest time.
PREPARE_REPORTS = """
CALL () {
  UNWIND $batch.reports AS row
  MATCH (r:Report {id: row.rid})
  SET r.channel = row.channel, r.received_at = $now, r.priority = row.priority,
      r.categories = row.categories, r.reasons = row.reasons,
      r.rules_version = row.rules_version, r.correlation_id = row.correlation_id,
      r.organisation_id = row.organisation_id, r.prepared_at = $now,
      r.submitted_zlib = row.submitted, r.report_sha256 = row.report_sha256
  WITH r, row WHERE row.victim_ref IS NOT NULL
  MERGE (v:Victim {ref: row.victim_ref})
  SET v.age = coalesce(row.victim_age, v.age),
      v.age_range = coalesce(row.victim_age_range, v.age_range)
  CREATE (r)-[:CONCERNS {first_seen: $now, last_seen: $now, report_id: row.rid}]->(v)
}
CALL () {
  UNWIND $batch.identifiers AS ident
  MERGE (i:Identifier {key: ident.key})
    ON CREATE SET i.kind = ident.kind, i.value = ident.value, i.report_count = 0,
                  i.first_seen = $now
  // The count is read in the SET that writes it, so Cypher takes the write lock before
  // reading: through a WITH first, two racing preparations both read the same count and
  // one of them is lost (two mentions with one sequence number, the cap counted short).
  // Seen times never go back: a batch that waited for this lock commits after a later one.
  SET i.report_count = i.report_count + size(ident.rids),
      i.last_seen = CASE WHEN i.last_seen >= $now THEN i.last_seen ELSE $now END
  WITH i, ident, i.report_count - size(ident.rids) AS prior
  SET i.hub = i.report_count > $cap,
      i.excluded = EXISTS { MATCH (:ExclusionRule {key: ident.key}) }
  // Labels and the platform edge are set once, when the identifier is new (prior = 0).
  FOREACH (_ IN CASE WHEN prior = 0 AND ident.kind = 'account' THEN [1] ELSE [] END |
    SET i:Account)
  FOREACH (_ IN CASE WHEN prior = 0 AND ident.kind = 'content' THEN [1] ELSE [] END |
    SET i:Content)
  WITH i, ident, prior
  CALL (i, ident, prior) {
    UNWIND range(0, size(ident.rids) - 1) AS n
    MATCH (r:Report {id: ident.rids[n]})
    CREATE (r)-[:MENTIONS {first_seen: $now, last_seen: $now, report_id: ident.rids[n],
                           seq: prior + n}]->(i)
  }
  RETURN collect(CASE WHEN prior = 0 AND ident.platform IS NOT NULL
                      THEN {identifier: i, platform: ident.platform, rid: ident.rids[0]} END)
         AS new_accounts
}
// Platforms after every identifier, in name order. Taken while merging the identifiers,
// a platform's lock sat between two identifiers' locks: two preparations with new
// accounts on one platform and a shared identifier after it each held what the other
// waited for (deadlocks, each retried after about a second, in every benchmark run).
CALL (new_accounts) {
  UNWIND new_accounts AS new
  WITH new ORDER BY new.platform
  MERGE (p:Platform {name: new.platform})
  WITH new.identifier AS i, new.rid AS rid, p
  // Said once, by the report that first named the account; how recently the account was
  // seen is the identifier's own last_seen (written on every mention).
  CREATE (i)-[:ON_PLATFORM {first_seen: $now, last_seen: $now, report_id: rid}]->(p)
}
// A suspect is the person behind one reported account; USES shows every identifier that
// person was seen with, so two suspects sharing a phone stand side by side in the graph.
CALL () {
  UNWIND $batch.suspects AS s
  MATCH (r:Report {id: s.rid})
  MERGE (su:Suspect {id: s.key})
    ON CREATE SET su.first_seen = $now
  SET su.last_seen = CASE WHEN su.last_seen >= $now THEN su.last_seen ELSE $now END
  CREATE (r)-[:NAMES {first_seen: $now, last_seen: $now, report_id: s.rid}]->(su)
  WITH su, s
  UNWIND s.identifier_keys AS key
  MATCH (i:Identifier {key: key})
  MERGE (su)-[u:USES]->(i)
    ON CREATE SET u.first_seen = $now, u.report_id = s.rid
  SET u.last_seen = CASE WHEN u.last_seen >= $now THEN u.last_seen ELSE $now END
}
CALL () {
  UNWIND $batch.organisations AS row
  MATCH (r:Report {id: row.rid})
  MERGE (o:Organisation {id: row.organisation_id})
  CREATE (r)-[:SUBMITTED_BY {first_seen: $now, last_seen: $now, report_id: row.rid}]->(o)
}
"""

# Whether a report's lifecycle events were staged (graph.outbox): a redelivery stages them
# only if not (graph.linking.decide_batch). Set with the decision's outcome for every
# report it decides; changed here only for the few whose events could not be built, and for
# redeliveries that staged them at last.
MARK_STAGED = """
UNWIND $batch.rows AS row
MATCH (r:Report {id: row.rid})
SET r.lifecycle_staged = CASE WHEN row.staged THEN true END
"""

# One decision, in three statements (each round trip costs the single decider time that
# every worker waits for): read under the lock, write the cases, write the tasks.
#
# The decision lock is one node, written by every decision: decisions run one at a time
# across all workers, and each reads after the lock is taken, so it sees every decision
# before it. (Removing an exclusion rule takes it too: graph.exclusions.) Then, for the
# batch's reports: the stored outcome of those decided before, and for the others the
# identifiers they link through (mentioned among the identifier's first $cap reports, not
# named by an exclusion rule, whether or not it marked them `excluded` yet), the cases those
# identifiers reached (also only through their first $cap mentions: the others never
# linked), and the live case each of those is part of now (a merged case is followed to the
# case it merged into).
# A report's case_id names its case (set when attached, moved by a merge): reading it costs
# one property, walking PART_OF a scan of the report's edges.
# The live case `s` of a case `c` (null if `c` is live): merged cases point along
# MERGED_INTO to the case they merged into. Used as `coalesce(s, c)`.
LIVE_CASE = """
  OPTIONAL MATCH (c)-[:MERGED_INTO*1..10]->(s:Case) WHERE s.status <> 'merged'
"""
TAKE_DECISION_LOCK = """
MATCH (lock:LinkDecisionLock {name: 'cases'})
SET lock.taken = lock.taken + 1
"""
DECISION_READ = (
    TAKE_DECISION_LOCK
    + """WITH lock
CALL (lock) {
  UNWIND $batch.rids AS rid
  MATCH (r:Report {id: rid})
  RETURN collect({rid: rid, outcome: coalesce(r.outcome_zlib, r.outcome_json),
                  report_sha256: r.report_sha256,
                  staged: r.lifecycle_staged IS NOT NULL}) AS outcomes
}
// The rules too, not only the `excluded` mark: a rule added while this batch was prepared
// has not marked the identifier. Read by label (the list is short): a seek by key for a
// rule that does not exist takes the index entry's lock, which preparations hold in
// another order (deadlocks, retried after a second each).
CALL (lock) {
  MATCH (rule:ExclusionRule)
  RETURN collect(rule.key) AS excluded_keys
}
CALL (lock, excluded_keys) {
  UNWIND $batch.rids AS rid
  MATCH (r:Report {id: rid})-[x:MENTIONS]->(i:Identifier)
  WHERE coalesce(r.outcome_zlib, r.outcome_json) IS NULL AND x.seq < $cap
    AND NOT coalesce(i.excluded, false)
    AND NOT i.key IN excluded_keys
  RETURN collect({rid: rid, key: i.key}) AS linkable, collect(DISTINCT i) AS identifiers
}
CALL (identifiers) {
  UNWIND identifiers AS i
  MATCH (i)<-[y:MENTIONS]-(r:Report)
  WHERE y.seq < $cap AND r.case_id IS NOT NULL
  WITH i, collect(DISTINCT r.case_id) AS cases
  RETURN collect({key: i.key, cases: cases}) AS found,
         reduce(all = [], cs IN collect(cases) | all + cs) AS found_ids
}
CALL (found_ids) {
  UNWIND found_ids AS cid
  WITH DISTINCT cid
  MATCH (c:Case {id: cid})"""
    + LIVE_CASE
    + """  WITH c, coalesce(s, c) AS live
  // Opened when, as numbers: toString drops trailing zeros ('...:33Z' against '...:33.3Z'),
  // and as text a case opened at a whole second sorted after one opened later in it.
  RETURN collect({found: c.id, live: live.id,
                  opened_at: [live.opened_at.epochSeconds, live.opened_at.nanosecond]}) AS live
}
RETURN outcomes, linkable, found, live, lock.decided_at AS last_decided_at
"""
)

# Cases opened, merged (each merge recorded on MERGED_INTO with the reports and tasks it
# moved, the tasks it superseded or raised and the survivor's state, all as they were before,
# so that it can be undone later), duplicate open tasks superseded, reports attached;
# then the open task, if any, of each slot (case, type, target) the decision plans a task
# for, and which planned task ids a task already has. Every report here is fresh (never
# decided), so it has no PART_OF edge yet, and a case or task created here cannot exist:
# they are created, not merged. Merges in one batch touch disjoint cases (graph.grouping),
# so their order is free.
DECISION_WRITE_CASES = """
// The decision's time, for the next one's never to be earlier (graph.linking.decision_clock_from).
CALL () {
  MATCH (lock:LinkDecisionLock {name: 'cases'})
  WHERE $decided_at IS NOT NULL
  SET lock.decided_at = $decided_at
}
CALL () {
  UNWIND $batch.cases AS row
  CREATE (c:Case {id: row.cid, opened_at: row.opened_at, status: 'open', priority: row.priority,
                  categories: [], report_count: 0, opened_by_report: row.rid})
}
CALL () {
  UNWIND $batch.merges AS merge
  MATCH (s:Case {id: merge.survivor})
  UNWIND merge.losers AS loser_id
  MATCH (l:Case {id: loser_id})
  CALL (s, l) {
    OPTIONAL MATCH (rep:Report)-[p:PART_OF]->(l)
    DELETE p
    RETURN collect(rep) AS reps
  }
  FOREACH (rep IN reps |
    CREATE (rep)-[:PART_OF {at: $now, via_merge: true}]->(s)
    SET rep.case_id = s.id)
  WITH merge, s, l, reps
  CALL (s, l) {
    OPTIONAL MATCH (l)-[ht:HAS_TASK]->(t:Task)
    DELETE ht
    RETURN collect(t) AS tasks
  }
  FOREACH (t IN tasks | CREATE (s)-[:HAS_TASK]->(t) SET t.case_id = s.id)
  // The survivor's priority and categories as they were before this case joined it (the
  // SET below overwrites them); the tasks it superseded and raised are recorded below.
  // The merged case's status as it was, read once the case is locked (its PART_OF edges
  // deleted above): an officer's change of it commits first or waits (a review: read before
  // the lock, a change committed meanwhile was told as 'open -> merged' after it).
  CREATE (l)-[:MERGED_INTO {reason: merge.reason, at: $now, report_id: merge.rid,
                            loser_status: l.status,
                            moved_reports: [x IN reps | x.id],
                            moved_tasks: [x IN tasks | x.id],
                            survivor_priority: s.priority,
                            survivor_categories: s.categories,
                            superseded_tasks: [], superseded_statuses: [],
                            raised_tasks: [], raised_priorities: [],
                            raised_due_times: []}]->(s)
  SET l.status = 'merged', l.merged_into = s.id,
      s.report_count = s.report_count + size(reps),
      s.priority = CASE WHEN l.priority < s.priority THEN l.priority ELSE s.priority END,
      s.categories = [x IN s.categories WHERE NOT x IN l.categories] + l.categories
  WITH tasks
  UNWIND tasks AS task
  RETURN collect(task) AS moved
}
// After merges a survivor may hold two open tasks of one type and target (one from each
// case): one stays and the others close as superseded, pointing at it, and are returned so
// that their agencies are told (streams.emit). The one that stays is the one furthest along
// (escalated with a claimant; escalated by an officer, unclaimed; in progress; claimed;
// escalated unclaimed by the SLA check alone; then assigned or received, which only says the
// queue saw it), then the oldest: an officer's work or an escalation is never closed in
// favour of a task nobody has picked up, and an officer's escalation never in favour of work
// that did not raise one (until 2026-12-02 one on an unclaimed task ranked with the SLA
// check's and closed in favour of a colleague's claim: the alarm and its reason were gone, a
// review). Who escalated is `escalated_by` (an officer, or 'system'); on a task escalated
// before that was kept, the reason tells: the SLA check writes its own words
// ($sla_reasons, graph.lifecycle.escalated_by_officer), no reason at all was written by hand.
// The SLA check's alone ranks below a claim: someone has picked the work up, and the task
// that stays takes the earliest due time, so an overdue one is escalated again. Each task
// is locked before its status is read again (lock_count, as the lifecycle does): an officer
// completing one of them meanwhile has committed by then, and a completed task is never
// marked superseded.
// Only the slots of moved tasks can hold two, and each is one index seek per open status
// (migration 0010), where reading every task of a large survivor costs thousands.
CALL (moved) {
  UNWIND moved AS m
  WITH DISTINCT m.case_id AS cid, m.task_type AS task_type, m.target AS target
  MATCH (t:Task {case_id: cid, task_type: task_type, target: target})
  USING INDEX t:Task(case_id, task_type, target, status)
  WHERE t.status IN $open_statuses
  SET t.lock_count = coalesce(t.lock_count, 0) + 1
  // Read again after the write: the runtime drops values cached for a node it writes
  // (tests/integration/test_linking.py: a task completed while the merge ran stays so).
  WITH cid, task_type, target, t, t.status AS status
  WHERE status IN $open_statuses
  WITH cid, task_type, target, t
  ORDER BY CASE WHEN status = 'escalated' AND t.claimed_by IS NOT NULL THEN 0
                WHEN status = 'escalated'
                     AND (t.escalated_by <> 'system'
                          OR (t.escalated_by IS NULL AND NOT t.reason IN $sla_reasons))
                THEN 1
                WHEN status = 'in_progress' THEN 2
                WHEN status = 'claimed' THEN 3
                WHEN status = 'escalated' THEN 4
                ELSE 5 END, t.created_at, t.id
  WITH cid, task_type, target, collect(t) AS same
  WHERE size(same) > 1
  // The one that stays takes the highest priority and the earliest due time of them all: a
  // P1 referral merged into a case with a P3 one was closed, and the P3 one stayed due in
  // three days. Its agency is told by a TaskUpdated (graph.linking, `raised`).
  WITH cid, same, same[0] AS kept,
       reduce(p = same[0].priority, x IN same |
              CASE WHEN x.priority < p THEN x.priority ELSE p END) AS top,
       reduce(d = same[0].due_at, x IN same | CASE WHEN x.due_at < d THEN x.due_at ELSE d END)
         AS due
  WITH cid, same, kept, top, due,
       CASE WHEN top < kept.priority
            THEN 'priority raised from ' + kept.priority + ' to ' + top
                 + ': a merge joined a more urgent task of its type and target'
            WHEN due < kept.due_at
            THEN 'due sooner: a merge joined a task of its type and target due earlier'
       END AS raise
  // What the merge changed, as it was before (for undoing it; recorded below).
  WITH cid, same, kept, top, due, raise,
       {cid: cid, raised: CASE WHEN raise IS NULL THEN [] ELSE [kept.id] END,
        priorities: CASE WHEN raise IS NULL THEN [] ELSE [kept.priority] END,
        due_times: CASE WHEN raise IS NULL THEN [] ELSE [kept.due_at] END,
        superseded: [x IN same[1..] | x.id],
        statuses: [x IN same[1..] | x.status]} AS before
  FOREACH (_ IN CASE WHEN raise IS NULL THEN [] ELSE [1] END |
    SET kept.reasons = ([raise] + coalesce(kept.reasons, []))[..$max_reasons],
        kept.priority = top, kept.due_at = due, kept.updated_at = $now,
        kept.claim_by = datetime({epochMillis: kept.created_at.epochMillis + toInteger(
          $share * (due.epochMillis - kept.created_at.epochMillis))}))
  WITH cid, same, kept, raise, before
  UNWIND same[1..] AS extra
  SET extra.status = 'superseded', extra.superseded_by = kept.id, extra.updated_at = $now
  RETURN collect({task_id: extra.id, case_id: cid, agency: extra.agency,
                  task_type: extra.task_type, superseded_by: kept.id}) AS superseded,
         collect(DISTINCT before) AS undo,
         collect(DISTINCT CASE WHEN raise IS NOT NULL THEN
                   {task_id: kept.id, case_id: cid, agency: kept.agency,
                    task_type: kept.task_type, target: kept.target, priority: kept.priority,
                    due_at: toString(kept.due_at), reasons: kept.reasons} END) AS raised
}
// The tasks a merge superseded (with the status each had) and raised (with the priority
// and due time it had; its claim-by time follows from those), on each MERGED_INTO edge the
// merge created: with the moved reports and tasks, what undoing the merge must restore. A
// survivor takes part in one merge a decision (graph.grouping), so its edges of this
// decision's time are that merge's. One write per edge, from the slots gathered by case: a
// merge of several cases records the same on each of its edges, undone together (the tasks
// of a slot came from any of them).
CALL (undo) {
  UNWIND undo AS slot
  WITH slot.cid AS cid, collect(slot) AS slots
  MATCH (:Case)-[m:MERGED_INTO]->(:Case {id: cid})
  WHERE m.at = $now
  SET m.superseded_tasks = reduce(a = [], x IN slots | a + x.superseded),
      m.superseded_statuses = reduce(a = [], x IN slots | a + x.statuses),
      m.raised_tasks = reduce(a = [], x IN slots | a + x.raised),
      m.raised_priorities = reduce(a = [], x IN slots | a + x.priorities),
      m.raised_due_times = reduce(a = [], x IN slots | a + x.due_times)
}
// Each superseded task on its case's timeline, as officers' actions are; numbered from
// the case's counter once per case (a counter written row by row could be read after all
// the writes).
CALL (superseded) {
  UNWIND superseded AS closed
  WITH closed.case_id AS cid, collect(closed) AS closed_here
  MATCH (c:Case {id: cid})
  WITH c, closed_here, coalesce(c.timeline_seq, 0) AS base
  SET c.timeline_seq = base + size(closed_here)
  WITH c, closed_here, base
  UNWIND range(0, size(closed_here) - 1) AS n
  WITH c, closed_here[n] AS closed, base + n + 1 AS seq
  CREATE (c)-[:HAS_EVENT]->(:TimelineEntry {
    id: randomUUID(), seq: seq, at: $now, kind: 'TaskSuperseded', agency: closed.agency,
    actor: 'system', task_id: closed.task_id,
    summary: closed.agency + ' superseded: ' + closed.task_type + ' (continued by task '
             + closed.superseded_by + ')'})
}
CALL () {
  UNWIND $batch.attach AS row
  MATCH (r:Report {id: row.rid}), (c:Case {id: row.cid})
  CREATE (r)-[:PART_OF {at: $now}]->(c)
  SET r.case_id = row.cid, c.report_count = c.report_count + 1, c.updated_at = $now,
      c.priority = CASE WHEN row.priority < c.priority THEN row.priority ELSE c.priority END,
      c.categories = [x IN c.categories WHERE NOT x IN row.categories] + row.categories
}
// The task statuses present in each case whose status the decision may change: a merge's
// survivor (it took the merged cases' tasks, and some closed as superseded), and a closed
// case a report joins (it may get new tasks). Both were written above, so they are locked:
// an officer changing one of their tasks waits, then recomputes with this decision's tasks.
// One seek per status (migration 0013), not every task of a large case.
CALL () {
  UNWIND $batch.status_cases AS row
  MATCH (c:Case {id: row.cid})
  WHERE row.merged OR c.status = 'closed'
  RETURN collect({cid: c.id, status: c.status,
                  present: [s IN $task_statuses
                            WHERE EXISTS { MATCH (t:Task {case_id: c.id, status: s}) }]})
         AS case_statuses
}
// Index seeks per slot and open status (migration 0010), not every task of a case:
// thousands for a large merged one. Due times travel as text: the driver's DateTime costs
// more to decode.
CALL () {
  UNWIND $batch.slots AS slot
  MATCH (t:Task {case_id: slot.cid, task_type: slot.task_type, target: slot.target})
  USING INDEX t:Task(case_id, task_type, target, status)
  WHERE t.status IN $open_statuses
  RETURN collect({cid: slot.cid, id: t.id, task_type: t.task_type, target: t.target,
                  priority: t.priority, due_at: toString(t.due_at), reasons: t.reasons})
         AS open_tasks
}
// A slot's task id is stable (streams.fanout.task_id_for), so a slot whose task was closed
// already has a task by the id a new one would get.
CALL () {
  UNWIND $batch.task_ids AS task_id
  MATCH (t:Task {id: task_id})
  RETURN collect(task_id) AS taken_ids
}
// Each merged case's status before the merge, as its MERGED_INTO edge recorded it.
CALL () {
  UNWIND $batch.merges AS merge
  UNWIND merge.losers AS loser_id
  MATCH (:Case {id: loser_id})-[m:MERGED_INTO {report_id: merge.rid}]->(:Case {id: merge.survivor})
  RETURN collect({cid: loser_id, previous: m.loser_status}) AS merged_statuses
}
RETURN open_tasks, taken_ids, superseded, raised, case_statuses, merged_statuses
"""

# New tasks, raised open ones, changed case statuses, and each decided report's outcome,
# kept for replays.
# claim_by: when an unclaimed task becomes an SLA breach (its share of the time from creation
# to due), stored so the SLA check finds breaches by index instead of reading every task.
DECISION_WRITE_TASKS = """
CALL () {
  UNWIND $batch.created AS t
  MATCH (c:Case {id: t.case_id})
  CREATE (c)-[:HAS_TASK]->(task:Task {
    id: t.task_id, agency: t.agency, task_type: t.task_type, target: t.target,
    priority: t.priority, due_at: datetime(t.due_at), reasons: t.reasons,
    status: 'assigned', created_at: $now, case_id: t.case_id,
    claim_by: datetime({epochMillis: $now.epochMillis + toInteger(
      $share * (datetime(t.due_at).epochMillis - $now.epochMillis))})})
}
// Updates apply to tasks still open: one an officer closed since the read keeps its close.
// A task only noted (a report calling for it, no earlier due time or higher priority) gets
// its reasons and update time, not its indexed due and claim times again.
CALL () {
  UNWIND $batch.updated AS t
  MATCH (task:Task {id: t.task_id})
  WHERE task.status IN $open_statuses
  SET task.priority = t.priority, task.due_at = datetime(t.due_at), task.reasons = t.reasons,
      task.updated_at = $now,
      task.claim_by = datetime({epochMillis: task.created_at.epochMillis + toInteger(
        $share * (datetime(t.due_at).epochMillis - task.created_at.epochMillis))})
}
CALL () {
  UNWIND $batch.noted AS t
  MATCH (task:Task {id: t.task_id})
  WHERE task.status IN $open_statuses
  SET task.reasons = t.reasons, task.updated_at = $now
}
CALL () {
  UNWIND $batch.status_changes AS change
  MATCH (c:Case {id: change.case_id})
  SET c.status = change.current, c.status_changed_at = $now, c.updated_at = $now
}
CALL () {
  UNWIND $batch.outcomes AS row
  MATCH (r:Report {id: row.rid})
  SET r.outcome_zlib = row.outcome
  // Its lifecycle events are staged with the decision (graph.linking.decide_batch).
  FOREACH (_ IN CASE WHEN $staged THEN [1] ELSE [] END | SET r.lifecycle_staged = true)
}
"""
