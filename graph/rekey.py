"""Move stored identifiers, exclusion rules and suspects to the keys today's normalisation
gives (graph.repairs runs it once per change of a normalisation rule).

An identifier whose new key is free is renamed. One whose new key is taken gives that twin
its edges (mentions, the suspects that use it, its platform if the twin has none) and goes;
the twin's mentions are numbered again in the order they were made, as the degree cap reads
them. A suspect is named after its strongest account ('suspect:' + its key): it moves with
it, renamed or joined the same way (the reports that name it, the identifiers it uses).
Rules move to the new key, recorded as ExclusionChanges. Cases already linked stay as they
are: the next report naming the identifier joins (and merges) the cases its forms reached,
as any report does.

It runs when a worker starts (provisioning), before it links: stop the workers of the
earlier version first. A preparation of a still-running worker that creates an identifier
this renames an old one to fails on the key's uniqueness, and its report is dead-lettered
(link_failed).
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver

from graph.linking import SUSPECT
from graph.linking_cypher import TAKE_DECISION_LOCK
from runtime.logs import get_logger
from runtime.settings import get_settings

log = get_logger(__name__)

RULES = "MATCH (e:ExclusionRule) WHERE e.key STARTS WITH $prefix RETURN e.key AS key"
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
# A moved edge (USES) merged onto one the twin may have: the earliest first_seen and the
# latest last_seen of the two.
KEEP_FIRST_AND_LAST_SEEN = """
    ON CREATE SET v.first_seen = u.first_seen, v.last_seen = u.last_seen,
                  v.report_id = u.report_id
    ON MATCH SET v.first_seen = CASE WHEN u.first_seen < v.first_seen
                                     THEN u.first_seen ELSE v.first_seen END,
                 v.last_seen = CASE WHEN u.last_seen > v.last_seen
                                    THEN u.last_seen ELSE v.last_seen END
"""


def _old_and_twin(label: str, key: str, written: str) -> str:
    """Under the decision lock, each row's node under its old key and the one under its new
    key, if any, both written first (`written` set to itself): locked until the commit."""
    return (
        TAKE_DECISION_LOCK
        + f"""WITH lock
UNWIND $rows AS row
MATCH (old:{label} {{{key}: row.old}})
SET old.{written} = old.{written}
WITH row, old
OPTIONAL MATCH (twin:{label} {{{key}: row.new}})
SET twin.{written} = twin.{written}
WITH row, old, twin
"""
    )


def _from_reports_to_twin(edge: str, *more: str) -> str:
    """Reports' edges of type `edge` to the old node, moved to the twin with their
    properties (seen times, report, `more`); a report that has one to the twin already
    (earlier code kept the two forms apart) keeps that one."""
    props = ", ".join(f"{p}: e.{p}" for p in ("first_seen", "last_seen", "report_id", *more))
    return f"""CALL (old, twin) {{
  WITH old, twin WHERE twin IS NOT NULL
  MATCH (r:Report)-[e:{edge}]->(old)
  WITH r, e, twin, EXISTS {{ (r)-[:{edge}]->(twin) }} AS already
  FOREACH (_ IN CASE WHEN already THEN [] ELSE [1] END |
    CREATE (r)-[:{edge} {{{props}}}]->(twin))
  DELETE e
}}
"""


IDENTIFIERS = """
MATCH (i:Identifier) WHERE i.key STARTS WITH $prefix AND i.key > $after
RETURN i.key AS key ORDER BY i.key LIMIT $page
"""
SUSPECTS = """
MATCH (s:Suspect) WHERE s.id STARTS WITH $prefix AND s.id > $after
RETURN s.id AS key ORDER BY s.id LIMIT $page
"""
# Under the decision lock: no decision reads an identifier half moved. The rows of one
# statement have distinct new keys (two renamed to one key in one statement would both find
# it free).
# Both identifiers are written first, so that a preparation mentioning them (a worker still
# linking) waits for this commit rather than numbering a mention this count misses; a report
# that mentioned both forms (earlier code kept them apart) keeps one mention of the twin.
JOIN_IDENTIFIERS = (
    _old_and_twin("Identifier", "key", "report_count")
    + """CALL (old, twin, row) {
  WITH old, twin, row WHERE twin IS NULL
  SET old.key = row.new, old.value = row.value,
      old.excluded = EXISTS { MATCH (:ExclusionRule {key: row.new}) }
}
// Renamed onto another platform's name ('badhost sdn. bhd.' is 'badhost'): its edge follows.
CALL (old, twin, row) {
  WITH old, twin, row WHERE twin IS NULL AND row.platform IS NOT NULL
  MATCH (old)-[p:ON_PLATFORM]->(was:Platform) WHERE was.name <> row.platform
  MERGE (now:Platform {name: row.platform})
  CREATE (old)-[:ON_PLATFORM {first_seen: p.first_seen, last_seen: p.last_seen,
                              report_id: p.report_id}]->(now)
  DELETE p
}
"""
    + _from_reports_to_twin("MENTIONS", "seq")
    + """CALL (old, twin) {
  WITH old, twin WHERE twin IS NOT NULL
  MATCH (su:Suspect)-[u:USES]->(old)
  MERGE (su)-[v:USES]->(twin)
"""
    + KEEP_FIRST_AND_LAST_SEEN
    + """  DELETE u
}
CALL (old, twin, row) {
  WITH old, twin, row WHERE twin IS NOT NULL
  MATCH (old)-[p:ON_PLATFORM]->(platform:Platform)
  WITH twin, row, p, platform, EXISTS { (twin)-[:ON_PLATFORM]->(:Platform) } AS placed
  // A twin without one gets the edge, to its platform by today's name.
  FOREACH (_ IN CASE WHEN placed THEN [] ELSE [1] END |
    MERGE (now:Platform {name: coalesce(row.platform, platform.name)})
    CREATE (twin)-[:ON_PLATFORM {first_seen: p.first_seen, last_seen: p.last_seen,
                                 report_id: p.report_id}]->(now))
  DELETE p
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

# A suspect named after a moved account moves with it: renamed, or joined to the suspect of
# the new key (the reports that name it, the identifiers it uses), under the decision lock.
JOIN_SUSPECTS = (
    _old_and_twin("Suspect", "id", "last_seen")
    + """CALL (old, twin, row) {
  WITH old, twin, row WHERE twin IS NULL
  SET old.id = row.new
}
"""
    + _from_reports_to_twin("NAMES")
    + """CALL (old, twin) {
  WITH old, twin WHERE twin IS NOT NULL
  MATCH (old)-[u:USES]->(i:Identifier)
  MERGE (twin)-[v:USES]->(i)
"""
    + KEEP_FIRST_AND_LAST_SEEN
    + """  DELETE u
}
CALL (old, twin) {
  WITH old, twin WHERE twin IS NOT NULL
  SET twin.first_seen = CASE WHEN old.first_seen < twin.first_seen
                             THEN old.first_seen ELSE twin.first_seen END,
      twin.last_seen = CASE WHEN old.last_seen > twin.last_seen
                            THEN old.last_seen ELSE twin.last_seen END
  DELETE old
}
"""
)
PAGE = 1_000

Today = Callable[[str], str | None]


def _moved(key: str, today: Today) -> dict[str, str | None] | None:
    """The row moving a stored key to today's form; None if it is in it (or today's rules
    no longer read it: left as it is)."""
    new = today(key)
    # A new key that would change again is not moved to (it would take another pass, and
    # a chain of moves in one statement reads a node another row renames).
    if new is None or new == key or today(new) != new:
        return None
    kind, _, value = new.partition(":")
    # An account's key names its platform ('account:telegram:u:...'); its edge to it follows.
    platform = value.partition(":")[0] if kind == "account" else None
    return {"old": key, "new": new, "value": value, "platform": platform}


def _rounds(rows: list[dict[str, str | None]]) -> list[list[dict[str, str | None]]]:
    """The rows in rounds whose new keys are distinct (in order: the first of two comes first)."""
    rounds: list[list[dict[str, str | None]]] = []
    for row in rows:
        for round_ in rounds:
            if all(other["new"] != row["new"] for other in round_):
                round_.append(row)
                break
        else:
            rounds.append([row])
    return rounds


def rekey(driver: Driver, database: str, prefix: str, today: Today, why: str) -> int:
    """Move the identifiers, rules and suspects whose keys start with `prefix` to the keys
    `today` gives them; return how many identifiers moved."""
    rules, _, _ = driver.execute_query(RULES, prefix=prefix, database_=database, routing_="r")
    for rows in _rounds([row for r in rules if (row := _moved(r["key"], today))]):
        now = datetime.now(UTC)
        driver.execute_query(MOVE_RULES, rows=rows, now=now, why=why, database_=database)
        log.info("exclusion_rules_rekeyed", rules=len(rows))
    cap = get_settings().link_degree_cap
    moved = _pages(driver, database, IDENTIFIERS, prefix, today, JOIN_IDENTIFIERS, cap=cap)
    # Suspects on their own pass, not with the identifiers they are named after: a pass
    # stopped between the two, run again, finds no old identifier but still the suspect.
    _pages(driver, database, SUSPECTS, SUSPECT + prefix, _suspect(today), JOIN_SUSPECTS)
    return moved


def _suspect(today: Today) -> Today:
    """Today's key of a suspect: 'suspect:' + today's key of what it is named after."""

    def suspect_today(key: str) -> str | None:
        named_after = today(key.removeprefix(SUSPECT))
        return None if named_after is None else SUSPECT + named_after

    return suspect_today


def _pages(
    driver: Driver,
    database: str,
    read: str,
    prefix: str,
    today: Today,
    join: str,
    **params: Any,
) -> int:
    """Page through the keys starting with `prefix`, moving those `today` changes with
    `join`; return how many moved."""
    after, moved = "", 0
    while True:
        page, _, _ = driver.execute_query(
            read, prefix=prefix, after=after, page=PAGE, database_=database, routing_="r"
        )
        if not page:
            return moved
        after = page[-1]["key"]
        for rows in _rounds([row for r in page if (row := _moved(r["key"], today))]):
            driver.execute_query(join, rows=rows, database_=database, **params)
            moved += len(rows)
            log.info("keys_moved", kind=prefix.partition(":")[0], moved=moved)
