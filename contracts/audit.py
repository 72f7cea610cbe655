"""Audit records: every read or change of case data by a person, hash-chained."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field

from contracts.envelope import Contract, Event
from contracts.times import Time


class AuditPayload(Contract):
    # The record exactly as the chain holds it: its hash covers these values as they were
    # written. Trimmed like other contracts' text, an actor ' officer-7 ' (a token's subject)
    # made the topic's copy fail its own hash, and the independent witness flagged a sound
    # record.
    model_config = ConfigDict(**{**Contract.model_config, "str_strip_whitespace": False})

    record_id: UUID
    chain: str = Field(description="Chain the record belongs to: a case id, or 'global'")
    actor: str = Field(description="Subject of the person (from the token), never a name")
    role: str
    agency: str | None = None
    action: Annotated[str, Field(min_length=1, max_length=100)]
    case_id: UUID | None = None
    # 400 since 2026-12-02: a PhotoDNA key searched ('content:photodna:' and 288 hex digits)
    # is 305 characters, and no record named the whole hash that was sought.
    target: Annotated[str, Field(max_length=400)] | None = None
    purpose: Annotated[str, Field(max_length=500)] | None = None
    at: Time
    prev_hash: str = Field(description="hash of the record before it in the chain ('' first)")
    hash: str = Field(description="SHA-256 over prev_hash and this record's fields")


class AuditRecorded(Event):
    event_type: Literal["AuditRecorded"] = "AuditRecorded"
    payload: AuditPayload
