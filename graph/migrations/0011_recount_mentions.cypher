// Preparations racing on one identifier could read the same report_count and lose one
// (fixed in PREPARE_REPORTS): two mentions with one sequence number and a count short of
// the mentions, so the degree cap let more reports link than it should. Renumber those
// identifiers' mentions in their order (sequence, first seen, report id) and recount.
MATCH (i:Identifier)
WHERE COUNT { (i)<-[:MENTIONS]-(:Report) } <> i.report_count
CALL (i) {
  // Written first, so the identifier's lock is held while its mentions are counted: a
  // preparation running meanwhile waits, then counts on from the recount.
  SET i.recounted = true
  REMOVE i.recounted
  WITH i
  MATCH (i)<-[m:MENTIONS]-(r:Report)
  WITH i, m ORDER BY m.seq, m.first_seen, r.id
  WITH i, collect(m) AS mentions
  UNWIND range(0, size(mentions) - 1) AS n
  WITH i, mentions[n] AS m, n, size(mentions) AS total
  SET m.seq = n
  WITH DISTINCT i, total
  SET i.report_count = total
} IN TRANSACTIONS OF 1000 ROWS;
