"""Build dead-letter records: the original bytes, the reason and where they came from."""

import base64
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from contracts import topics
from contracts.deadletters import (
    REFUSED_SOURCE_PREFIX,
    DeadLetterPayload,
    DeadLetterRecorded,
    FieldError,
)
from contracts.media import MEDIA_REFUSED, looks_like_media
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


def dead_letter(
    raw: bytes | None, source: str, reason: str, errors: list[FieldError], producer: str
) -> DeadLetterRecorded:
    """A dead letter for `raw`; media-like bytes are withheld and kept only as a hash. A
    message with no value at all (None) is kept as empty bytes: its source says which."""
    raw = raw if raw is not None else b""
    digest = hashlib.sha256(raw).hexdigest()
    suspicious = any(e.code == MEDIA_REFUSED for e in errors) or looks_like_media(
        raw.decode("utf-8", errors="replace")
    )
    copy = None
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
        ),
    )


def refused_letter(refusal: Refusal, producer: str) -> DeadLetterRecorded | None:
    """A dead letter for a record Kafka refused on its way out (runtime.produce): its bytes,
    Kafka's error, and the topic and key it was going to. None when the letter could not
    hold the bytes (too large to copy, or withheld as possible media): a worker keeps such a
    record and tries it again; the outbox relay sets it aside in the graph (OutboxRefused)."""
    topic, key, value = refusal.record
    source = f"{REFUSED_SOURCE_PREFIX}{topic} key={key.decode(errors='replace')}"
    letter = dead_letter(value, source, f"refused_by_kafka: {refusal.error}", [], producer)
    return letter if letter.payload.original_b64 is not None else None


def letters_for_refused(
    refused: Sequence[Refusal], producer: str
) -> tuple[list[Record], list[Record]]:
    """For records Kafka refused for what they are: (the dead-letter records to send instead,
    the records a dead letter cannot hold). A refused dead letter is never wrapped in
    another. The sender counts the letters once they are acked (count_refused_kept)."""
    letters: list[Record] = []
    unheld: list[Record] = []
    for refusal in refused:
        topic = refusal.record[0]
        letter = refused_letter(refusal, producer) if topic != topics.DEAD_LETTERS else None
        log.error(
            "send_refused",
            topic=topic,
            error=refusal.error,
            kept="dead_letter" if letter else "not_held",
        )
        if letter is None:
            unheld.append(refusal.record)
            continue
        source = letter.payload.source
        letters.append((topics.DEAD_LETTERS, source.encode(), encode_event(letter)))
    return letters, unheld


def count_refused_kept(letters: int) -> None:
    """Dead letters of records Kafka refused, once the broker has acked them."""
    if letters:
        metrics.DEAD_LETTERS.labels(source="kafka_refused").inc(letters)
