"""Data repairs that need Python, run once each by graph.migrate after the Cypher migrations
and marked done in the graph (a (:DataRepair {name}) node). Each can run again safely."""

from collections.abc import Callable

from neo4j import Driver

from graph.rekey import rekey
from runtime.logs import get_logger
from runtime.pseudonyms import key_check, unkeyed_pseudonym, victim_pseudonym
from streams.normalise import normalise_key

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
# encoded form. And a username as people paste it (full-width forms, invisible characters,
# a profile link: streams.normalise.normalise_username). Identifiers, exclusion rules and
# suspects stored in another form move to today's (graph.rekey).


def _key_today(key: str) -> str | None:
    """A stored key as intake would write it today (normalise_key: canonical_url for a URL,
    normalise_username for a handle)."""
    try:
        return normalise_key(key)
    except ValueError:
        return None  # no longer a linkable value: left as it is


def recanonicalise_urls(driver: Driver, database: str, within: str = "url:") -> int:
    """URL identifiers and rules in today's form (graph.rekey.rekey); `within` narrows the
    keys looked at (a test's own)."""
    assert within.startswith("url:")
    why = "a URL is compared in today's canonical form (data repair 2026-11-30)"
    return rekey(driver, database, within, _key_today, why)


def rekey_account_handles(driver: Driver, database: str, within: str = "account:") -> int:
    """Account identifiers, rules and suspects in today's form (graph.rekey.rekey). A bare
    run of digits read as a Malaysian phone by earlier code stays so: the digits as given
    are not kept. On a graph of 305,000 accounts: ~17 s, reading them all."""
    assert within.startswith("account:")
    why = "a username is read as people paste it (data repair 2026-11-30)"
    return rekey(driver, database, within, _key_today, why)


REPAIRS: dict[str, Callable[[Driver, str], int]] = {
    "2026-11-30-victim-pseudonym-keyed": rekey_victim_pseudonyms,
    "2026-11-30-url-canonical": recanonicalise_urls,
    "2026-11-30-account-handles": rekey_account_handles,
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
