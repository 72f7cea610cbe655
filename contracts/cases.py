"""Triage and case events: how a report became part of a case."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from contracts.enums import Channel, HarmCategory, Priority
from contracts.envelope import Contract, Event
from contracts.times import Time


class Identifier(Contract):
    """A normalised value that can link reports: kind plus canonical value."""

    kind: Literal["account", "content", "phone", "email", "device", "payment", "ip", "url"]
    value: Annotated[str, Field(min_length=1, max_length=2048)]
    platform: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


class SuspectRef(Contract):
    """The person behind one reported account, named by that account's strongest identifier."""

    key: Annotated[str, Field(min_length=1, max_length=2100)]
    identifier_keys: list[str] = Field(min_length=1)


class Triage(Contract):
    categories: list[HarmCategory] = Field(min_length=1)
    priority: Priority
    reasons: list[str] = Field(min_length=1)
    rules_version: str


class TriagedPayload(Contract):
    report_id: UUID
    channel: Channel
    organisation_id: str | None = None
    triage: Triage
    identifiers: list[Identifier] = Field(default_factory=list)
    suspects: list[SuspectRef] = Field(default_factory=list)
    content_online: bool = False
    # Content still online that no URL of the report places (content items by hash alone, a
    # public report's links whose host could not be read): its takedown goes to the platforms
    # the report names; content a URL places is taken down at that URL's host (`hosts`).
    # Absent on events triaged before 2026-12-02 (streams.fanout reads content_online then).
    unlocated_content_online: bool | None = None
    child_victim: bool = False
    # A child the report calls under age ('an underage girl', 'bawah umur') in a contact harm,
    # with no age or victim to name: at risk, so KPWKM is asked to assess (victim support to
    # an unidentified victim). Absent on events triaged before 2026-12-01.
    child_at_risk: bool = False
    # The reporting organisation's pseudonymous victim reference, qualified by it
    # ('organisation:reference'): each reporter numbers its own victims.
    victim_ref: str | None = None
    victim_age: int | None = None
    victim_age_range: str | None = None
    platforms: list[str] = Field(default_factory=list)
    # Where the URLs a referral says are online are served (hosting provider or URL host):
    # their takedown notices go there, not to the platforms of the report's accounts.
    hosts: list[str] = Field(default_factory=list)
    # The ReportSubmitted message as intake received it (JSON text): the Report keeps it so
    # that officers can read what the reporter wrote, which the derived facts above do not
    # say. Absent on events triaged before 2026-11-30.
    submitted: str | None = None
    # When the report was submitted (its ReportSubmitted's recorded_at): tasks fall due from
    # then, not from when they are linked, which a backlog or a graph outage can delay by
    # hours. Absent on events triaged before 2026-11-30 (due from linking, as then).
    received_at: Time | None = None
    # SHA-256 of the report itself (not its envelope): a resend has the same, and a different
    # report sent under an id already used (a platform reusing a reference) does not.
    report_sha256: str | None = None


class ReportTriaged(Event):
    """A report was validated, normalised and given categories and a priority."""

    event_type: Literal["ReportTriaged"] = "ReportTriaged"
    payload: TriagedPayload


class CasePayload(Contract):
    case_id: UUID
    report_id: UUID
    priority: Priority
    categories: list[HarmCategory]


class CaseOpened(Event):
    """A report linked to no known case, so a new case was opened for it."""

    event_type: Literal["CaseOpened"] = "CaseOpened"
    payload: CasePayload


class LinkPayload(Contract):
    case_id: UUID
    report_id: UUID
    shared_identifiers: list[str] = Field(default_factory=list)


class ReportLinkedToCase(Event):
    """A report joined an existing case through shared identifiers."""

    event_type: Literal["ReportLinkedToCase"] = "ReportLinkedToCase"
    payload: LinkPayload


class MergePayload(Contract):
    surviving_case_id: UUID
    merged_case_ids: list[UUID] = Field(min_length=1)
    report_id: UUID
    reason: str


class CasesMerged(Event):
    """A report touched several cases; the oldest survived and the others merged into it."""

    event_type: Literal["CasesMerged"] = "CasesMerged"
    payload: MergePayload
