"""The envelope every event carries: identity, version, time and causality."""

import re
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts.times import Time

# A version's digits as text: ASCII, and few ('²' is a digit to str.isdigit, and int() of
# 5,000 digits raises past Python's limit).
_VERSION_DIGITS = re.compile(r"[0-9]{1,9}")


def is_version(value: Any) -> bool:
    """An integer (bool is none), or its ASCII digits as text: what a schema_version may be."""
    if isinstance(value, str):
        return _VERSION_DIGITS.fullmatch(value) is not None
    return isinstance(value, int) and not isinstance(value, bool)


def not_a_version(value: Any) -> str:
    """Why `value` is refused as a schema_version (cut short: it repeats the input)."""
    return f"schema_version must be an integer, not {value!r}"[:200]


class Contract(BaseModel):
    """Base of every contract model: immutable. The system's own events ignore fields they
    do not know (a tolerant reader): a field a later release adds to a version is then no
    breaking change, where refused it dead-lettered every event of the new code that a worker
    of the old one read during a rolling deploy. What reporters send refuses them
    (contracts.reports, FORBID_UNKNOWN)."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)


# What reporters send: a field the contract does not name is refused, not dropped unread (a
# misspelt field would vanish, and an unknown one could carry anything).
FORBID_UNKNOWN = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(Contract):
    """Envelope fields; subclasses add `event_type` (a Literal) and a typed `payload`."""

    SCHEMA_VERSION: ClassVar[int] = 1

    event_id: UUID = Field(default_factory=uuid4, description="Unique id; consumers dedupe on it")
    event_type: str
    schema_version: int = Field(default=1, ge=1)
    occurred_at: Time = Field(description="When the fact happened in the world")
    recorded_at: Time = Field(default_factory=utcnow, description="When ocsea-hub recorded it")
    producer: str = Field(min_length=1, max_length=100, description="Process that emitted it")
    correlation_id: UUID = Field(description="Shared by every event that stems from one report")
    causation_id: UUID | None = Field(default=None, description="event_id of the direct cause")

    @field_validator("schema_version", mode="before")
    @classmethod
    def _a_whole_number(cls, value: Any) -> Any:
        # As contracts.registry reads a version before it upcasts. Lax validation took true,
        # 1.0 and " 1" as version 1, so an event the registry refused on one path was read
        # on the other.
        if not is_version(value):
            raise ValueError(not_a_version(value))
        return value

    def caused(self) -> dict[str, object]:
        """Envelope fields for an event that this one causes."""
        return {"correlation_id": self.correlation_id, "causation_id": self.event_id}


# Events to send: (topic, key, event), in the order they must keep within a key.
Outgoing = list[tuple[str, str, Event]]
