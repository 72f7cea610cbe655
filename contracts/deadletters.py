"""Dead letters: every message that could not be processed, kept with its reason."""

from typing import Literal

from pydantic import Field

from contracts.envelope import Contract, Event


class FieldError(Contract):
    """One stable error shape for HTTP answers and dead letters alike."""

    code: str
    field: str
    message: str


class DeadLetterPayload(Contract):
    source: str = Field(description="Topic (with partition and offset) or HTTP route")
    reason: str
    errors: list[FieldError] = Field(default_factory=list)
    original_b64: str | None = Field(
        default=None, description="Original bytes, base64; withheld when they may be media"
    )
    original_sha256: str


class DeadLetterRecorded(Event):
    event_type: Literal["DeadLetterRecorded"] = "DeadLetterRecorded"
    payload: DeadLetterPayload
