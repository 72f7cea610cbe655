"""Issue or rotate an organisation's API key: `python -m api.keys ORG_ID --kind platform`.

The key is printed once; only its SHA-256 is stored (on the Organisation node).
"""

import argparse

from graph.driver import sync_driver
from graph.organisations import issue_key
from runtime.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api.keys", description=__doc__)
    parser.add_argument("organisation_id")
    parser.add_argument("--kind", choices=["platform", "ngo"], required=True)
    args = parser.parse_args(argv)
    settings = get_settings()
    with sync_driver(settings) as driver:
        key = issue_key(driver, args.organisation_id, args.kind, settings.neo4j_database)
    print(key)


if __name__ == "__main__":
    main()
