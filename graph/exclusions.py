"""The exclusion list: identifiers that must never link reports (a carrier NAT address, a
placeholder phone number, a viral file). Each rule is an ExclusionRule node with its reason,
so the list is visible in the graph; the Identifier it names carries `excluded`. Every
addition and removal is also kept as an ExclusionChange node (who, when, why), which stays
after the rule is gone.

    python -m graph.exclusions add phone:012-345 6789 --reason "placeholder number" --by admin-1
    python -m graph.exclusions remove phone:+60123456789 --reason "real number" --by admin-1
    python -m graph.exclusions list
    python -m graph.exclusions history phone:+60123456789

A key is `kind:value`, read the way reports are normalised (a phone to E.164, an e-mail in
lower case, a URL canonicalised), so the rule names the identifier reports really carry; a
key the graph already holds exactly (copied from it) is taken as it is. The tool prints the
key it used. An exclusion stops linking from the next report on; cases
already linked through the identifier stay as they are. Removing one lets the identifier
link again: the next report that mentions it joins (and merges) every case reached through
it, so a removal that would merge cases asks for --yes.

What one key names is excluded whole: a number under its other keys (a WhatsApp handle
written as the phone), a file under its other hashes (those a report gave with it in one
content item: excluded by its SHA-256, a viral file went on linking by its MD5). Each gets a
rule of its own, saying why, unless someone removed that key's rule before (then it is
listed, to be excluded on its own); a removal lists them, still excluded.

`--by` names the person who decided, never 'system' (the data repairs' own name).
"""

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from pydantic import ValidationError

from contracts.lifecycle import is_system_name
from contracts.reports import ContentItem
from graph.driver import sync_driver
from graph.linking_cypher import LIVE_CASE, TAKE_DECISION_LOCK
from graph.submitted import read_message
from runtime.controlchars import CONTROL
from runtime.settings import get_settings
from streams.normalise import file_keys, normalise_key, profile_account_keys, same_number_keys

# A rule added again keeps who added it first and why; the attempt is still recorded.
ADD = """
MERGE (e:ExclusionRule {key: $key})
  ON CREATE SET e.reason = $reason, e.added_by = $by, e.added_at = $now
// Only a rule this statement created carries this statement's time.
WITH e, coalesce(e.added_at = $now, false) AS created
CREATE (:ExclusionChange {key: $key, action: CASE WHEN created THEN 'added' ELSE 'add_repeated' END,
                          by: $by, reason: $reason, at: $now})
WITH e, created
OPTIONAL MATCH (i:Identifier {key: $key})
SET i.excluded = true
RETURN created, i IS NOT NULL AS known, e.added_by AS added_by, e.reason AS reason
"""

# The live cases the identifier's linking mentions reach (the first $cap, as the linker
# reads them): removing its rule lets the next report that mentions it merge them all.
REACH = (
    """
OPTIONAL MATCH (e:ExclusionRule {key: $key})
OPTIONAL MATCH (i:Identifier {key: $key})
// A hub no longer links (and removal asks nothing): its mentions, maybe thousands, are not
// walked, as this runs under the linker's decision lock.
CALL (i) {
  WITH i WHERE coalesce(i.report_count, 0) < $cap
  MATCH (i)<-[y:MENTIONS]-(r:Report)
  WHERE y.seq < $cap AND r.case_id IS NOT NULL
  WITH DISTINCT r.case_id AS cid
  MATCH (c:Case {id: cid})"""
    + LIVE_CASE
    + """  RETURN count(DISTINCT coalesce(s, c)) AS cases
}
RETURN e IS NOT NULL AS excluded, cases, coalesce(i.report_count, 0) >= $cap AS hub
"""
)

REMOVE = """
MATCH (e:ExclusionRule {key: $key})
DELETE e
CREATE (:ExclusionChange {key: $key, action: 'removed', by: $by, reason: $reason, at: $now})
WITH count(*) AS removed
OPTIONAL MATCH (i:Identifier {key: $key})
SET i.excluded = false
RETURN removed
"""

LIST = """
MATCH (e:ExclusionRule)
OPTIONAL MATCH (i:Identifier {key: e.key})
RETURN e.key AS key, e.reason AS reason, e.added_by AS added_by,
       toString(e.added_at) AS added_at, coalesce(i.report_count, 0) AS reports
ORDER BY e.key
"""

# A key the graph already holds exactly (an identifier, a rule, a change) is taken as it is:
# typed from what the graph shows, it must not be normalised a second time, and rules
# stored before keys were normalised stay manageable.
KNOWN_KEY = """
RETURN EXISTS { MATCH (:Identifier {key: $key}) }
       OR EXISTS { MATCH (:ExclusionRule {key: $key}) }
       OR EXISTS { MATCH (:ExclusionChange {key: $key}) } AS known
"""

HISTORY = """
MATCH (c:ExclusionChange {key: $key})
RETURN toString(c.at) AS at, c.action AS action, c.by AS by, c.reason AS reason
ORDER BY c.at
"""


# The reports read for a file's other hashes: its first ones (a platform that reports a file
# gives all the hashes it has), by their mentions' order, not every report of a viral file.
SAME_FILE_REPORTS = 1_000
MESSAGES_OF = """
MATCH (:Identifier {key: $key})<-[m:MENTIONS]-(r:Report)
WHERE m.seq < $limit AND r.submitted_zlib IS NOT NULL
RETURN collect(r.submitted_zlib) AS messages
"""


def same_file_keys(driver: Driver, key: str, database: str) -> list[str]:
    """The other hashes of the file content `key` names: those a report gave with it in one
    content item (MD5, SHA-1, SHA-256, PDQ, PhotoDNA of one file). Each links on its own, so
    a viral file excluded by one of its hashes went on linking through the others."""
    if not key.startswith("content:"):
        return []
    records, _, _ = driver.execute_query(
        MESSAGES_OF, key=key, limit=SAME_FILE_REPORTS, database_=database, routing_="r"
    )
    found: set[str] = set()
    for stored in records[0]["messages"]:
        for item in _content_items(stored):
            keys = file_keys(item)
            if key in keys:
                found.update(keys)
    found.discard(key)
    return sorted(found)


def _content_items(stored: bytes) -> list[ContentItem]:
    """A stored report's content items, as intake read them; none from one unreadable."""
    try:
        _, report = read_message(stored)
        return [ContentItem.model_validate(item) for item in report.get("content") or []]
    except (ValueError, ValidationError, TypeError):
        return []


def sibling_keys(driver: Driver, key: str, database: str) -> list[tuple[str, str]]:
    """The keys that name what `key` names, with what they share: a number's other keys
    (streams.normalise.same_number_keys) and a file's other hashes."""
    numbers = [(other, "number") for other in same_number_keys(key)]
    return numbers + [(other, "file") for other in same_file_keys(driver, key, database)]


@dataclass(frozen=True)
class Added:
    key: str
    created: bool  # False: the rule was there already, and is kept as it was
    known: bool  # the graph has the identifier already
    added_by: str
    reason: str


@dataclass(frozen=True)
class Reach:
    excluded: bool
    cases: int  # live cases the identifier reached before it was excluded
    hub: bool  # past the degree cap: it will not link again anyway

    @property
    def merges_on_removal(self) -> bool:
        return self.excluded and not self.hub and self.cases > 1


class NeedsConfirmation(ValueError):
    pass


# A reason or a name is printed in `list`'s and `history`'s tab-separated columns: a tab or a
# line break in one shifted or split the rows after it (runtime.controlchars).


def _checked(text: str, what: str) -> str:
    if not text.strip():
        raise ValueError(f"an exclusion change needs {what}")
    if CONTROL.search(text.strip()):
        raise ValueError(f"{what} must be one line, without tabs or other control characters")
    return text.strip()


def _decided_by(by: str) -> str:
    by = _checked(by, "who decided it (--by)")
    # The data repairs' own changes are recorded as by 'system', and a removal by 'system' is
    # not a person's decision to let a key link (LET_LINK): a person's recorded so was ignored.
    if is_system_name(by):
        raise ValueError(
            f"--by {by!r} is kept for the data repairs' own changes: give your own subject"
        )
    return by


def resolve_key(driver: Driver, typed: str, database: str) -> str:
    """The key as the graph holds it, else as reports would carry it (normalised)."""
    key = typed.strip()
    records, _, _ = driver.execute_query(KNOWN_KEY, key=key, database_=database)
    return key if records[0]["known"] else normalise_key(key)


def add_exclusion(driver: Driver, key: str, reason: str, by: str, database: str) -> Added:
    """Exclude `key` from linking."""
    key = resolve_key(driver, key, database)
    if key.startswith("url:") and (named := profile_account_keys(key[4:])):
        # Such a link links as its account and number since 2026-12-02: a rule on the link
        # would never match, and the account go on linking (a review).
        raise ValueError(
            f"{key} is a link to a profile, which links as {' and '.join(named)}: exclude "
            "that key instead"
        )
    records, _, _ = driver.execute_query(
        ADD,
        key=key,
        reason=_checked(reason, "a reason"),
        by=_decided_by(by),
        now=datetime.now(UTC),
        database_=database,
    )
    row = records[0]
    return Added(key, row["created"], row["known"], row["added_by"], row["reason"])


def reach(driver: Driver, key: str, database: str, cap: int) -> Reach:
    key = resolve_key(driver, key, database)
    with driver.session(database=database) as session:
        return session.execute_read(_reach, key, cap)


def _reach(tx: ManagedTransaction, key: str, cap: int) -> Reach:
    row = tx.run(REACH, key=key, cap=cap).single(strict=True)
    return Reach(row["excluded"], row["cases"], row["hub"])


def remove_exclusion(
    driver: Driver, key: str, reason: str, by: str, database: str, cap: int, confirmed: bool
) -> tuple[str, bool]:
    """Let `key` link again: (the key, whether it was excluded). A removal that lets the
    next report merge cases is refused unless `confirmed`."""
    key = resolve_key(driver, key, database)
    reason, by = _checked(reason, "a reason"), _decided_by(by)

    def remove(tx: ManagedTransaction) -> bool:
        # The reach is checked and the rule deleted in one transaction that holds the
        # linker's decision lock: no decision can attach a report between the two and
        # raise the reach unseen (checked apart, a second case could appear in between and
        # be merged without the --yes this asks for).
        taken = tx.run(TAKE_DECISION_LOCK + "RETURN count(lock) AS taken").single(strict=True)
        if taken["taken"] != 1:
            raise RuntimeError(
                "the linker's decision lock is missing: run the migrations "
                "(python -m streams.provision)"
            )
        found = _reach(tx, key, cap)
        if found.merges_on_removal and not confirmed:
            raise NeedsConfirmation(
                f"{key} reaches {found.cases} cases: the next report that mentions it will "
                "merge them into one. Run again with --yes to remove the exclusion."
            )
        row = tx.run(REMOVE, key=key, reason=reason, by=by, now=datetime.now(UTC)).single()
        return row is not None and row["removed"] > 0

    with driver.session(database=database) as session:
        return key, session.execute_write(remove)


# A person's last word on a key (not the system's: a data repair that moves a rule to a new
# key records the old one as removed) was to remove its rule.
LET_LINK = """
  WITH c.key AS key, c ORDER BY c.at DESC
  WITH key, collect(c.action)[0] AS latest
  WHERE latest = 'removed'
  RETURN key
"""
REMOVED_AMONG = (
    """
UNWIND $keys AS key
MATCH (c:ExclusionChange {key: key}) WHERE c.by <> 'system'
"""
    + LET_LINK
)
LET_LINK_KEYS = "MATCH (c:ExclusionChange) WHERE c.by <> 'system'" + LET_LINK


def removed_among(driver: Driver, keys: list[str], database: str) -> set[str]:
    """The keys whose rule someone removed, and did not add again: a decision to let them
    link."""
    records, _, _ = driver.execute_query(REMOVED_AMONG, keys=keys, database_=database, routing_="r")
    return {r["key"] for r in records}


EXCLUDED_AMONG = """
UNWIND $keys AS key
MATCH (:ExclusionRule {key: key})
RETURN key
"""


def excluded_among(driver: Driver, keys: list[str], database: str) -> set[str]:
    """The keys that have a rule."""
    records, _, _ = driver.execute_query(EXCLUDED_AMONG, keys=keys, database_=database)
    return {r["key"] for r in records}


def list_exclusions(driver: Driver, database: str) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(LIST, database_=database)
    return [dict(r) for r in records]


def history(driver: Driver, key: str, database: str) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(
        HISTORY, key=resolve_key(driver, key, database), database_=database
    )
    return [dict(r) for r in records]


def _print_reach(driver: Driver, key: str, database: str, cap: int) -> None:
    """What the rule leaves as it is: the cases already linked through the identifier (as
    `remove` tells what its removal would merge)."""
    found = reach(driver, key, database, cap)
    if found.hub:
        print(f"  it is past the degree cap ({cap} reports) already: it links no more reports")
    elif found.cases:
        print(f"  it reaches {found.cases} live case(s), which stay linked as they are")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m graph.exclusions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="exclude an identifier from linking")
    remove = sub.add_parser("remove", help="let an identifier link again")
    for command in (add, remove):
        command.add_argument("key", nargs="+", help="kind:value (spaces allowed)")
        command.add_argument("--reason", required=True)
        command.add_argument("--by", required=True, help="who decided (pseudonymous subject)")
    remove.add_argument("--yes", action="store_true", help="remove even if cases will merge")
    sub.add_parser("list", help="every exclusion, with its reason")
    sub.add_parser("history", help="every change to one key").add_argument("key", nargs="+")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    db = settings.neo4j_database
    key = " ".join(getattr(args, "key", []))
    try:
        with sync_driver(settings) as driver:
            if args.command == "add":
                added = add_exclusion(driver, key, args.reason, args.by, db)
                if not added.created:
                    print(f"already excluded: {added.key} (by {added.added_by}: {added.reason})")
                else:
                    note = "" if added.known else " (not in the graph yet: no report carries it)"
                    print(f"excluded {added.key}{note}")
                    _print_reach(driver, added.key, db, settings.link_degree_cap)
                # The same number under its other keys, or the same file under its other
                # hashes, links too: excluded with it, but for a key whose rule someone
                # removed (listed, to be excluded on its own). A key with its rule already
                # is left as it is (an `add` repeated recorded an attempt on each of them).
                others = sibling_keys(driver, added.key, db)
                kept = removed_among(driver, [other for other, _ in others], db)
                ruled = excluded_among(driver, [other for other, _ in others], db)
                for other, same in others:
                    if other in kept:
                        print(f"left to link: {other} (its rule was removed; see its history)")
                        continue
                    if other in ruled:
                        continue
                    why = f"the same {same} as {added.key}: {args.reason}"
                    also = add_exclusion(driver, other, why, args.by, db)
                    if also.created:
                        print(f"excluded {also.key} (the same {same})")
            elif args.command == "remove":
                cap = settings.link_degree_cap
                key, removed = remove_exclusion(
                    driver, key, args.reason, args.by, db, cap, args.yes
                )
                if not removed:
                    print(f"not excluded: {key}", file=sys.stderr)
                    return 1
                print(f"removed {key}")
                excluded = {row["key"] for row in list_exclusions(driver, db)}
                for other, same in sibling_keys(driver, key, db):
                    if other in excluded:
                        print(f"still excluded: {other} (the same {same}; remove it on its own)")
            elif args.command == "history":
                rows = history(driver, key, db)
                if not rows:  # an empty answer read as if the tool had failed
                    print(f"no exclusion changes recorded for {resolve_key(driver, key, db)}")
                for row in rows:
                    print(f"{row['at']}\t{row['action']}\t{row['by']}\t{row['reason']}")
            else:
                for row in list_exclusions(driver, db):
                    print(
                        f"{row['key']}\t{row['reports']} reports\t{row['added_at']}\t"
                        f"{row['added_by']}\t{row['reason']}"
                    )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ServiceUnavailable, Neo4jError) as exc:
        print(f"error: Neo4j at {settings.neo4j_uri}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
