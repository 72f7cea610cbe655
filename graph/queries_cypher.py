"""Cypher for analysts and officers: bounded reads only, every value a parameter."""

from graph.linking_cypher import LIVE_CASE

# Hubs are never walked through: over-common or excluded identifiers, and platforms and
# organisations, which every account or report of theirs touches. Nor victims: a child's
# pseudonymous node joins every report of one organisation naming them, and a walk through
# it tied separate cases together by the child (the shortest path never did). Nor a task or
# timeline entry, which leads nowhere, nor a node of more than $wide edges (a large merged
# case): the walk reads every path before its limit, and a depth-3 walk from an identifier
# beside a case of 15,000 edges listed 1.1-3.3 million paths (3-8 s, past the read timeout;
# a review on a graph of 144,000 reports). The rule is in the pattern, where the search
# applies it as it steps; as a filter on nodes(p) it ran after every path was listed.
_STEP = (
    "NOT coalesce(x.hub, false) AND NOT coalesce(x.excluded, false)"
    " AND NOT x:Platform AND NOT x:Organisation AND NOT x:Victim AND NOT x:Task"
    " AND NOT x:TimelineEntry AND COUNT { (x)--() } <= $wide"
)

# merged_into: the live case it is part of now, found as the linker finds it (LIVE_CASE).
# After A merged into B and B into C, A's detail named B, itself merged.
CASE_DETAIL = (
    """
MATCH (c:Case {id: $cid})"""
    + LIVE_CASE
    + """RETURN c {.*} AS case, s.id AS merged_into
LIMIT 1
"""
)

# A case's lists are cut at a limit (graph.analyst.case_detail): the newest reports and
# timeline entries, the open tasks first. Cut from the oldest, a case grown by merges showed
# its first 200 of 4,452 entries, and 200 superseded or escalated tasks while 121 open ones
# were hidden. How many each list has in all comes with it (CASE_TOTALS).
CASE_REPORTS = """
MATCH (r:Report)-[:PART_OF]->(:Case {id: $cid})
RETURN r.id AS id, r.channel AS channel, r.priority AS priority, r.categories AS categories,
       r.received_at AS received_at
ORDER BY r.received_at DESC, r.id DESC LIMIT $limit
"""

CASE_TOTALS = """
MATCH (c:Case {id: $cid})
RETURN COUNT { (c)<-[:PART_OF]-(:Report) } AS reports,
       COUNT { (c)-[:HAS_TASK]->(:Task) } AS tasks,
       COUNT { (c)-[:HAS_TASK]->(t:Task) WHERE t.status IN $open } AS open_tasks,
       COUNT { MATCH (c)<-[:PART_OF]-(:Report)-[:CONCERNS]->(v:Victim) RETURN DISTINCT v }
         AS victims,
       COUNT { (c)-[:HAS_EVENT]->(:TimelineEntry) }
       + COUNT { (c)<-[:MERGED_INTO*1..20]-(:Case)-[:HAS_EVENT]->(:TimelineEntry) } AS timeline
"""

# A report of the case, with what its reporter submitted (graph.submitted).
REPORT_SUBMITTED = """
MATCH (r:Report {id: $rid})-[:PART_OF]->(:Case {id: $cid})
RETURN r.channel AS channel, r.received_at AS received_at, r.submitted_zlib AS submitted
"""

CASE_TASKS = """
MATCH (:Case {id: $cid})-[:HAS_TASK]->(t:Task)
RETURN t.id AS id, t.agency AS agency, t.task_type AS task_type, t.target AS target,
       t.priority AS priority, t.status AS status, t.due_at AS due_at
ORDER BY CASE WHEN t.status IN $open THEN 0 ELSE 1 END, t.priority, t.due_at, t.id
LIMIT $limit
"""

CASE_VICTIMS = """
MATCH (:Case {id: $cid})<-[:PART_OF]-(:Report)-[:CONCERNS]->(v:Victim)
RETURN DISTINCT v.ref AS ref, v.age AS age, v.age_range AS age_range
LIMIT $limit
"""

# In the case's own order (seq): a merge's entries carry the time its batch started, which
# can be before an officer action that committed while the batch waited for the lock.
CASE_TIMELINE = """
MATCH (:Case {id: $cid})-[:HAS_EVENT]->(e:TimelineEntry)
RETURN e {.*} AS entry ORDER BY e.seq DESC LIMIT $limit
"""

# The entries of the cases merged into this one (a merge moves reports and tasks, and each
# entry stays with the case it was made in: the survivor showed a referral in progress with
# no word of its claim), newest first, each naming its case.
MERGED_CASES_TIMELINE = """
MATCH (:Case {id: $cid})<-[:MERGED_INTO*1..20]-(m:Case)-[:HAS_EVENT]->(e:TimelineEntry)
RETURN e {.*, merged_case: m.id} AS entry ORDER BY e.at DESC, e.seq DESC LIMIT $limit
"""

CASE_EXISTS = """
OPTIONAL MATCH (c:Case {id: $cid}) RETURN c IS NOT NULL AS found
"""

# A merge moves the merged case's tasks to the survivor: an officer who followed a referral's
# case id found the case gone (404) the moment it merged. The case is theirs to read while
# their agency has a task on it or on the case it was merged into (as far as MERGED_INTO
# goes: the detail names that case, `merged_into`); the merged case holds no reports then.
AGENCY_HAS_TASK = """
MATCH (:Case {id: $cid})-[:MERGED_INTO*0..20]->(:Case)-[:HAS_TASK]->(t:Task {agency: $agency})
WITH t LIMIT 1
RETURN count(t) > 0 AS has
"""

# The case once, each report as a map without what it stores for the system (its submitted
# message and link outcome, ~1.5 kB a report, which the view drops: as whole nodes they made
# a case's graph of 500 reports take 1 s, and brought every reporter's message into the API),
# and each edge by its type and properties. The newest reports, each with how many it has
# and the case with how many reports: a cut answer says so (an arbitrary 100 reports of a
# large merged case read as if they were all of it). Only reports are PART_OF a case: counted
# without the label, the total is the node's degree, read without visiting 15,000 reports.
CASE_SUBGRAPH = """
MATCH (c:Case {id: $cid})
CALL (c) {
  MATCH (c)<-[:PART_OF]-(r:Report)
  WITH r ORDER BY r.received_at DESC, r.id LIMIT $limit
  CALL (r) {
    OPTIONAL MATCH (r)-[rel:MENTIONS|CONCERNS|NAMES|SUBMITTED_BY]->(n)
    WITH rel, n LIMIT $limit
    RETURN collect(CASE WHEN n IS NULL THEN null
                        ELSE {type: type(rel), properties: properties(rel), node: n} END)
           AS around
  }
  RETURN collect({id: elementId(r),
                  report: r {.*, submitted_zlib: null, outcome_zlib: null, outcome_json: null},
                  around: around,
                  around_total: COUNT { (r)-[:MENTIONS|CONCERNS|NAMES|SUBMITTED_BY]->() }})
         AS reports
}
RETURN c, reports, COUNT { (c)<-[:PART_OF]-() } AS reports_total
"""

# How wide a neighbourhood's start is: every path of the walk is read before its LIMIT, so a
# start with thousands of edges (a hub, a platform, a large merged case) is walked one hop
# only (graph.analyst.neighbourhood).
START_WIDTH = """
MATCH (start) WHERE {match}
RETURN COUNT { (start)--() } AS degree
LIMIT 1
"""


def _walk(depth: int) -> str:
    """Paths of 1 to `depth` hops from `start` to `n`, stepping only where _STEP allows."""
    if depth == 1:
        return "(start)-[]-(n)"
    return "(start) (()-[]-(x) WHERE " + _STEP + "){0," + str(depth - 1) + "} ()-[]-(n)"


# A timeline entry is the case's record, not a neighbour (every entry was one node, "node").
ENTITY_NEIGHBOURHOOD = {
    depth: """
MATCH (start) WHERE {match}
MATCH p = """
    + _walk(depth)
    + """
WHERE NOT n:Victim AND NOT n:AuditRecord AND NOT n:AuditChain AND NOT n:TimelineEntry
WITH p ORDER BY length(p) LIMIT $limit
RETURN nodes(p) AS nodes, relationships(p) AS rels
"""
    for depth in (1, 2, 3)
}

# SHORTEST with the rule inside the pattern, so that the search itself never steps onto a
# hub, an excluded identifier, a platform, an organisation or a victim. shortestPath() with
# the same rule in a WHERE found the shortest path first and, when the rule refused it,
# fell back to trying every path of up to 6 hops: through an organisation's thousands of
# reports that ran into the read timeout on a grown graph (tests/integration/test_analyst).
SHORTEST_PATH = (
    """
MATCH (a) WHERE {match_a}
MATCH (b) WHERE {match_b}
MATCH p = SHORTEST 1 (a) (()-[]-(x) WHERE """
    + _STEP
    + """){0,5} ()-[]-(b)
WHERE NOT b:Victim
RETURN nodes(p) AS nodes, relationships(p) AS rels
"""
)

# Counting reports by case reads every mention before the LIMIT can cut anything: a viral
# file's or a carrier address's hundreds of thousands ran into the read timeout, and the
# analyst could not narrow the question. At most $mentions of them are read (in the order
# the store gives them); `mentions_read` and the identifier's `mentions` say when the
# answer is of a part.
# (Mentions counted as read before their case is: a report prepared and not yet decided
# has no case, and counted after, it made a whole answer look cut. Only reports mention
# identifiers: counted without the label, the total is the node's degree.)
CASES_SHARING_ENTITY = """
MATCH (i:Identifier {key: $key})
CALL (i) {
  MATCH (i)<-[:MENTIONS]-(r:Report)
  WITH r LIMIT $mentions
  RETURN collect(r) AS read
}
CALL (read) {
  UNWIND read AS r
  MATCH (r)-[:PART_OF]->(c:Case)
  WITH c, count(r) AS reports
  ORDER BY c.priority, c.id
  RETURN collect({case_id: c.id, status: c.status, priority: c.priority, reports: reports})
         AS cases
}
RETURN cases[..$limit] AS cases, size(cases) > $limit AS more, size(read) AS mentions_read,
       COUNT { (i)<-[:MENTIONS]-() } AS mentions
"""

# Each identifier found with up to $limit of its cases: the walk stops there, where collecting
# every case first read all of a hub's mentions (thousands) to keep $limit of them.
_FOUND_WITH_CASES = """
WITH i LIMIT $limit
RETURN i.key AS key, i.kind AS kind, i.report_count AS reports, coalesce(i.hub, false) AS hub,
       COLLECT {
         MATCH (i)<-[:MENTIONS]-(:Report)-[:PART_OF]->(c:Case)
         RETURN DISTINCT c.id LIMIT $limit
       } AS cases
"""

SEARCH_IDENTIFIERS = (
    """
MATCH (i:Identifier) WHERE i.key IN $keys"""
    + _FOUND_WITH_CASES
)

# By the end of the value, on every platform: the text index on accounts (migration 0014).
SEARCH_USERNAME = (
    """
MATCH (i:Account) WHERE i.value ENDS WITH $suffix"""
    + _FOUND_WITH_CASES
)

# Cases merged into this one, directly or through others (a merge's survivor merged again).
MERGED_INTO_CASE = """
MATCH (:Case {id: $cid})<-[:MERGED_INTO*1..20]-(c:Case)
RETURN DISTINCT c.id AS id ORDER BY id
"""
