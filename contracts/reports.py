"""What arrives through the three doors: public form, licensed platforms, NGOs and hotlines."""

import re
from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum
from types import NoneType, UnionType
from typing import Annotated, Any, ClassVar, Literal, Self, Union, get_args, get_origin
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from contracts.enums import Channel, HarmCategory
from contracts.envelope import FORBID_UNKNOWN, Contract, Event
from contracts.ids import ORGANISATION_ID_PATTERN
from contracts.media import (
    MEDIA_MESSAGE,
    MEDIA_REFUSED,
    pieces_look_like_media,
    refuse_media_bytes,
    refuse_media_in,
)
from contracts.times import Time

# Every string of an intake contract is checked for media bytes. The string types check
# themselves, so a refused list item is named by its index ("urls.3"); IntakeContract checks
# any field whose type does not (a plain `str` added later, say), so none is left out.
_NoMedia = AfterValidator(refuse_media_bytes)
Short = Annotated[str, Field(min_length=1, max_length=256), _NoMedia]
Url = Annotated[str, Field(min_length=4, max_length=2048), _NoMedia]
# A username as the public types it, or a link to the profile pasted in its place: a
# Facebook profile link with its tracking parameters runs past 256 characters, and refused
# the whole report (2026-12-02, a review); the link is read as the account it names.
Handle = Annotated[str, Field(min_length=1, max_length=2048), _NoMedia]
Text = Annotated[str, Field(max_length=10_000), _NoMedia]
_NO_STRINGS = (bool, int, float, date, datetime, UUID, Enum, NoneType)


def _checks_itself(annotation: Any) -> bool:
    """True if every string `annotation` admits goes through a media check of its own type."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        return any(m is _NoMedia for m in metadata) or _checks_itself(base)
    if origin is Literal:
        return True
    if origin in (Union, UnionType, list, tuple, set, frozenset):
        return all(_checks_itself(arg) for arg in get_args(annotation) if arg is not Ellipsis)
    if isinstance(annotation, type) and origin is None:
        return issubclass(annotation, (IntakeContract, *_NO_STRINGS))
    return False


class IntakeContract(Contract):
    """Base of every model a reporter sends: no string in any field may carry media bytes.

    A field validator, not a model validator, so that a refusal names its field (for example
    "content.0.url") and is reported even when another field is invalid too."""

    model_config = FORBID_UNKNOWN

    # Fields whose type does not check its strings itself; set for each subclass.
    _unchecked_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._unchecked_fields = frozenset(
            name
            for name, field in cls.model_fields.items()
            if not (any(m is _NoMedia for m in field.metadata) or _checks_itself(field.annotation))
        )

    @field_validator("*", mode="after")
    @classmethod
    def _no_media_anywhere(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name in cls._unchecked_fields:
            refuse_media_in(value, checked=IntakeContract)
        return value


class IpSighting(IntakeContract):
    ip: Annotated[str, Field(min_length=2, max_length=64)]
    seen_at: Time | None = None


class ReportedAccount(IntakeContract):
    """An account as the reporter knows it; any one identifier is enough."""

    platform: Short | None = None
    user_id: Short | None = None
    username: Handle | None = None
    email: Short | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    ips: list[IpSighting] = Field(default_factory=list, max_length=50)
    device_ids: list[Short] = Field(default_factory=list, max_length=20)
    payment_handles: list[Short] = Field(default_factory=list, max_length=20)
    display_name: Short | None = None


# A PhotoDNA hash is 144 bytes: 288 hex or 192 base64 characters, or 144 decimals ("255, 12,
# ...", at most 718 characters), which streams.normalise accepts too. A longer unbroken run
# is no PhotoDNA hash in any encoding; it could only be other bytes.
_PHOTODNA_RUN = re.compile(r"[A-Za-z0-9+/_=-]{289,}")


def _photodna_sized(value: str) -> str:
    if _PHOTODNA_RUN.search(value):
        raise ValueError(f"{MEDIA_REFUSED}: a PhotoDNA hash is 288 hex or 192 base64 characters")
    return value


PhotoDna = Annotated[str, Field(max_length=720), AfterValidator(_photodna_sized)]


class ContentItem(IntakeContract):
    """A file or page known only by hashes and URL: never the material itself."""

    md5: Annotated[str, Field(max_length=64)] | None = None
    sha1: Annotated[str, Field(max_length=80)] | None = None
    sha256: Annotated[str, Field(max_length=100)] | None = None
    pdq: Annotated[str, Field(max_length=100)] | None = None
    photodna: PhotoDna | None = None
    url: Url | None = None
    viewed_by_platform: bool | None = None
    publicly_available: bool | None = None
    still_online: bool | None = None


class VictimInfo(IntakeContract):
    """Victim facts for KPWKM and PDRM; elsewhere only the pseudonymous reference is shown."""

    age: Annotated[int, Field(ge=0, le=120)] | None = None
    age_range: Annotated[str, Field(pattern=r"^[0-9]{1,2}-[0-9]{1,2}$")] | None = None
    pseudonym_ref: Short | None = None
    identified: bool = False


class ReporterContact(IntakeContract):
    name: Short | None = None
    email: Short | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None


class _ReportBody(IntakeContract):
    incident_time: Time | None = None
    description: Text | None = None
    language: Literal["ms", "en", "zh", "ta"] | None = None
    urls: list[Url] = Field(default_factory=list, max_length=100)
    suspected_categories: list[HarmCategory] = Field(default_factory=list, max_length=16)

    @field_validator("language", mode="before")
    @classmethod
    def _language_of_a_tag(cls, language: Any) -> Any:
        """A browser's language tag names its language first ('ms-MY', 'zh-Hans-CN',
        'en_GB'): it was refused whole, and the report with it."""
        if isinstance(language, str):
            return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower()
        return language

    @model_validator(mode="after")
    def _no_media_across_fields(self) -> Self:
        """A file cut into pieces across a list's items (device ids, usernames, URLs), each
        under what the check of one string sees as a file, passed: the report's strings that
        are all base64 and a line's length or more are checked together too, one a line (its
        hashes apart, which their own types check; a hash a line is no file either)."""
        if pieces_look_like_media(_free_text(self)):
            raise ValueError(MEDIA_MESSAGE)
        return self


class PublicReport(_ReportBody):
    """The public form: anonymous and nearly empty is allowed."""

    channel: Literal[Channel.PUBLIC] = Channel.PUBLIC
    platform: Short | None = None
    usernames: list[Handle] = Field(default_factory=list, max_length=20)
    reporter: ReporterContact | None = None
    child_in_danger: bool = False

    @model_validator(mode="before")
    @classmethod
    def _blank_fields_are_absent(cls, data: Any) -> Any:
        """A web form sends the fields a person left empty as "" (and an empty row of a list
        as ""): each refused the whole report (string_too_short), which may be all a child
        could say. Read as not given."""
        if not isinstance(data, dict):
            return data
        # The form's own fields only: a misspelt one ('descripton': "") is still refused as
        # unknown, as it is with a value (a review).
        kept = {k: v for k, v in data.items() if not (k in cls.model_fields and _blank(v))}
        for key in ("usernames", "urls"):
            if isinstance(kept.get(key), list):
                kept[key] = [item for item in kept[key] if not _blank(item)]
        if isinstance(reporter := kept.get("reporter"), dict):
            known = ReporterContact.model_fields
            kept["reporter"] = {k: v for k, v in reporter.items() if not (k in known and _blank(v))}
        return kept


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


# As an organisation's key names it (contracts.ids): a report of any other id could not come
# through the HTTP doors, and on Kafka one with '|' collided with another's report ids.
OrganisationId = Annotated[str, Field(pattern=ORGANISATION_ID_PATTERN), _NoMedia]


class PlatformReport(_ReportBody):
    """A licensed platform's report: a superset of an NCMEC CyberTipline report."""

    channel: Literal[Channel.PLATFORM] = Channel.PLATFORM
    organisation_id: OrganisationId
    reference: Short
    incident_type: HarmCategory
    incident_time: Time
    accounts: list[ReportedAccount] = Field(default_factory=list, max_length=100)
    content: list[ContentItem] = Field(default_factory=list, max_length=500)
    victim: VictimInfo | None = None
    escalate: bool = Field(default=False, description="A child is in imminent danger")


class NgoReferral(_ReportBody):
    """A referral from an NGO or hotline, with its own case reference and classification."""

    channel: Literal[Channel.NGO] = Channel.NGO
    organisation_id: OrganisationId
    reference: Short = Field(description="The NGO's own case reference")
    classification: HarmCategory
    hosting_country: Annotated[str, Field(min_length=2, max_length=2)] | None = None
    hosting_provider: Short | None = None
    accounts: list[ReportedAccount] = Field(default_factory=list, max_length=100)
    content: list[ContentItem] = Field(default_factory=list, max_length=500)
    victim: VictimInfo | None = None
    escalate: bool = False


_HASH_FIELDS = frozenset({"md5", "sha1", "sha256", "pdq", "photodna"})


def _free_text(value: Any) -> Iterator[str]:
    """Every string a report holds, but its content items' hashes and enum members."""
    if isinstance(value, str):
        if not isinstance(value, Enum):
            yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if not (isinstance(value, ContentItem) and name in _HASH_FIELDS):
                yield from _free_text(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _free_text(item)


ReportBody = Annotated[PublicReport | PlatformReport | NgoReferral, Field(discriminator="channel")]


class ReportPayload(Contract):
    model_config = FORBID_UNKNOWN

    report_id: UUID
    report: ReportBody


class ReportSubmitted(Event):
    """A report passed the door's checks and was accepted for routing."""

    model_config = FORBID_UNKNOWN
    event_type: Literal["ReportSubmitted"] = "ReportSubmitted"
    payload: ReportPayload
