"""Dead letters: every message that could not be processed, kept with its reason."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field, field_validator

from contracts.envelope import Contract, Event
from contracts.media import looks_like_media

# An error repeats some of its input: a JSON key the sender chose in `field`, an unknown
# event type in `message`. Base64 media put there was kept whole in the dead letter (the
# topic keeps everything) while the original beside it was withheld as media. So an error's
# text is withheld if it may be media, and else cut to a length no file fits in.
FIELD_MAX_CHARS = 200
MESSAGE_MAX_CHARS = 1000
WITHHELD = "[withheld: it may be media bytes]"
# The source of a record Kafka refused on its way out (larger than its topic takes): where
# it was going, 'refused on the way to TOPIC key=KEY' (keys are ids, never personal data).
REFUSED_SOURCE_PREFIX = "refused on the way to "
# The reason of a message kept because Kafka refused a record a worker made from it, too
# large for a dead letter of its own; an `output_refused` error names each topic (its field),
# key and size. Replayed, the message makes the record again (runtime.deadletter).
OUTPUT_REFUSED_BY_KAFKA = "output_refused_by_kafka"
OUTPUT_REFUSED = "output_refused"


def _kept(text: str, limit: int) -> str:
    if looks_like_media(text):
        return WITHHELD
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FieldError(Contract):
    """One stable error shape for HTTP answers and dead letters alike."""

    code: str
    field: str
    message: str

    @field_validator("field")
    @classmethod
    def _field_kept(cls, value: str) -> str:
        return _kept(value, FIELD_MAX_CHARS)

    @field_validator("message")
    @classmethod
    def _message_kept(cls, value: str) -> str:
        return _kept(value, MESSAGE_MAX_CHARS)


class DeadLetterPayload(Contract):
    source: str = Field(
        description=(
            "Topic (with partition and offset), HTTP route, or for a record Kafka refused "
            f"on its way out '{REFUSED_SOURCE_PREFIX}TOPIC key=KEY'"
        )
    )
    reason: str
    errors: list[FieldError] = Field(default_factory=list)
    original_b64: str | None = Field(
        default=None, description="Original bytes, base64; withheld when they may be media"
    )
    original_sha256: str
    received_at: datetime | None = Field(
        default=None,
        description=(
            "When the original's Kafka record was made, for a message read from a topic: a "
            "replay sends it back with that time (up to 6 days back), the report's time "
            "received where it gives none (a replay two days later made its tasks fall due "
            "two days late)"
        ),
    )


class DeadLetterRecorded(Event):
    event_type: Literal["DeadLetterRecorded"] = "DeadLetterRecorded"
    payload: DeadLetterPayload


class DeadLetterReplayedPayload(Contract):
    dead_letter_id: UUID = Field(description="event_id of the DeadLetterRecorded sent back")
    sent_to: str = Field(
        max_length=300, description="Where its original went: topic/partition@offset"
    )
    selection: str = Field(
        max_length=2000, description="What the operator asked to replay, as the tool read it"
    )


class DeadLetterReplayed(Event):
    """A dead letter's original was sent back to its source (cli.deadletters replay); kept on
    the dead-letter topic beside the dead letter, so that a second replay leaves it and a
    listing shows it."""

    event_type: Literal["DeadLetterReplayed"] = "DeadLetterReplayed"
    payload: DeadLetterReplayedPayload
