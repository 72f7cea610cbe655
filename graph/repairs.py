"""Data repairs that need Python, run once each by graph.migrate after the Cypher migrations
and marked done in the graph (a (:DataRepair {name}) node). Each can run again safely."""

from collections.abc import Callable
from datetime import UTC, datetime

from neo4j import Driver

from graph.linking_cypher import TAKE_DECISION_LOCK
from runtime.logs import get_logger
from runtime.pseudonyms import key_check, unkeyed_pseudonym, victim_pseudonym
from runtime.settings import get_settings

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


# Since 2026-11-30 a URL is read with https for http (streams.normalise.canonical_url): one
# identifier for 'example.com/x' typed by the public and 'https://example.com/x' from a
# platform. URL identifiers and exclusion rules stored in the http form move to the https
# one; where both exist, the http identifier's mentions join the https one's and it goes.
HTTP, HTTPS = "url:http://", "url:https://"
WHY_JOINED = "http and https forms of a URL are one identifier (data repair 2026-11-30)"
HTTP_RULES = "MATCH (e:ExclusionRule) WHERE e.key STARTS WITH $http RETURN e.key AS key"
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
"""
HTTP_IDENTIFIERS = """
MATCH (i:Identifier) WHERE i.key STARTS WITH $http
RETURN i.key AS key LIMIT $page
"""
# Under the decision lock: no decision reads an identifier half moved. An http identifier
# with no https twin is renamed; one with a twin gives it its mentions (URL identifiers have
# no other edges) and is deleted, and the twin's mentions are numbered again in the order
# they were made, as the degree cap reads them.
JOIN_IDENTIFIERS = (
    TAKE_DECISION_LOCK
    + """WITH lock
UNWIND $rows AS row
MATCH (old:Identifier {key: row.old})
OPTIONAL MATCH (twin:Identifier {key: row.new})
CALL (old, twin, row) {
  WITH old, twin, row WHERE twin IS NULL
  SET old.key = row.new, old.value = row.value,
      old.excluded = EXISTS { MATCH (:ExclusionRule {key: row.new}) }
}
CALL (old, twin) {
  WITH old, twin WHERE twin IS NOT NULL
  MATCH (r:Report)-[m:MENTIONS]->(old)
  CREATE (r)-[:MENTIONS {first_seen: m.first_seen, last_seen: m.last_seen,
                         report_id: m.report_id, seq: m.seq}]->(twin)
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
JOIN_PAGE = 500


def _https_row(key: str) -> dict[str, str]:
    rest = key.removeprefix(HTTP)
    return {"old": key, "new": HTTPS + rest, "value": "https://" + rest}


def join_url_schemes(driver: Driver, database: str) -> int:
    """Move URL identifiers and exclusion rules from the http to the https form; return how
    many identifiers moved. Cases already linked stay as they are: the next report naming
    the URL joins (and merges) the cases its two forms reached, as any report does."""
    rules, _, _ = driver.execute_query(HTTP_RULES, http=HTTP, database_=database, routing_="r")
    if rules:
        rows = [_https_row(r["key"]) for r in rules]
        now = datetime.now(UTC)
        driver.execute_query(MOVE_RULES, rows=rows, now=now, why=WHY_JOINED, database_=database)
        log.info("url_exclusion_rules_joined", rules=len(rows))
    cap, moved = get_settings().link_degree_cap, 0
    while True:
        page, _, _ = driver.execute_query(
            HTTP_IDENTIFIERS, http=HTTP, page=JOIN_PAGE, database_=database, routing_="r"
        )
        if not page:
            return moved
        rows = [_https_row(r["key"]) for r in page]
        driver.execute_query(JOIN_IDENTIFIERS, rows=rows, cap=cap, database_=database)
        moved += len(rows)
        log.info("url_identifiers_joined", identifiers=moved)


REPAIRS: dict[str, Callable[[Driver, str], int]] = {
    "2026-11-30-victim-pseudonym-keyed": rekey_victim_pseudonyms,
    "2026-11-30-url-http-as-https": join_url_schemes,
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
