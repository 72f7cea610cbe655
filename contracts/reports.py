"""What arrives through the three doors: public form, licensed platforms, NGOs and hotlines."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, field_validator

from contracts.enums import Channel, HarmCategory
from contracts.envelope import Contract, Event
from contracts.media import refuse_media_bytes

Short = Annotated[str, Field(min_length=1, max_length=256)]
Url = Annotated[str, Field(min_length=4, max_length=2048)]


class IpSighting(Contract):
    ip: Annotated[str, Field(min_length=2, max_length=64)]
    seen_at: datetime | None = None


class ReportedAccount(Contract):
    """An account as the reporter knows it; any one identifier is enough."""

    platform: Short | None = None
    user_id: Short | None = None
    username: Short | None = None
    email: Short | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    ips: list[IpSighting] = Field(default_factory=list, max_length=50)
    device_ids: list[Short] = Field(default_factory=list, max_length=20)
    payment_handles: list[Short] = Field(default_factory=list, max_length=20)
    display_name: Short | None = None


class ContentItem(Contract):
    """A file or page known only by hashes and URL: never the material itself."""

    md5: Annotated[str, Field(max_length=64)] | None = None
    sha1: Annotated[str, Field(max_length=80)] | None = None
    sha256: Annotated[str, Field(max_length=100)] | None = None
    pdq: Annotated[str, Field(max_length=100)] | None = None
    photodna: Annotated[str, Field(max_length=2048)] | None = None
    url: Url | None = None
    viewed_by_platform: bool | None = None
    publicly_available: bool | None = None
    still_online: bool | None = None


class VictimInfo(Contract):
    """Victim facts for KPWKM and PDRM; elsewhere only the pseudonymous reference is shown."""

    age: Annotated[int, Field(ge=0, le=120)] | None = None
    age_range: Annotated[str, Field(pattern=r"^\d{1,2}-\d{1,2}$")] | None = None
    pseudonym_ref: Short | None = None
    identified: bool = False


class ReporterContact(Contract):
    name: Short | None = None
    email: Short | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None


class _ReportBody(Contract):
    incident_time: datetime | None = None
    description: Annotated[str, Field(max_length=10_000)] | None = None
    language: Literal["ms", "en", "zh", "ta"] | None = None
    urls: list[Url] = Field(default_factory=list, max_length=100)
    suspected_categories: list[HarmCategory] = Field(default_factory=list, max_length=16)

    @field_validator("description")
    @classmethod
    def _no_media_in_text(cls, value: str | None) -> str | None:
        return refuse_media_bytes(value)

    @field_validator("urls")
    @classmethod
    def _no_data_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            refuse_media_bytes(url)
        return urls


class PublicReport(_ReportBody):
    """The public form: anonymous and nearly empty is allowed."""

    channel: Literal[Channel.PUBLIC] = Channel.PUBLIC
    platform: Short | None = None
    usernames: list[Short] = Field(default_factory=list, max_length=20)
    reporter: ReporterContact | None = None
    child_in_danger: bool = False


class PlatformReport(_ReportBody):
    """A licensed platform's report: a superset of an NCMEC CyberTipline report."""

    channel: Literal[Channel.PLATFORM] = Channel.PLATFORM
    organisation_id: Short
    reference: Short
    incident_type: HarmCategory
    incident_time: datetime
    accounts: list[ReportedAccount] = Field(default_factory=list, max_length=100)
    content: list[ContentItem] = Field(default_factory=list, max_length=500)
    victim: VictimInfo | None = None
    escalate: bool = Field(default=False, description="A child is in imminent danger")


class NgoReferral(_ReportBody):
    """A referral from an NGO or hotline, with its own case reference and classification."""

    channel: Literal[Channel.NGO] = Channel.NGO
    organisation_id: Short
    reference: Short = Field(description="The NGO's own case reference")
    classification: HarmCategory
    hosting_country: Annotated[str, Field(min_length=2, max_length=2)] | None = None
    hosting_provider: Short | None = None
    accounts: list[ReportedAccount] = Field(default_factory=list, max_length=100)
    content: list[ContentItem] = Field(default_factory=list, max_length=500)
    victim: VictimInfo | None = None
    escalate: bool = False


ReportBody = Annotated[PublicReport | PlatformReport | NgoReferral, Field(discriminator="channel")]


class ReportPayload(Contract):
    report_id: UUID
    report: ReportBody


class ReportSubmitted(Event):
    """A report passed the door's checks and was accepted for routing."""

    event_type: Literal["ReportSubmitted"] = "ReportSubmitted"
    payload: ReportPayload
