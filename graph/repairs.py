"""Data repairs that need Python, run once each by graph.migrate after the Cypher migrations
and marked done in the graph (a (:DataRepair {name}) node). Each can run again safely."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from neo4j import Driver, ManagedTransaction

from contracts import topics
from contracts.enums import OPEN_TASK_STATUSES, TaskStatus, TaskType
from contracts.envelope import Outgoing
from contracts.lifecycle import (
    CaseStatusChanged,
    CaseStatusPayload,
    TaskSuperseded,
    TaskSupersededPayload,
)
from graph.exclusions import LET_LINK_KEYS
from graph.lifecycle import case_status
from graph.lifecycle_cypher import APPEND_TIMELINE, SET_CASE_STATUS
from graph.linking_cypher import TAKE_DECISION_LOCK
from graph.outbox import stage_sync
from graph.rekey import rekey
from runtime.logs import get_logger
from runtime.pseudonyms import key_check, unkeyed_pseudonym, victim_pseudonym
from streams.normalise import (
    UNKNOWN_PLATFORM,
    normalise_key,
    normalise_platform,
    same_number_keys,
)

log = get_logger(__name__)
PRODUCER = "graph.repairs"

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


def _rekeying(prefix: str, why: str) -> Callable[..., int]:
    """A repair moving the identifiers, rules and suspects whose keys start with `prefix` to
    today's form (graph.rekey.rekey), recording `why`. Its `within` narrows the keys looked
    at (a test's own); returns how many identifiers moved."""

    def repair(driver: Driver, database: str, within: str = prefix) -> int:
        assert within.startswith(prefix)
        return rekey(driver, database, within, _key_today, why)

    return repair


# URL identifiers and rules in today's canonical form.
recanonicalise_urls = _rekeying(
    "url:", "a URL is compared in today's canonical form (data repair 2026-11-30)"
)
# A service's page on its other hosts and domains is the page on its main domain
# ('m.facebook.com/x' and 'www.facebook.com/x' are 'facebook.com/x', 'twitter.com/a' is
# 'x.com/a'; streams.normalise._service_host): URL identifiers and rules move again, with a
# reason of their own in the exclusion history.
join_service_hosts = _rekeying(
    "url:", "a service's page on its other hosts is its page (data repair 2026-11-30)"
)
# Account identifiers, rules and suspects in today's form. A bare run of digits read as a
# Malaysian phone by earlier code stays so: the digits as given are not kept. On a graph of
# 305,000 accounts: ~17 s, reading them all.
rekey_account_handles = _rekeying(
    "account:", "a username is read as people paste it (data repair 2026-11-30)"
)
_rekey_platform_names = _rekeying(
    "account:", "a platform is named by the service its aliases name (data repair 2026-11-30)"
)


# Since 2026-11-30 (later) a platform is named by the service its aliases resolve to:
# 'm.facebook.com', 'Facebook Messenger', 'WhatsApp Business', 'web.whatsapp.com',
# 'telegram.me', 'X (Twitter)' (streams.normalise.normalise_platform). Accounts stored under
# such a name move to the service's (graph.rekey), and so do the open takedown and
# preservation tasks addressed to it, so that the next report finds the task it calls for
# rather than opening a second one for the same service.
PLATFORM_TASK_TYPES = [TaskType.TAKEDOWN_NOTICE.value, TaskType.PRESERVATION_REQUEST.value]
OPEN_PLATFORM_TASK_TARGETS = """
MATCH (t:Task)
WHERE t.task_type IN $types AND t.status IN $open
RETURN DISTINCT t.target AS target
"""
# Each task locked before its status is read again (as a merge does, graph.linking_cypher):
# an officer starting, claiming or closing one meanwhile has committed by then, and the
# choice of the task that stays sees it. All of them before any case: an officer's action
# takes its task and then its case, so the two wait for each other rather than deadlock.
OPEN_TASKS_AT = """
MATCH (t:Task)
WHERE t.task_type IN $types AND t.status IN $open AND t.target IN $targets
SET t.lock_count = coalesce(t.lock_count, 0) + 1
WITH t, t.status AS status
WHERE status IN $open
RETURN t.id AS id, t.case_id AS cid, t.task_type AS task_type, t.target AS target,
       status, t.claimed_by IS NOT NULL AS claimed
ORDER BY t.created_at, t.id
"""
# As a merge chooses which of two open tasks of one slot stays (graph.linking_cypher): an
# officer's work or an escalation before a task nobody picked up; then the oldest.
_FURTHEST_ALONG = {"in_progress": 1, "claimed": 2, "escalated": 3}


def _furthest_along(task: Any) -> int:
    if task["status"] == "escalated" and task["claimed"]:
        return 0
    return _FURTHEST_ALONG.get(task["status"], 4)


RETARGET_TASKS = """
UNWIND $rows AS row
MATCH (t:Task {id: row.id})
WHERE t.target = row.old AND t.status IN $open
SET t.target = row.new, t.updated_at = $now
"""
UNUSED_PLATFORMS = "MATCH (p:Platform) WHERE NOT EXISTS { (p)--() } RETURN p.name AS name"
DELETE_UNUSED_PLATFORMS = """
UNWIND $names AS name
MATCH (p:Platform {name: name})
WHERE NOT EXISTS { (p)--() }
DELETE p
"""


def move_platform_aliases(
    driver: Driver, database: str, within: str = "account:", targets: list[str] | None = None
) -> int:
    """Accounts, their rules and suspects under today's platform names (graph.rekey), then
    the open tasks addressed to an old name, then the platforms no longer named. `within`
    and `targets` narrow what is looked at (a test's own). Returns accounts and tasks moved."""
    moved = _rekey_platform_names(driver, database, within)
    tasks = supersede_platform_alias_duplicates(driver, database, targets)
    unused, _, _ = driver.execute_query(UNUSED_PLATFORMS, database_=database, routing_="r")
    stale = [r["name"] for r in unused if normalise_platform(r["name"]) != r["name"]]
    if stale:
        driver.execute_query(DELETE_UNUSED_PLATFORMS, names=stale, database_=database)
    log.info("platform_aliases_moved", accounts=moved, tasks=tasks, platforms_removed=len(stale))
    return moved + tasks


def supersede_platform_alias_duplicates(
    driver: Driver, database: str, targets: list[str] | None = None
) -> int:
    """The task step of move_platform_aliases again, for graphs it ran on before it closed
    a duplicate: a case holding an open task for an alias and one for its service kept
    both. Returns the tasks moved or closed."""
    with driver.session(database=database) as session:
        return session.execute_write(_retarget_platform_tasks, targets)


def _retarget_platform_tasks(tx: ManagedTransaction, targets: list[str] | None) -> int:
    """Open takedown and preservation tasks addressed to a platform by an old name, moved to
    its name today; under the decision lock, so that no decision adds a task to the slot
    meanwhile. Of two open tasks that become one slot (two old names, or an old name and
    the service's own, in one case), the one furthest along stays, then the oldest, as a
    merge chooses, and the other closes as superseded by it: a timeline entry, the case's
    status again, and TaskSuperseded (and CaseStatusChanged) staged in the outbox, so its
    agency is told. (Until the repair 2026-11-30-platform-alias-duplicates both stayed open,
    the alias's in its queue under a name no report calls for again.) Returns the tasks
    moved or closed."""
    tx.run(TAKE_DECISION_LOCK).consume()
    open_statuses = list(OPEN_TASK_STATUSES)
    if targets is None:
        found = tx.run(OPEN_PLATFORM_TASK_TARGETS, types=PLATFORM_TASK_TYPES, open=open_statuses)
        targets = [r["target"] for r in found]
    renamed = {t: normalise_platform(t) for t in targets}
    renamed = {old: new for old, new in renamed.items() if new not in (old, UNKNOWN_PLATFORM)}
    if not renamed:
        return 0
    tasks = list(
        tx.run(
            OPEN_TASKS_AT,
            types=PLATFORM_TASK_TYPES,
            open=open_statuses,
            targets=sorted({*renamed, *renamed.values()}),
        )
    )
    # A task without a case id in the form the events need (written by hand, or before
    # migration 0006) is left as it is: a repair that raises stops every worker starting.
    odd = [t for t in tasks if not (_is_uuid(t["id"]) and _is_uuid(t["cid"]))]
    if odd:
        log.warning("platform_tasks_left_unreadable_ids", tasks=len(odd))
    tasks = [t for t in tasks if t not in odd]
    tasks.sort(key=_furthest_along)  # stable: the oldest first among equals
    stays: dict[tuple[str, str, str], str] = {}
    rows, closed = [], []
    for t in tasks:
        new = renamed.get(t["target"], t["target"])
        slot = (t["cid"], t["task_type"], new)
        if slot not in stays:
            stays[slot] = t["id"]
            if new != t["target"]:
                rows.append({"id": t["id"], "old": t["target"], "new": new})
        elif new != t["target"] or any(stays[slot] == r["id"] for r in rows):
            # Two of one slot, at least one under an old name (two under the service's name
            # are no repair's business).
            closed.append((t["id"], stays[slot]))
    now = datetime.now(UTC)
    if rows:
        tx.run(RETARGET_TASKS, rows=rows, open=open_statuses, now=now).consume()
    events = [event for task_id, by in closed for event in _supersede(tx, task_id, by, now)]
    stage_sync(tx, events, now)
    if closed:
        log.info("platform_tasks_superseded", tasks=len(closed))
    return len(rows) + len(closed)


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return value is not None


# Its status read again (OPEN_TASKS_AT locked it): still open, as the choice saw it.
SUPERSEDE_TASK = """
MATCH (t:Task {id: $id})
WHERE t.status IN $open
SET t.status = 'superseded', t.superseded_by = $by, t.updated_at = $now
RETURN t.case_id AS case_id, t.agency AS agency, t.task_type AS task_type
"""


def _supersede(tx: ManagedTransaction, task_id: str, by: str, now: datetime) -> Outgoing:
    """Close `task_id` as superseded by `by`, as a merge does (graph.linking_cypher): its
    case's timeline and status, and the events that tell its agency."""
    row = tx.run(SUPERSEDE_TASK, id=task_id, by=by, open=list(OPEN_TASK_STATUSES), now=now)
    task = row.single()
    if task is None:
        return []  # closed meanwhile
    summary = f"{task['agency']} superseded: {task['task_type']} (continued by task {by})"
    case = tx.run(
        APPEND_TIMELINE, case_id=task["case_id"], entry_id=str(uuid4()), now=now,
        kind="TaskSuperseded", agency=task["agency"], actor="system", task_id=task_id,
        summary=summary,
    ).single()  # fmt: skip
    env = {"occurred_at": now, "producer": PRODUCER, "correlation_id": UUID(task["case_id"])}
    payload = TaskSupersededPayload(
        task_id=task_id, case_id=task["case_id"], agency=task["agency"],
        status=TaskStatus.SUPERSEDED, actor="system", superseded_by=by,
        reason=f"the same task for the platform under its service's name (task {by})",
    )  # fmt: skip
    name = f"TaskSuperseded:{task_id}:platform-alias"
    events: Outgoing = [
        (
            topics.TASK_EVENTS,
            task_id,
            TaskSuperseded(event_id=uuid5(NAMESPACE_URL, name), payload=payload, **env),
        )
    ]
    if case is None:
        return events
    before = case["status"]
    after = before if before == "merged" else case_status(case["statuses"])
    if after != before:
        tx.run(SET_CASE_STATUS, case_id=task["case_id"], status=after, now=now).consume()
        status = CaseStatusPayload(case_id=task["case_id"], previous=before, current=after)
        name = f"CaseStatusChanged:{task['case_id']}:{before}:{after}:platform-alias:{task_id}"
        changed = CaseStatusChanged(event_id=uuid5(NAMESPACE_URL, name), payload=status, **env)
        events.append((topics.TASK_EVENTS, task["case_id"], changed))
    return events


# Since 2026-11-30 a WhatsApp, Telegram or WeChat handle written as a phone is that phone's
# identifier too, and excluding any key of a number excludes the others (the exclusion
# tool). A rule added before on one of them alone (a handle, say) no longer stops the
# number linking: public reports of it carry the phone now. Each gets its same-number rules.
RULE_KEYS = "MATCH (e:ExclusionRule) RETURN e.key AS key, e.reason AS reason"
# As graph.exclusions.ADD, for rules of keys already in the graph's form, in one statement.
ADD_RULES = """
UNWIND $rows AS row
MERGE (e:ExclusionRule {key: row.key})
  ON CREATE SET e.reason = row.reason, e.added_by = 'system', e.added_at = $now
WITH row, coalesce(e.added_at = $now, false) AS created
CREATE (:ExclusionChange {key: row.key, by: 'system', reason: row.reason, at: $now,
                          action: CASE WHEN created THEN 'added' ELSE 'add_repeated' END})
WITH row
OPTIONAL MATCH (i:Identifier {key: row.key})
FOREACH (_ IN CASE WHEN i IS NULL THEN [] ELSE [1] END | SET i.excluded = true)
"""


def exclude_same_numbers(driver: Driver, database: str, within: str = "") -> int:
    """Rules for the other keys of each excluded number; return how many were added. A
    number one of whose keys someone removed the rule of, and did not add again (in its form
    then or today's), is left as it is: a decision to let it link, which a repair does not
    undo. A removal the system recorded (a repair moving a rule) is no such decision. `within`
    narrows the rules looked at (a test's own)."""
    rules, _, _ = driver.execute_query(RULE_KEYS, database_=database, routing_="r")
    removed, _, _ = driver.execute_query(LET_LINK_KEYS, database_=database, routing_="r")
    let_link = {r["key"] for r in removed if r["key"]}
    let_link |= {today for key in list(let_link) if (today := _key_today(key))}
    have = {r["key"] for r in rules}
    rows: list[dict[str, str]] = []
    left = 0
    for rule in rules:
        key = rule["key"]
        if not key or not key.startswith(within):
            continue
        others = same_number_keys(key)
        if let_link.intersection([key, *others]):
            left += 1
            continue
        reason = rule["reason"] or "no reason recorded"
        for other in others:
            if other not in have:
                have.add(other)
                why = f"the same number as {key} (data repair 2026-11-30): {reason}"
                rows.append({"key": other, "reason": why})
    for start in range(0, len(rows), BATCH):
        now = datetime.now(UTC)
        driver.execute_query(
            ADD_RULES, rows=rows[start : start + BATCH], now=now, database_=database
        )
    if rows or left:
        log.info("same_number_rules_added", rules=len(rows), numbers_left_to_link=left)
    return len(rows)


REPAIRS: dict[str, Callable[[Driver, str], int]] = {
    "2026-11-30-victim-pseudonym-keyed": rekey_victim_pseudonyms,
    "2026-11-30-url-canonical": recanonicalise_urls,
    "2026-11-30-account-handles": rekey_account_handles,
    "2026-11-30-platform-aliases": move_platform_aliases,
    "2026-11-30-url-service-hosts": join_service_hosts,
    "2026-11-30-same-number-rules": exclude_same_numbers,
    "2026-11-30-platform-alias-duplicates": supersede_platform_alias_duplicates,
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
