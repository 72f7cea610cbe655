"""Build dead-letter records: the original bytes, the reason and where they came from."""

import base64
import hashlib
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from contracts.deadletters import DeadLetterPayload, DeadLetterRecorded, FieldError
from contracts.media import MEDIA_REFUSED, looks_like_media


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
            original_b64=None if suspicious else base64.b64encode(raw).decode(),
            original_sha256=digest,
        ),
    )
