"""The exclusion list: identifiers that must never link reports (a carrier NAT address, a
placeholder phone number, a viral file). Each rule is an ExclusionRule node with its reason,
so the list is visible in the graph; the Identifier it names carries `excluded`.

    python -m graph.exclusions add ip:203.0.113.7 --reason "carrier NAT address" --by admin-1
    python -m graph.exclusions remove ip:203.0.113.7
    python -m graph.exclusions list

Keys are the normalised identifier keys the graph shows (`kind:value`). An exclusion stops
linking from the next report on; cases already linked through the identifier stay as they
are. Removing one lets the identifier link again: the next report that mentions it joins
(and merges) every case reached through it.
"""

import argparse
import sys
from datetime import UTC, datetime
from typing import Any, get_args

from neo4j import Driver

from contracts.cases import Identifier
from graph.driver import sync_driver
from runtime.settings import get_settings

KINDS = frozenset(get_args(Identifier.model_fields["kind"].annotation))

ADD = """
MERGE (e:ExclusionRule {key: $key})
SET e.reason = $reason, e.added_by = $by, e.added_at = $now
WITH e
OPTIONAL MATCH (i:Identifier {key: $key})
SET i.excluded = true
RETURN i IS NOT NULL AS known
"""

REMOVE = """
OPTIONAL MATCH (e:ExclusionRule {key: $key})
DELETE e
WITH e
OPTIONAL MATCH (i:Identifier {key: $key})
SET i.excluded = false
RETURN e IS NOT NULL AS removed
"""

LIST = """
MATCH (e:ExclusionRule)
OPTIONAL MATCH (i:Identifier {key: e.key})
RETURN e.key AS key, e.reason AS reason, e.added_by AS added_by,
       toString(e.added_at) AS added_at, coalesce(i.report_count, 0) AS reports
ORDER BY e.key
"""


class BadKey(ValueError):
    pass


def check_key(key: str) -> str:
    """A key as the graph names identifiers: a known kind, a colon, a value."""
    kind, sep, value = key.partition(":")
    if not sep or kind not in KINDS or not value.strip():
        kinds = ", ".join(sorted(KINDS))
        raise BadKey(f"not an identifier key: {key!r} (expected KIND:VALUE, KIND one of {kinds})")
    return key


def add_exclusion(driver: Driver, key: str, reason: str, by: str, database: str = "neo4j") -> bool:
    """Exclude `key` from linking; True if the graph already has that identifier."""
    if not reason.strip():
        raise ValueError("an exclusion needs a reason")
    records, _, _ = driver.execute_query(
        ADD,
        key=check_key(key),
        reason=reason,
        by=by,
        now=datetime.now(UTC),
        database_=database,
    )
    return bool(records[0]["known"])


def remove_exclusion(driver: Driver, key: str, database: str = "neo4j") -> bool:
    """Let `key` link again; True if it was excluded."""
    records, _, _ = driver.execute_query(REMOVE, key=check_key(key), database_=database)
    return bool(records[0]["removed"])


def list_exclusions(driver: Driver, database: str = "neo4j") -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(LIST, database_=database)
    return [dict(r) for r in records]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m graph.exclusions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="exclude an identifier from linking")
    add.add_argument("key")
    add.add_argument("--reason", required=True)
    add.add_argument("--by", required=True, help="who decided (pseudonymous subject)")
    sub.add_parser("remove", help="let an identifier link again").add_argument("key")
    sub.add_parser("list", help="every exclusion, with its reason")
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        with sync_driver(settings) as driver:
            db = settings.neo4j_database
            if args.command == "add":
                known = add_exclusion(driver, args.key, args.reason, args.by, db)
                print(f"excluded {args.key}" + ("" if known else " (not in the graph yet)"))
            elif args.command == "remove":
                removed = remove_exclusion(driver, args.key, db)
                print(f"{'removed' if removed else 'was not excluded:'} {args.key}")
            else:
                for row in list_exclusions(driver, db):
                    print(
                        f"{row['key']}\t{row['reports']} reports\t{row['added_at']}\t"
                        f"{row['added_by']}\t{row['reason']}"
                    )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
