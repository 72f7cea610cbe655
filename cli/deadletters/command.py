"""The command line of the dead-letter tool (python -m cli.deadletters)."""

import argparse
import sys
from collections.abc import Callable
from datetime import datetime

import cli.deadletters
from cli.deadletters.listing import listing, summary
from cli.deadletters.reading import Selection, read_all
from cli.deadletters.replay import describe_plan, plan_replay, send_back
from runtime.settings import get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cli.deadletters",
        description=cli.deadletters.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("summary", help="how many dead letters, by reason and by source")
    listing_ = sub.add_parser("list", help="dead letters, newest first")
    replay = sub.add_parser("replay", help="send originals back to the topic they came from")
    for command in (listing_, replay):
        command.add_argument("--reason", help="a reason, or its part before ':'")
        command.add_argument("--source", help="a topic, or an HTTP route as listed")
        command.add_argument("--since", type=datetime.fromisoformat, help="ISO time, with zone")
        command.add_argument("--id", action="append", default=[], help="an event id (repeatable)")
    listing_.add_argument("--limit", type=int, default=50)
    replay.add_argument("--yes", action="store_true", help="send; without it, only show")
    return parser


def _progress(what: str) -> Callable[[int], None]:
    return lambda n: print(f"  {what} {n:,}...", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0, or 1 if a replay left some unsent, 2 if refused."""
    args = _parser().parse_args(argv)
    bootstrap = get_settings().kafka_bootstrap
    if args.command == "replay" and args.reason is None and not args.id:
        print(
            "replay needs --reason or --id: a replay of everything is never meant", file=sys.stderr
        )
        return 2
    if getattr(args, "since", None) is not None and args.since.tzinfo is None:
        print("--since needs a time zone, e.g. 2026-11-30T08:00:00+08:00", file=sys.stderr)
        return 2
    records = read_all(bootstrap, progress=_progress("read"))
    if args.command == "summary":
        print(summary(records))
        return 0
    selection = Selection(args.reason, args.source, args.since, set(args.id))
    if args.command == "list":
        print(listing(records, selection, args.limit))
        return 0
    plan = plan_replay(records, selection)
    print(describe_plan(plan))
    if not plan.resend:
        return 0
    if not args.yes:
        print("nothing sent: run again with --yes to send")
        return 0
    sent, unsent = send_back(bootstrap, plan.resend, _progress("sent"))
    print(f"sent {sent:,}")
    for event_id, why in unsent.items():
        print(f"not sent: {event_id}: {why}")
    return 1 if unsent else 0
