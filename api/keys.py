"""Issue or rotate an organisation's API key: `python -m api.keys ORG_ID --kind platform`.

The key is printed once; only its SHA-256 is stored (on the Organisation node).
"""

import argparse
import sys

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
    # The key alone on stdout (KEY=$(python -m api.keys ...)); what was done on stderr.
    done = "created" if before is None else "rotated" if before == args.kind else "changed"
    detail = f" (was {before})" if done == "changed" else ""
    print(f"{args.kind} {args.organisation_id}: key {done}{detail}", file=sys.stderr)
    print(key)


if __name__ == "__main__":
    main()
