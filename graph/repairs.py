"""Data repairs that need Python, run once each by graph.migrate after the Cypher migrations
and marked done in the graph (a (:DataRepair {name}) node). Each can run again safely."""

from collections.abc import Callable
from datetime import UTC, datetime

from neo4j import Driver

from graph.linking_cypher import TAKE_DECISION_LOCK
from runtime.logs import get_logger
from runtime.pseudonyms import key_check, unkeyed_pseudonym, victim_pseudonym
from runtime.settings import get_settings
from streams.normalise import canonical_url

log = get_logger(__name__)

# Victim-support tasks name their victim by pseudonym in their target. Before 2026-11-30 a
# pseudonym was an unkeyed hash of the victim's reference; tasks still holding one are moved
# to the keyed pseudonym of the same victim, so that the next report about that victim finds
# its open task (the slot is case, type and target) instead of opening a second one.
VICTIM_SUPPORT_TARGETS = """
MATCH (t:Task)
WHERE t.task_type = 'victim_support' AND t.target STARTS WITH 'victim-'
RETURN t.id AS id, t.target AS target
"""
VICTIM_REFS = "MATCH (v:Victim) RETURN v.ref AS ref"
RETARGET = """
UNWIND $rows AS row
MATCH (t:Task {id: row.id})
WHERE t.target = row.old
SET t.target = row.new
"""
BATCH = 5_000


def rekey_victim_pseudonyms(driver: Driver, database: str) -> int:
    """Move victim-support task targets from unkeyed to keyed pseudonyms; return how many."""
    refs, _, _ = driver.execute_query(VICTIM_REFS, database_=database, routing_="r")
    keyed = {unkeyed_pseudonym(r["ref"]): victim_pseudonym(r["ref"]) for r in refs if r["ref"]}
    tasks, _, _ = driver.execute_query(VICTIM_SUPPORT_TARGETS, database_=database, routing_="r")
    rows = [
        {"id": t["id"], "old": t["target"], "new": keyed[t["target"]]}
        for t in tasks
        if t["target"] in keyed
    ]
    for start in range(0, len(rows), BATCH):
        driver.execute_query(RETARGET, rows=rows[start : start + BATCH], database_=database)
    if rows:
        log.info("victim_pseudonyms_rekeyed", tasks=len(rows))
    return len(rows)


# Since 2026-11-30 a URL is compared in a form that reads http as https and percent-encodes
# its path (streams.normalise.canonical_url): one identifier for 'example.com/x' typed by the
# public and 'https://example.com/x' from a platform, or for 'example.com/视频' and its
# encoded form. URL identifiers and exclusion rules stored in another form move to today's;
# where both exist, the old identifier's mentions join the other's and it goes.
URL = "url:"
WHY_MOVED = "a URL is compared in today's canonical form (data repair 2026-11-30)"
URL_RULES = "MATCH (e:ExclusionRule) WHERE e.key STARTS WITH $url RETURN e.key AS key"
MOVE_RULES = """
UNWIND $rows AS row
MATCH (e:ExclusionRule {key: row.old})
OPTIONAL MATCH (kept:ExclusionRule {key: row.new})
CREATE (:ExclusionChange {key: row.old, action: 'removed', by: 'system', at: $now,
                          reason: $why + ': now ' + row.new})
FOREACH (_ IN CASE WHEN kept IS NULL THEN [1] ELSE [] END |
  CREATE (:ExclusionChange {key: row.new, action: 'added', by: 'system', at: $now,
                            reason: $why + ': was ' + row.old + ', ' + e.reason})
  SET e.key = row.new)
FOREACH (_ IN CASE WHEN kept IS NULL THEN [] ELSE [1] END | DELETE e)
// An identifier already in the new form is excluded too (the analysts' views read the mark).
WITH row
OPTIONAL MATCH (i:Identifier {key: row.new})
FOREACH (_ IN CASE WHEN i IS NULL THEN [] ELSE [1] END | SET i.excluded = true)
"""
URL_IDENTIFIERS = """
MATCH (i:Identifier) WHERE i.key STARTS WITH $url AND i.key > $after
RETURN i.key AS key ORDER BY i.key LIMIT $page
"""
# Under the decision lock: no decision reads an identifier half moved. An identifier whose
# new key is free is renamed; one whose new key is taken gives that twin its mentions (URL
# identifiers have no other edges) and is deleted, and the twin's mentions are numbered
# again in the order they were made, as the degree cap reads them. The rows of one statement
# have distinct new keys (two renamed to one key in one statement would both find it free).
# Both identifiers are written first, so that a preparation mentioning them (a worker still
# linking) waits for this commit rather than numbering a mention this count misses; a report
# that mentioned both forms (earlier code kept them apart) keeps one mention of the twin.
JOIN_IDENTIFIERS = (
    TAKE_DECISION_LOCK
    + """WITH lock
UNWIND $rows AS row
MATCH (old:Identifier {key: row.old})
SET old.report_count = old.report_count
WITH row, old
OPTIONAL MATCH (twin:Identifier {key: row.new})
SET twin.report_count = twin.report_count
WITH row, old, twin
CALL (old, twin, row) {
  WITH old, twin, row WHERE twin IS NULL
  SET old.key = row.new, old.value = row.value,
      old.excluded = EXISTS { MATCH (:ExclusionRule {key: row.new}) }
}
CALL (old, twin) {
  WITH old, twin WHERE twin IS NOT NULL
  MATCH (r:Report)-[m:MENTIONS]->(old)
  WITH r, m, twin, EXISTS { (r)-[:MENTIONS]->(twin) } AS mentioned
  FOREACH (_ IN CASE WHEN mentioned THEN [] ELSE [1] END |
    CREATE (r)-[:MENTIONS {first_seen: m.first_seen, last_seen: m.last_seen,
                           report_id: m.report_id, seq: m.seq}]->(twin))
  DELETE m
}
CALL (old, twin, row) {
  WITH old, twin, row WHERE twin IS NOT NULL
  MATCH (r:Report)-[m:MENTIONS]->(twin)
  WITH old, twin, row, m ORDER BY m.first_seen, m.seq, r.id
  WITH old, twin, row, collect(m) AS mentions
  FOREACH (n IN range(0, size(mentions) - 1) | SET (mentions[n]).seq = n)
  SET twin.report_count = size(mentions), twin.hub = size(mentions) > $cap,
      twin.first_seen = CASE WHEN old.first_seen < twin.first_seen
                             THEN old.first_seen ELSE twin.first_seen END,
      twin.last_seen = CASE WHEN old.last_seen > twin.last_seen
                            THEN old.last_seen ELSE twin.last_seen END,
      twin.excluded = EXISTS { MATCH (:ExclusionRule {key: row.new}) }
  DELETE old
}
"""
)
URL_PAGE = 1_000


def _url_moved(key: str) -> dict[str, str] | None:
    """The row moving a stored URL key to today's form, or None if it is in it (or no longer
    reads as a URL: left as it is)."""
    value = key.removeprefix(URL)
    canonical = canonical_url(value)
    if canonical is None or canonical == value:
        return None
    return {"old": key, "new": URL + canonical, "value": canonical}


def _rounds(rows: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """The rows in rounds whose new keys are distinct (in order: the first of two comes first)."""
    rounds: list[list[dict[str, str]]] = []
    for row in rows:
        for round_ in rounds:
            if all(other["new"] != row["new"] for other in round_):
                round_.append(row)
                break
        else:
            rounds.append([row])
    return rounds


def recanonicalise_urls(driver: Driver, database: str) -> int:
    """Move URL identifiers and exclusion rules to today's canonical form; return how many
    identifiers moved. Cases already linked stay as they are: the next report naming the
    URL joins (and merges) the cases its forms reached, as any report does.

    It runs when a worker starts (provisioning), before it links: stop the workers of the
    earlier version first. A preparation of a still-running worker that creates an
    identifier this repair renames an old one to fails on the key's uniqueness, and its
    report is dead-lettered (link_failed)."""
    rules, _, _ = driver.execute_query(URL_RULES, url=URL, database_=database, routing_="r")
    for rows in _rounds([row for r in rules if (row := _url_moved(r["key"]))]):
        now = datetime.now(UTC)
        driver.execute_query(MOVE_RULES, rows=rows, now=now, why=WHY_MOVED, database_=database)
        log.info("url_exclusion_rules_moved", rules=len(rows))
    cap, after, moved = get_settings().link_degree_cap, "", 0
    while True:
        page, _, _ = driver.execute_query(
            URL_IDENTIFIERS, url=URL, after=after, page=URL_PAGE, database_=database, routing_="r"
        )
        if not page:
            return moved
        after = page[-1]["key"]
        for rows in _rounds([row for r in page if (row := _url_moved(r["key"]))]):
            driver.execute_query(JOIN_IDENTIFIERS, rows=rows, cap=cap, database_=database)
            moved += len(rows)
            log.info("url_identifiers_moved", identifiers=moved)


REPAIRS: dict[str, Callable[[Driver, str], int]] = {
    "2026-11-30-victim-pseudonym-keyed": rekey_victim_pseudonyms,
    "2026-11-30-url-canonical": recanonicalise_urls,
}


KEY_CHECK = """
MERGE (k:InstallKey {name: 'pseudonym'}) ON CREATE SET k.check = $check, k.at = datetime()
RETURN k.check AS check
"""


def check_pseudonym_key(driver: Driver, database: str = "neo4j") -> None:
    """Refuse to go on with a pseudonym key other than the one this graph was made with:
    task targets and graph views would name each victim two ways (a worker started where
    the install's key file is not, a container without OCSEA_PSEUDONYM_KEY)."""
    mine = key_check()
    rows, _, _ = driver.execute_query(KEY_CHECK, check=mine, database_=database)
    if rows[0]["check"] != mine:
        raise RuntimeError(
            "this process's pseudonym key (OCSEA_PSEUDONYM_KEY, or the install's key file) is "
            "not the one this graph was made with: victims would be named two ways"
        )


def run_repairs(driver: Driver, database: str = "neo4j") -> list[str]:
    """Run the repairs not yet marked done; return their names. First check the pseudonym
    key, which the victim-pseudonym repair writes with."""
    check_pseudonym_key(driver, database)
    done_rows, _, _ = driver.execute_query(
        "MATCH (r:DataRepair) RETURN r.name AS name", database_=database, routing_="r"
    )
    done = {r["name"] for r in done_rows}
    ran = []
    for name, repair in REPAIRS.items():
        if name in done:
            continue
        changed = repair(driver, database)
        driver.execute_query(
            "MERGE (r:DataRepair {name: $name}) SET r.done_at = datetime(), r.changed = $changed",
            name=name,
            changed=changed,
            database_=database,
        )
        ran.append(name)
    return ran
