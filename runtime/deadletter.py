"""Build dead-letter records: the original bytes, the reason and where they came from."""

import base64
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from contracts import topics
from contracts.deadletters import (
    OUTPUT_REFUSED,
    OUTPUT_REFUSED_BY_KAFKA,
    REFUSED_SOURCE_PREFIX,
    DeadLetterPayload,
    DeadLetterRecorded,
    FieldError,
)
from contracts.media import (
    MEDIA_REFUSED,
    looks_like_media,
    pieces_look_like_media,
    refuse_media_in,
    strings_in,
)
from contracts.registry import encode_event
from runtime import metrics
from runtime.logs import get_logger
from runtime.produce import Record, Refusal

log = get_logger(__name__)

# Room for the dead letter's other fields within the dead-letter topic's record limit.
ORIGINAL_MAX_B64 = topics.LARGE_RECORD_MAX_BYTES - 100_000


def _not_copied(size: int, source: str) -> FieldError:
    message = (
        f"the original ({size} bytes) is too large to copy into a dead letter: it stays at "
        f"{source} for that topic's retention; original_sha256 identifies it"
    )
    return FieldError(code="original_not_copied", field="", message=message)


def _media_in_json(raw: bytes) -> bool:
    """Media in a JSON string or key as it reads decoded: escaped ('\\/' for '/', '\\u0041'),
    base64 is no run in the bytes, and an image in a field the contract does not have (a
    refusal made before any field is checked) was kept in the letter. Or a file cut into
    pieces across strings or keys ('{"<200 base64>": 0, "<the next 200>": 0, ...}', refused
    as unknown fields): its bytes read as no file, and each piece is short."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return False
    try:
        refuse_media_in(data)
    except ValueError:
        return True
    return pieces_look_like_media(strings_in(data))


# A run of base64 in a field's name, long enough to be a file's piece and mixing cases and
# digits as base64 does: no field of the contracts has one ('suspected_categories' mixes none).
_PIECE_IN_FIELD = re.compile(r"[A-Za-z0-9+/_-]{16,}")


def _field_withheld(error: FieldError) -> FieldError:
    """An error of a letter withheld as media, without a field name that may be a piece of
    the file (the errors of unknown keys named each key: together they were the file)."""
    for run in _PIECE_IN_FIELD.findall(error.field):
        if any(c.isupper() for c in run) and any(c.isdigit() for c in run):
            return FieldError(code=error.code, field="(withheld)", message=error.message)
    return error


def withheld_as_media(raw: bytes, errors: Sequence[FieldError] = ()) -> bool:
    """Whether a dead letter withholds these bytes as possible media: refused as media, or
    media-like as text or as its JSON decodes. The replay tool asks the same of a copy an
    earlier version kept (cli.deadletters), so that it never sends on what today's check
    would not have kept."""
    return (
        any(e.code == MEDIA_REFUSED for e in errors)
        or looks_like_media(raw.decode("utf-8", errors="replace"))
        or _media_in_json(raw)
    )


def dead_letter(
    raw: bytes | None,
    source: str,
    reason: str,
    errors: list[FieldError],
    producer: str,
    received_at: datetime | None = None,
) -> DeadLetterRecorded:
    """A dead letter for `raw`; media-like bytes are withheld and kept only as a hash. A
    message with no value at all (None) is kept as empty bytes: its source says which.
    `received_at`: its Kafka record's time, for a replay to send it back with."""
    raw = raw if raw is not None else b""
    digest = hashlib.sha256(raw).hexdigest()
    suspicious = withheld_as_media(raw, errors)
    copy = None
    if suspicious:
        errors = [_field_withheld(e) for e in errors]
    if not suspicious and 4 * -(-len(raw) // 3) > ORIGINAL_MAX_B64:  # its base64 length
        # Copied whole, the dead letter would pass the topic's record limit, and a send that
        # can never succeed holds its batch back for ever. The message stays at its source.
        errors = [*errors, _not_copied(len(raw), source)]
    elif not suspicious:
        copy = base64.b64encode(raw).decode()
    # The event id is derived from source and content so a redelivered bad message
    # produces the same dead letter, not a second one.
    event_id = uuid5(NAMESPACE_URL, f"deadletter:{source}:{digest}")
    return DeadLetterRecorded(
        event_id=event_id,
        occurred_at=datetime.now(UTC),
        producer=producer,
        correlation_id=event_id,
        payload=DeadLetterPayload(
            source=source,
            reason=reason,
            errors=errors,
            original_b64=copy,
            original_sha256=digest,
            received_at=received_at,
        ),
    )


@dataclass(frozen=True)
class Origin:
    """The message a record was made from: its bytes as received and where they are."""

    raw: bytes | None
    source: str  # topic/partition@offset (runtime.faustapp.event_source)
    # Its Kafka record's time, where it is the report's time received (intake: a message
    # with no recorded_at), for a replay to send it back with (DeadLetterPayload.received_at).
    received_at: datetime | None = None


def refused_letter(refusal: Refusal, producer: str) -> DeadLetterRecorded | None:
    """A dead letter for a record Kafka refused on its way out (runtime.produce): its bytes,
    Kafka's error, and the topic and key it was going to. None when the letter could not
    hold the bytes (too large to copy, or withheld as possible media): the sender keeps the
    message it was made from instead (letters_for_refused), or, knowing none, tries the
    record again; the outbox relay sets it aside in the graph (OutboxRefused)."""
    topic, key, value = refusal.record
    source = f"{REFUSED_SOURCE_PREFIX}{topic} key={key.decode(errors='replace')}"
    letter = dead_letter(value, source, f"refused_by_kafka: {refusal.error}", [], producer)
    return letter if letter.payload.original_b64 is not None else None


def letters_for_refused(
    refused: Sequence[Refusal],
    producer: str,
    origins: Mapping[Record, Origin] | None = None,
    kept_in_place: set[str] | None = None,
) -> tuple[list[Record], list[Record]]:
    """For records Kafka refused for what they are: (the dead-letter records to send instead,
    the records no dead letter can stand for). A refused dead letter is never wrapped in
    another. The sender counts the letters once they are acked (count_refused_kept).

    A record a letter cannot hold, made from a message named in `origins`, is kept as that
    message's dead letter (origin_letter): replayed once the topic takes it, the message
    makes it again; its source is added to `kept_in_place`. Without one, the record is tried
    again until its topic takes it, and the worker's input waits behind it."""
    letters: list[Record] = []
    unheld: list[Record] = []
    from_origin: dict[str, tuple[Origin, list[Refusal]]] = {}
    for refusal in refused:
        topic = refusal.record[0]
        letter = refused_letter(refusal, producer) if topic != topics.DEAD_LETTERS else None
        origin = None
        if letter is None and topic != topics.DEAD_LETTERS:
            origin = (origins or {}).get(refusal.record)
        kept = "dead_letter" if letter else "origin_dead_letter" if origin else "not_held"
        log.error("send_refused", topic=topic, error=refusal.error, kept=kept)
        if letter is not None:
            source = letter.payload.source
            letters.append((topics.DEAD_LETTERS, source.encode(), encode_event(letter)))
        elif origin is not None:
            from_origin.setdefault(origin.source, (origin, []))[1].append(refusal)
        else:
            unheld.append(refusal.record)
    # One letter a message, however many of what it made were refused: a letter's id is
    # derived from its source and bytes, so a second would be taken for a repeat.
    for origin, refusals in from_origin.values():
        letter = origin_letter(origin, refusals, producer)
        letters.append((topics.DEAD_LETTERS, origin.source.encode(), encode_event(letter)))
        if kept_in_place is not None:
            kept_in_place.add(origin.source)
    return letters, unheld


def origin_letter(origin: Origin, refusals: Sequence[Refusal], producer: str) -> DeadLetterRecorded:
    """The dead letter of a message some of whose output Kafka refused and no letter can
    hold (a triaged report of 3 MB on a topic whose limit was lowered by hand, say). Its
    output is not kept: replayed (python -m cli.deadletters replay) once the topic takes
    such records, the message makes it again, and consumers drop what went the first time
    by event id."""
    errors = []
    for refusal in refusals:
        topic, key, value = refusal.record
        message = (
            f"what this message made for {topic} (key {key.decode(errors='replace')}, "
            f"{len(value):,} bytes) was refused by Kafka ({refusal.error}) and is too large "
            "for a dead letter: replay this message once that topic takes it"
        )
        # The topic as the field: the dead-letter tool lists codes and fields, and the
        # operator needs to know whose limit to raise.
        errors.append(FieldError(code=OUTPUT_REFUSED, field=topic, message=message))
    reason = f"{OUTPUT_REFUSED_BY_KAFKA}: {refusals[0].error}"
    return dead_letter(origin.raw, origin.source, reason, errors, producer, origin.received_at)


def count_refused_kept(letters: int) -> None:
    """Dead letters of records Kafka refused, once the broker has acked them."""
    if letters:
        metrics.DEAD_LETTERS.labels(source="kafka_refused").inc(letters)
