"""The command line of the dead-letter tool (python -m cli.deadletters)."""

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from kafka.errors import KafkaError

import cli.deadletters
from cli.deadletters.listing import listing, summary
from cli.deadletters.reading import Kept, Selection, read_all
from cli.deadletters.replay import (
    Resend,
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
    listing_.add_argument("--limit", type=_positive, default=50, help="how many (default 50)")
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


def _positive(text: str) -> int:
    """A count of 1 or more: 0 listed every letter ('picked[-0:]'), -2 all but two."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("a whole number, 1 or more")
    return value


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
    try:
        records = read_all(bootstrap, progress=_progress("read"))
    except KafkaError as exc:  # a line an operator can act on, not a stack trace
        print(f"cannot read the dead letters: Kafka at {bootstrap}: {exc!r}", file=sys.stderr)
        return 1
    if args.command == "summary":
        print(summary(records))
        return 0
    selection = Selection(args.reason, args.source, args.since, set(args.id))
    if missing := _unknown_ids(records, args.id):
        # Said, not a silent empty answer: a mistyped id looked like nothing to do.
        print(f"no dead letter with the id(s): {', '.join(missing)}", file=sys.stderr)
        return 2
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
    if plan.newer:
        # A newer version's record of a replay, unread, would have its letter sent again.
        print("nothing sent: records of a newer version are there (above)", file=sys.stderr)
        return 2
    return _send_and_record(bootstrap, plan.resend, selection.described())


# Letters sent, then recorded, a chunk at a time: an interrupted replay of a large backlog
# has recorded all but the chunk in flight, and a second replay sends only those again (it
# recorded nothing before its end, and a second one sent the whole backlog again).
REPLAY_CHUNK = 1_000


def _send_and_record(bootstrap: str, resend: list[Resend], described: str) -> int:
    sent_count, done, all_recorded, any_unsent = 0, 0, True, False
    try:
        for start in range(0, len(resend), REPLAY_CHUNK):
            sent, unsent = send_back(bootstrap, resend[start : start + REPLAY_CHUNK])
            sent_count += len(sent)
            for event_id, why in unsent.items():
                print(f"not sent: {event_id}: {why}")
            any_unsent |= bool(unsent)
            if sent:
                all_recorded &= _recorded(bootstrap, replay_records(sent, described, _now()))
            done = sent_count
            print(f"  sent {sent_count:,} of {len(resend):,}...", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        print(
            f"interrupted after {done:,} sent and recorded: the chunk in flight (up to "
            f"{REPLAY_CHUNK:,}) may have gone unrecorded, and a second replay of this selection "
            "sends those again (safe: a report linked answers with its stored outcome)",
            file=sys.stderr,
        )
        return 130
    print(f"sent {sent_count:,}")
    return 1 if any_unsent or not all_recorded else 0


def _unknown_ids(records: list[Kept], wanted: list[str]) -> list[str]:
    known = {str(k.letter.event_id) for k in records if k.letter is not None}
    return [event_id for event_id in wanted if event_id not in known]


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
