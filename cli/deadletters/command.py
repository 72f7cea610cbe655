"""The command line of the dead-letter tool (python -m cli.deadletters)."""

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import cli.deadletters
from cli.deadletters.listing import listing, summary
from cli.deadletters.reading import Selection, read_all
from cli.deadletters.replay import (
    describe_plan,
    plan_replay,
    record_replays,
    replay_records,
    send_back,
)
from contracts import topics
from contracts.deadletters import DeadLetterReplayed
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
        command.add_argument(
            "--id", action="append", default=[], type=_event_id, help="an event id (repeatable)"
        )
    listing_.add_argument("--limit", type=int, default=50)
    replay.add_argument("--yes", action="store_true", help="send; without it, only show")
    replay.add_argument(
        "--again", action="store_true", help="send dead letters replayed before too"
    )
    return parser


def _event_id(text: str) -> str:
    """A dead letter's event id, in the form listings print it: a replay records what is
    given here for ever, so nothing else is taken."""
    try:
        return str(UUID(text))
    except ValueError:
        raise argparse.ArgumentTypeError("an event id is a UUID, as `list` prints it") from None


def _progress(what: str) -> Callable[[int], None]:
    return lambda n: print(f"  {what} {n:,}...", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0, or 1 if a replay left some unsent or could not
    record every replay it sent, 2 if the command was refused."""
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
    plan = plan_replay(records, selection, again=args.again)
    print(describe_plan(plan))
    if not plan.resend:
        return 0
    if not args.yes:
        print("nothing sent: run again with --yes to send")
        return 0
    sent, unsent = send_back(bootstrap, plan.resend, _progress("sent"))
    print(f"sent {len(sent):,}")
    for event_id, why in unsent.items():
        print(f"not sent: {event_id}: {why}")
    if sent and not _recorded(bootstrap, replay_records(sent, selection.described(), _now())):
        return 1
    return 1 if unsent else 0


def _now() -> datetime:
    return datetime.now(UTC)


def _recorded(bootstrap: str, replays: list[DeadLetterReplayed]) -> bool:
    """Record the replays beside their dead letters; say so if that failed: the copies went,
    and a second replay of the same selection would send them again (safe: a report linked
    answers with its stored outcome), so the operator should know."""
    try:
        written = record_replays(bootstrap, replays)
        why = ""
    except Exception as exc:  # noqa: BLE001 - the sends happened: report, do not hide them
        written, why = 0, f" ({type(exc).__name__})"
    if written == len(replays):
        print(f"recorded {written:,} replay(s) on {topics.DEAD_LETTERS}")
        return True
    print(
        f"sent, but only {written:,} of {len(replays):,} replay(s) could be recorded on "
        f"{topics.DEAD_LETTERS}{why}: a second replay of this selection sends the others again",
        file=sys.stderr,
    )
    return False
