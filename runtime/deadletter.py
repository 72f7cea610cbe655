"""Build dead-letter records: the original bytes, the reason and where they came from."""

import base64
import hashlib
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from contracts import topics
from contracts.deadletters import DeadLetterPayload, DeadLetterRecorded, FieldError
from contracts.media import MEDIA_REFUSED, looks_like_media

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
