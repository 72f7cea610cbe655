"""What the tool prints about dead letters: counts by reason and source, and a listing. Never
a report's content: sizes, reasons, sources, ids and the errors' codes and fields."""

import base64
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime

from cli.deadletters.reading import (
    NOT_COPIED,
    Kept,
    Selection,
    distinct,
    refused_again,
    replays,
    source_name,
)
from cli.table import render
from contracts import topics
from contracts.deadletters import DeadLetterReplayed, FieldError


def summary(records: Sequence[Kept]) -> str:
    """How many dead letters, by reason and by source, with the first and last of each."""
    letters = distinct(records)
    unreadable = sum(1 for k in letters if k.letter is None)
    copies = sum(1 for k in records if k.replay is None)
    lines = [
        f"{len(letters) - unreadable:,} dead letter(s) on {topics.DEAD_LETTERS} "
        f"(and {copies - len(letters):,} repeats: the same message refused twice)"
    ]
    if unreadable:
        lines.append(f"{unreadable:,} record(s) there are no dead letter (listed by offset)")
    replayed = replays(records)
    if replayed:
        known = {str(k.letter.event_id) for k in letters if k.letter is not None}
        lines.append(
            f"{len(known & replayed.keys()):,} of them sent back by a replay, the last copy of "
            f"{len(refused_again(letters, replayed)):,} of those refused again (a dead letter "
            "of its own)"
        )
    groups: list[tuple[str, Callable[[Kept], str]]] = [
        ("reason", lambda k: k.reason.partition(":")[0]),
        ("source", lambda k: source_name(k.source)),
    ]
    for column, key in groups:
        rows = _grouped(letters, records, column, key)
        table = render(rows, ["count", column, "first", "last"], 70)
        lines += ["", f"by {column}:", table]
    return "\n".join(lines)


def _grouped(
    letters: Sequence[Kept], records: Sequence[Kept], column: str, key: Callable[[Kept], str]
) -> list[dict[str, object]]:
    """Counts of distinct dead letters; first and last over every copy (a door refusing the
    same bytes again makes the same dead letter, later)."""
    counts = Counter(key(k) for k in letters)
    times: dict[str, list[datetime]] = {}
    for kept in records:
        if kept.letter is not None:
            times.setdefault(key(kept), []).append(kept.letter.occurred_at)
    return [
        {
            "count": f"{n:,}",
            column: name,
            "first": _when(min(times[name])) if name in times else "",
            "last": _when(max(times[name])) if name in times else "",
        }
        for name, n in counts.most_common()
    ]


def listing(records: Sequence[Kept], selection: Selection, limit: int) -> str:
    """The newest `limit` dead letters the selection picks, newest first."""
    letters = distinct(records)
    picked = [k for k in letters if selection.picks(k)]
    replayed = replays(records)
    refused = refused_again(letters, replayed)
    rows = [
        {
            "when": _when(k.letter.occurred_at) if k.letter else "",
            "event_id": str(k.letter.event_id) if k.letter else "",
            "reason": k.reason,
            "source": k.source,
            "original": _original(k),
            "errors": _errors(k),
            "replayed": _replayed(k, replayed, refused),
        }
        for k in reversed(picked[-limit:])
    ]
    shown = (
        f"the newest {len(rows):,} of {len(picked):,}"
        if len(picked) > limit
        else f"{len(picked):,}"
    )
    columns = ["when", "event_id", "reason", "source", "original", "errors", "replayed"]
    table = render(rows, columns, 60)
    return f"{shown} dead letter(s)\n{table}"


def _replayed(kept: Kept, replayed: dict[str, list[DeadLetterReplayed]], refused: set[str]) -> str:
    """When the dead letter was last sent back, how often, and whether that last copy was
    refused again."""
    letter_id = str(kept.letter.event_id) if kept.letter else ""
    records = replayed.get(letter_id)
    if not records:
        return ""
    last = max(r.occurred_at for r in records)
    times = f" ({len(records)} times)" if len(records) > 1 else ""
    again = ", refused again" if letter_id in refused else ""
    return f"{_when(last)}{times}{again}"


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _original(kept: Kept) -> str:
    if kept.letter is None:
        return kept.unreadable
    payload = kept.letter.payload
    if payload.original_b64 is not None:
        return f"{len(base64.b64decode(payload.original_b64)):,} bytes"
    if any(e.code == NOT_COPIED for e in payload.errors):
        return "at its source"
    return "withheld (may be media)"


def _errors(kept: Kept) -> str:
    if kept.letter is None:
        return ""
    return "; ".join(
        f"{e.code} {_field(e)}".strip() for e in kept.letter.payload.errors if e.code != NOT_COPIED
    )


def _field(error: FieldError) -> str:
    """Where the error is; a key the sender added, which may be anything they typed, is
    not repeated."""
    if error.code == "extra_forbidden":
        parent = error.field.rpartition(".")[0]
        return f"{parent}.(a key not in the contract)" if parent else "(a key not in the contract)"
    return error.field
