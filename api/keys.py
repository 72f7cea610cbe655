"""Issue or rotate an organisation's API key: `python -m api.keys ORG_ID --kind platform`.

The key is printed once; only its SHA-256 is stored (on the Organisation node). Exit status:
0 done, 1 refused (an id no report could name, a change of kind not asked for), 2 a bad
command line, 3 Neo4j out of reach.
"""

import argparse
import sys

from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graph.driver import sync_driver
from graph.organisations import KeyRefused, issue_key_of
from runtime.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api.keys", description=__doc__)
    parser.add_argument("organisation_id")
    parser.add_argument("--kind", choices=["platform", "ngo"], required=True)
    parser.add_argument(
        "--change-kind",
        action="store_true",
        help="make an organisation of the other kind this kind (it can no longer use its door)",
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    with sync_driver(settings) as driver:
        try:
            key, before = issue_key_of(
                driver, args.organisation_id, args.kind, settings.neo4j_database, args.change_kind
            )
        except KeyRefused as refused:
            sys.exit(f"python -m api.keys: {refused}")
        except (ServiceUnavailable, Neo4jError) as exc:
            # One line and its own status (as graph.exclusions), not a stack trace with the
            # status of a refusal: a script tells "try again" from "fix the command".
            print(
                f"python -m api.keys: Neo4j at {settings.neo4j_uri}: {type(exc).__name__}: {exc}",
                file=sys.stderr,
            )
            sys.exit(3)
    # The key alone on stdout (KEY=$(python -m api.keys ...)); what was done on stderr.
    done = "created" if before is None else "rotated" if before == args.kind else "changed"
    detail = f" (was {before})" if done == "changed" else ""
    print(f"{args.kind} {args.organisation_id}: key {done}{detail}", file=sys.stderr)
    print(key)


if __name__ == "__main__":
    main()
