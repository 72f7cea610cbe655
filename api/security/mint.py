"""Print a local bearer token.

`ocsea token --sub alice --role officer --agency PDRM [--ttl 3600]`
(or `python -m api.security.mint ...`)
"""

import argparse

from api.security.principal import Role
from api.security.tokens import MAX_LIFETIME_S, check_shape, mint_token
from contracts.enums import Agency
from contracts.lifecycle import is_system_name
from runtime.settings import get_settings


def main(argv: list[str] | None = None, prog: str | None = None) -> None:
    """Parse the arguments and print one token signed with the API's key (OCSEA_JWT_SECRET,
    or this install's own key: api.security.tokens.signing_key)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("--sub", required=True, help="pseudonymous subject, never a name")
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--agency", choices=[a.value for a in Agency], default=None)
    parser.add_argument("--org", default=None, help="organisation id (platform/ngo roles)")
    parser.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    args = parser.parse_args(argv)
    role = Role(args.role)
    agency = Agency(args.agency) if args.agency else None
    # Refuse here what the verifier would refuse later, with the same reason.
    problem = check_shape(role, agency, args.org)
    if problem:
        parser.error(problem)
    if is_system_name(args.sub):
        parser.error(f"--sub {args.sub!r} is the system's own name, no person's")
    if args.ttl > MAX_LIFETIME_S:
        parser.error(f"--ttl: a token may live {MAX_LIFETIME_S} s at most")
    if args.ttl < 1:  # 0 or less minted a token expired at once, with status 0
        parser.error("--ttl: a token lives 1 s at least")
    settings = get_settings()
    print(mint_token(args.sub, role, agency, settings, args.ttl, organisation_id=args.org))


if __name__ == "__main__":
    main()
