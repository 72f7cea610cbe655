"""prepare_report: a ReportSubmitted event becomes the ReportTriaged event that follows it."""

import base64
import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from contracts import topics
from contracts.cases import ReportTriaged
from contracts.enums import Agency, Channel, Priority, TaskType
from contracts.enums import HarmCategory as H
from contracts.registry import decode_event, encode_event
from contracts.reports import (
    ContentItem,
    NgoReferral,
    PlatformReport,
    PublicReport,
    ReportedAccount,
    ReportPayload,
    ReportSubmitted,
    VictimInfo,
)
from streams.fanout import plan_tasks
from streams.intake import route_intake
from streams.normalise import organisation_service
from streams.prepare import (
    content_online,
    fingerprint,
    prepare_report,
    referral_hosts,
    report_hosts,
    report_platforms,
)
from streams.triage import RULES_VERSION

OCCURRED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def _event(report: PublicReport | PlatformReport | NgoReferral) -> ReportSubmitted:
    return ReportSubmitted(
        occurred_at=OCCURRED,
        producer="intake",
        correlation_id=uuid4(),
        payload=ReportPayload(report_id=uuid4(), report=report),
    )


def _platform(**kw: object) -> PlatformReport:
    base: dict[str, object] = {
        "organisation_id": "meta-my",
        "reference": "CT-1",
        "incident_type": H.SEXTORTION,
        "incident_time": OCCURRED,
    }
    return PlatformReport(**(base | kw))


def test_envelope_follows_the_submitted_event() -> None:
    event = _event(PublicReport())
    out = prepare_report(event, producer="prepare-1")
    assert out.event_type == "ReportTriaged"
    assert out.correlation_id == event.correlation_id
    assert out.causation_id == event.event_id
    assert out.event_id != event.event_id
    assert out.occurred_at == OCCURRED
    assert out.producer == "prepare-1"
    assert out.payload.report_id == event.payload.report_id


def test_the_message_is_carried_as_validated_not_as_received() -> None:
    event = _event(PublicReport(description="someone keeps messaging my sister"))
    kept = prepare_report(event, "p").payload.submitted
    assert kept is not None and decode_event(kept.encode()) == event


def test_a_key_given_twice_carries_nothing_past_the_check() -> None:
    """Both JSON parsers keep a key's last value: '"description": <an image>, ...,
    "description": "ok"' was validated as "ok", and the message kept as received held the
    image, stored with the report for good."""
    image = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20).decode()
    event = _event(PublicReport(description="ok"))
    raw = encode_event(event).replace(
        b'"description":"ok"', f'"description":"{image}","description":"ok"'.encode()
    )
    assert image.encode() in raw
    triaged = route_intake(raw, topics.INTAKE[Channel.PUBLIC], "intake/0@1").event
    assert isinstance(triaged, ReportTriaged)
    assert triaged.payload.submitted is not None and image not in triaged.payload.submitted


def test_platform_report_is_fully_prepared() -> None:
    report = _platform(
        accounts=[
            ReportedAccount(platform="IG", username="@Bad"),
            ReportedAccount(platform="fb", user_id="99"),
            ReportedAccount(platform="instagram", username="other"),
            ReportedAccount(username="noplatform"),
        ],
        content=[ContentItem(md5="A" * 32, still_online=True)],
        victim=VictimInfo(age=14, pseudonym_ref="V-9"),
    )
    payload = prepare_report(_event(report), producer="p").payload
    assert payload.channel == Channel.PLATFORM
    assert payload.organisation_id == "meta-my"
    # With platforms named, the account named without one adds nothing: it may be anywhere.
    assert payload.platforms == ["facebook", "instagram"]
    assert payload.content_online is True
    assert payload.child_victim is True
    assert payload.victim_ref == f"{report.organisation_id}:V-9"
    assert payload.triage.priority == Priority.P2
    assert payload.triage.rules_version == RULES_VERSION
    assert [i.key for i in payload.identifiers] == [
        "account:facebook:id:99",
        "account:instagram:u:bad",
        "account:instagram:u:other",
        "account:unknown:u:noplatform",
        "content:md5:" + "a" * 32,
    ]


def test_public_report() -> None:
    report = PublicReport(
        platform="TikTok",
        usernames=["@Abc"],
        urls=["https://www.tiktok.com/@abc/video/1?utm_source=x"],
        description="Dia ugut adik saya",
        child_in_danger=True,
    )
    payload = prepare_report(_event(report), producer="p").payload
    assert payload.channel == Channel.PUBLIC
    assert payload.organisation_id is None
    assert payload.platforms == ["tiktok"]
    assert payload.content_online is True
    assert payload.child_victim is False
    assert payload.victim_ref is None
    assert payload.triage.priority == Priority.P1
    assert H.SEXTORTION in payload.triage.categories
    assert [i.key for i in payload.identifiers] == [
        "account:tiktok:u:abc",
        "url:https://tiktok.com/@abc/video/1",  # a service's page on its main domain
    ]


def test_ngo_referral_with_identified_victim_of_unknown_age() -> None:
    report = NgoReferral(
        organisation_id="ngo-1",
        reference="N-1",
        classification=H.GROOMING,
        victim=VictimInfo(identified=True),
    )
    payload = prepare_report(_event(report), producer="p").payload
    assert payload.organisation_id == "ngo-1"
    assert payload.child_victim is True
    assert payload.victim_ref is None
    assert payload.triage.priority == Priority.P2


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], False),
        ([ContentItem(md5="a" * 32)], False),
        ([ContentItem(still_online=True)], True),
        ([ContentItem(publicly_available=True)], True),
        # The platform says it is already down: no takedown needed even if it was public.
        ([ContentItem(publicly_available=True, still_online=False)], False),
        ([ContentItem(still_online=False), ContentItem(publicly_available=True)], True),
    ],
)
def test_content_online_for_platform_reports(items: list[ContentItem], expected: bool) -> None:
    assert content_online(_platform(content=items)) is expected


def test_platform_report_urls_alone_do_not_mean_online() -> None:
    assert content_online(_platform(urls=["https://example.com/a"])) is False


def test_public_report_is_online_only_with_urls() -> None:
    assert content_online(PublicReport(urls=["https://example.com/a"])) is True
    assert content_online(PublicReport(usernames=["abc"])) is False
    # A link written into the description, as a child reporting writes it.
    assert content_online(PublicReport(description="he sent https://example.com/a")) is True
    assert content_online(PublicReport(description="he sent a video")) is False
    # Text that only looks like the start of one names nothing to take down.
    assert content_online(PublicReport(description="www... tak ingat")) is False


def test_an_ngo_referrals_urls_are_taken_down_at_their_host_only() -> None:
    """A hotline's referral of URLs serving the material, with the host it traced them to:
    it used to plan only a PDRM referral (the URLs did not count as online, and the host
    was no target); then, for a while, every platform of the report's accounts got a
    takedown notice for URLs they do not serve."""
    referral = NgoReferral(
        organisation_id="hotline-1",
        reference="HL-7",
        classification=H.CSAM,
        urls=["https://badhost.example/x.jpg"],
        hosting_provider="BadHost",
        hosting_country="NL",
        accounts=[ReportedAccount(platform="facebook", username="poster")],
    )
    payload = prepare_report(_event(referral), producer="p").payload
    assert payload.hosts == ["badhost"]
    assert payload.content_online is False  # no content item says so
    plans = {(p.task_type, p.target) for p in plan_tasks(uuid4(), payload, datetime.now(UTC))}
    assert {t for kind, t in plans if kind == TaskType.TAKEDOWN_NOTICE} == {"badhost"}
    # Both hold records worth preserving: the account's platform and the host.
    assert {t for kind, t in plans if kind == TaskType.PRESERVATION_REQUEST} == {
        "badhost",
        "facebook",
    }


def test_one_provider_written_two_ways_is_one_takedown_target() -> None:
    """Hotlines write a provider's company form or not ("BadHost Ltd.", "badhost"): both
    used to be takedown targets of their own, two notices to one provider in one case."""
    referrals = [
        NgoReferral(
            organisation_id="hotline-1",
            reference=f"HL-{name}",
            classification=H.CSAM,
            urls=["https://badhost.example/x.jpg"],
            hosting_provider=name,
        )
        for name in ("BadHost Ltd.", "badhost", "BADHOST SDN. BHD.")
    ]
    assert {tuple(referral_hosts(r)) for r in referrals} == {("badhost",)}


def test_without_a_named_provider_a_referrals_urls_go_to_their_hosts() -> None:
    referral = NgoReferral(
        organisation_id="hotline-1",
        reference="HL-8",
        classification=H.CSAM,
        urls=["https://img.badhost.example/a.jpg", "https://www.facebook.com/some/post"],
    )
    assert referral_hosts(referral) == ["facebook", "img.badhost.example"]
    assert referral_hosts(NgoReferral(**{**referral.model_dump(), "urls": []})) == []
    assert referral_hosts(_platform(urls=["https://example.com/a"])) == []


@pytest.mark.parametrize("provider", ["N/A", "tidak tahu", "unknown", "-", "Lain-lain"])
def test_a_provider_named_as_unknown_sends_the_urls_to_their_hosts(provider: str) -> None:
    # The takedown notice went to a provider called 'n/a'.
    referral = NgoReferral(
        organisation_id="hotline-1",
        reference="HL-9",
        classification=H.CSAM,
        urls=["https://img.badhost.example/a.jpg"],
        hosting_provider=provider,
    )
    assert referral_hosts(referral) == ["img.badhost.example"]


def test_a_referral_listing_its_url_in_its_content_only_sends_it_to_that_host() -> None:
    # No `urls`, a content item online: the takedown went to 'unknown-host'.
    referral = NgoReferral(
        organisation_id="hotline-1",
        reference="HL-10",
        classification=H.CSAM,
        content=[{"url": "https://badhost.example/a.jpg", "still_online": True}],
    )
    assert referral_hosts(referral) == ["badhost.example"]
    gone = [{"url": "https://badhost.example/a.jpg", "still_online": False}]
    assert referral_hosts(NgoReferral(**{**referral.model_dump(), "content": gone})) == []


def test_a_referral_url_its_content_says_is_down_gets_no_takedown() -> None:
    referral = NgoReferral(
        organisation_id="hotline-1",
        reference="HL-9",
        classification=H.CSAM,
        urls=["https://img.badhost.example/a.jpg", "https://cdn.other.example/b.jpg"],
        # Written differently from the URL above; linking would treat them as one.
        content=[ContentItem(url="HTTPS://IMG.BADHOST.EXAMPLE/a.jpg", still_online=False)],
    )
    assert referral_hosts(referral) == ["cdn.other.example"]
    all_down = NgoReferral(
        **{
            **referral.model_dump(),
            "hosting_provider": "BadHost",
            "content": [{"url": url, "still_online": False} for url in referral.urls],
        }
    )
    assert referral_hosts(all_down) == []
    still_up = NgoReferral(**{**all_down.model_dump(), "content": [{"url": referral.urls[0]}]})
    assert referral_hosts(still_up) == ["badhost"]


def test_text_that_is_no_url_withdraws_no_referral_url() -> None:
    """A content item's 'see attached' is no URL; nor is a URL with a bad port. Both
    canonicalise to nothing, and the first used to withdraw the second."""
    referral = NgoReferral(
        organisation_id="hotline-1",
        reference="HL-10",
        classification=H.CSAM,
        urls=["http://bad.example:99999/x"],
        content=[ContentItem(url="see attached", still_online=False)],
    )
    assert referral_hosts(referral) == ["bad.example"]


def test_report_platforms_are_normalised_unique_and_sorted() -> None:
    report = _platform(
        accounts=[
            ReportedAccount(platform="Twitter", username="a"),
            ReportedAccount(platform="x.com", username="b"),
            ReportedAccount(platform="WA", username="c"),
        ]
    )
    assert report_platforms(report) == ["whatsapp", "x"]
    assert report_platforms(PublicReport()) == []


def test_a_public_report_naming_a_child_by_age_reaches_pdrm_and_kpwkm() -> None:
    """'a man keeps asking my 12 year old son for photos' was P4 with one MCMC review: no
    category, and a public report has no victim block to say a child is involved."""
    event = _event(
        PublicReport(
            description="a man keeps asking my 12 year old son for photos on a game chat",
            usernames=["uncle_z"],
            platform="roblox",
        )
    )
    payload = prepare_report(event, "p").payload
    assert payload.child_victim and payload.triage.priority == Priority.P2
    plans = {p.task_type for p in plan_tasks(uuid4(), payload, datetime.now(UTC))}
    assert plans == {TaskType.CRIMINAL_REFERRAL, TaskType.VICTIM_SUPPORT}


def test_a_url_no_parser_reads_is_no_host_and_fails_nothing() -> None:
    """'http://[fe80::1' made urlsplit raise: the whole referral was dead-lettered after
    the hotline had been told 202, and no case or task was made."""
    referral = NgoReferral(
        organisation_id="hotline-1",
        reference="HL-11",
        classification=H.CSAM,
        urls=["https://img.badhost.example/a.jpg", "http://[fe80::1", "http://]x/"],
    )
    assert referral_hosts(referral) == ["img.badhost.example"]
    payload = prepare_report(_event(referral), producer="p").payload
    assert payload.hosts == ["img.badhost.example"]


def test_a_resend_has_the_reports_fingerprint_and_another_report_does_not() -> None:
    report = _platform(urls=["https://example.com/a"])
    first, resend = (prepare_report(_event(report), producer="p").payload for _ in range(2))
    other = prepare_report(_event(_platform(urls=["https://example.com/b"])), producer="p")
    assert first.report_sha256 is not None
    assert first.report_sha256 == resend.report_sha256
    assert other.payload.report_sha256 != first.report_sha256


def test_a_redelivered_message_makes_the_same_triaged_event() -> None:
    event = _event(_platform(urls=["https://example.com/a"]))
    first, again = (prepare_report(event, producer="p") for _ in range(2))
    assert first.event_id == again.event_id
    assert prepare_report(_event(_platform()), producer="p").event_id != first.event_id


def test_tasks_are_timed_from_the_submission_not_the_incident() -> None:
    """occurred_at is the incident's time (a platform report's incident_time, days back):
    timed from it, a P1's tasks were due days before they were made."""
    from datetime import UTC, datetime, timedelta

    incident = datetime.now(UTC) - timedelta(days=3)
    event = _event(_platform()).model_copy(update={"occurred_at": incident})
    payload = prepare_report(event, producer="p").payload
    assert payload.received_at == event.recorded_at
    assert payload.received_at is not None and payload.received_at > incident + timedelta(days=2)


def test_the_fingerprint_is_what_the_report_says_not_how_it_is_written() -> None:
    """A retry that wrote the incident time with another offset, or a report from before a
    field was added to the contract, was taken for another report under a used id."""
    from datetime import UTC, datetime, timedelta, timezone

    from streams.prepare import fingerprint

    at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    utc = _platform(incident_time=at)
    myt = _platform(incident_time=at.astimezone(timezone(timedelta(hours=8))))
    assert fingerprint(utc) == fingerprint(myt)
    assert fingerprint(utc) != fingerprint(_platform(incident_time=at + timedelta(minutes=1)))
    # Fields at their defaults are out: what a report does not say does not count.
    assert '"urls"' not in json.dumps(utc.model_dump(mode="json", exclude_defaults=True))


def test_a_public_reports_hosts_are_where_its_links_are() -> None:
    """Links in the field or written in the description; a service's hosts by its name; a
    front page names no place."""
    report = PublicReport(
        urls=["https://www.facebook.com/", "badsite.example/x"],
        description="dia hantar youtu.be/dQw4w9WgXcQ dan akaun https://t.me/uncle_x",
    )
    assert report_hosts(report) == ["badsite.example", "telegram", "youtube"]
    assert report_hosts(PublicReport(description="no link at all")) == []
    assert report_hosts(_platform(urls=["https://example.com/a"])) == []


def test_a_childs_own_report_in_malay_reaches_all_three_agencies() -> None:
    """A child writes, in Malay, that a man asks for pictures, their own age and his account.
    Before: P4, one takedown notice to an unknown host, no police, no child protection."""
    words = "Dia ajak saya hantar gambar. Saya berumur 13 tahun. Akaun dia t.me/uncle_x"
    payload = prepare_report(_event(PublicReport(description=words)), "tests").payload
    assert (payload.child_victim, payload.triage.priority) == (True, Priority.P2)
    plans = plan_tasks(uuid4(), payload, datetime.now(UTC))
    assert [(p.agency, p.task_type, p.target) for p in plans] == [
        (Agency.KPWKM, TaskType.VICTIM_SUPPORT, "unidentified-victim"),
        (Agency.MCMC, TaskType.PRESERVATION_REQUEST, "telegram"),
        (Agency.MCMC, TaskType.TAKEDOWN_NOTICE, "telegram"),
        (Agency.PDRM, TaskType.CRIMINAL_REFERRAL, "case"),
    ]


def test_one_host_written_two_ways_is_one_takedown_target() -> None:
    """A referral's host was read as written: 'h.example.' (fully qualified) and
    'h.example', or an international name and its punycode, were two takedown notices in
    one case, whose URLs linked as one."""
    forms = [
        (["https://badhost.example/x.jpg", "https://badhost.example./y.jpg"], "badhost.example"),
        (
            ["https://пример.example/x.jpg", "https://xn--e1afmkfd.example/y.jpg"],
            "xn--e1afmkfd.example",
        ),
        (
            ["https://ＢＡＤＨＯＳＴ.example/x.jpg", "https://badhost.example/y.jpg"],
            "badhost.example",
        ),
    ]
    for urls, host in forms:
        referral = NgoReferral(
            organisation_id="hotline-1", reference="HL-h", classification=H.CSAM, urls=urls
        )
        assert referral_hosts(referral) == [host], urls


def test_what_a_platform_leaves_unnamed_is_on_its_own_service() -> None:
    # No platform on its accounts, or content with no account: the reporting organisation
    # holds the data (its preservation request) and the content (its takedown notice).
    unnamed = _platform(accounts=[ReportedAccount(username="x1")])
    content_only = _platform(content=[ContentItem(md5="A" * 32, still_online=True)])
    named = _platform(accounts=[ReportedAccount(platform="WhatsApp", phone="0123456789")])
    for report in (unnamed, content_only):
        payload = prepare_report(_event(report), producer="p").payload
        assert payload.platforms == ["meta-my"]
        plans = plan_tasks(uuid4(), payload, datetime.now(UTC))
        targets = {(p.task_type, p.target) for p in plans}
        assert (TaskType.PRESERVATION_REQUEST, "meta-my") in targets
        takedowns = {target for kind, target in targets if kind == TaskType.TAKEDOWN_NOTICE}
        assert takedowns == (set() if report is unnamed else {"meta-my"})  # not UNKNOWN_HOST
    assert prepare_report(_event(named), producer="p").payload.platforms == ["whatsapp"]
    # A platform name that normalises to nothing names no platform.
    unknown = _platform(accounts=[ReportedAccount(platform="unknown", username="x1")])
    assert prepare_report(_event(unknown), producer="p").payload.platforms == ["meta-my"]
    # A public report names no organisation: nothing is added to it.
    public = PublicReport(description="he sent this", usernames=["x1"])
    assert prepare_report(_event(public), producer="p").payload.platforms == []


@pytest.mark.parametrize(
    ("description", "at_risk"),
    [
        ("a man keeps asking an underage girl for nudes", True),
        ("dia minta gambar bogel budak bawah umur", True),
        ("my minor issue with the app", False),  # no child, no contact harm
        ("underage drinking at the party", False),  # a child, but no contact harm
        ("this folder of csam depicts a minor.", False),  # material: PDRM's referral
    ],
)
def test_a_child_called_under_age_in_an_ocsea_report_is_at_risk(
    description: str, at_risk: bool
) -> None:
    payload = prepare_report(_event(PublicReport(description=description)), "p").payload
    assert payload.child_at_risk is at_risk
    assert payload.child_victim is False


def test_a_child_victim_is_not_also_at_risk() -> None:
    # The description's age makes a victim (child_victim): one task, to that victim.
    text = "he asks my 12 year old daughter for nudes, she is underage"
    payload = prepare_report(_event(PublicReport(description=text)), "p").payload
    assert (payload.child_victim, payload.child_at_risk) == (True, False)


def test_a_time_without_its_offset_is_read_as_utc() -> None:
    """Taken as it came, '2026-11-20T22:10:00' made a resend saying 'Z' another report (its
    fingerprint differed: a 409 at the platform door), and Neo4j stored a local time."""
    naive = _platform(incident_time="2026-11-20T22:10:00")
    utc = _platform(incident_time="2026-11-20T22:10:00Z")
    assert naive.incident_time.utcoffset() == timedelta(0)
    assert fingerprint(naive) == fingerprint(utc)


def test_a_platforms_online_content_is_taken_down_where_its_urls_are() -> None:
    """A TikTok report of an offender's Instagram account and a video on TikTok sent the
    video's takedown notice to Instagram only (a helper's review)."""
    report = _platform(
        organisation_id="tiktok-my",
        incident_type=H.CSAM,
        accounts=[ReportedAccount(platform="instagram", user_id="1")],
        content=[
            ContentItem(
                sha256="a" * 64, url="https://www.tiktok.com/@x/video/1", still_online=True
            ),
            ContentItem(sha256="b" * 64, url="https://cdn.gone.example/b.mp4", still_online=False),
            ContentItem(
                sha256="c" * 64, url="https://files.up.example/c.jpg", publicly_available=True
            ),
        ],
    )
    payload = prepare_report(_event(report), producer="p").payload
    assert payload.hosts == ["files.up.example", "tiktok"]  # not the one taken down already
    plans = {(p.task_type, p.target) for p in plan_tasks(uuid4(), payload, datetime.now(UTC))}
    # Not to Instagram too, where none of it is (a review of 2026-12-02): the accounts' platform
    # is asked to preserve their data.
    assert {t for kind, t in plans if kind == TaskType.TAKEDOWN_NOTICE} == {
        "files.up.example",
        "tiktok",
    }
    assert {t for kind, t in plans if kind == TaskType.PRESERVATION_REQUEST} == {
        "files.up.example",
        "instagram",
        "tiktok",
    }
    # Online content a URL does not place is on the platforms the report names.
    by_hash = report.model_copy(
        update={"content": [*report.content, ContentItem(sha256="d" * 64, still_online=True)]}
    )
    payload = prepare_report(_event(by_hash), producer="p").payload
    plans = {(p.task_type, p.target) for p in plan_tasks(uuid4(), payload, datetime.now(UTC))}
    assert {t for kind, t in plans if kind == TaskType.TAKEDOWN_NOTICE} == {
        "files.up.example",
        "instagram",
        "tiktok",
    }
    # Content items without URLs, or none online, name no host.
    assert report_hosts(_platform(content=[ContentItem(sha256="a" * 64)])) == []
    down = ContentItem(sha256="a" * 64, url="https://www.tiktok.com/v/1", still_online=False)
    assert report_hosts(_platform(content=[down])) == []


def test_a_platforms_own_video_gets_one_takedown_and_cdn_files_go_to_their_service() -> None:
    """A TikTok report naming no platform for its account got takedowns to 'tiktok-my' (its
    organisation id) and 'tiktok' (the video's host) for one video; a Meta report's files on
    Facebook's CDN one notice per CDN server (a helper's review)."""
    own = _platform(
        organisation_id="tiktok-my",
        incident_type=H.CSAM,
        accounts=[ReportedAccount(user_id="1")],
        content=[
            ContentItem(sha256="a" * 64, url="https://www.tiktok.com/@x/video/1", still_online=True)
        ],
    )
    payload = prepare_report(_event(own), producer="p").payload
    assert payload.platforms == ["tiktok"]
    plans = {(p.task_type, p.target) for p in plan_tasks(uuid4(), payload, datetime.now(UTC))}
    assert {t for kind, t in plans if kind == TaskType.TAKEDOWN_NOTICE} == {"tiktok"}
    cdn = _platform(
        accounts=[ReportedAccount(platform="facebook", user_id="1")],
        content=[
            ContentItem(
                sha256=f"{n}" * 64,
                url=f"https://scontent-sin6-{n}.xx.fbcdn.net/v/{n}.jpg",
                still_online=True,
            )
            for n in range(1, 4)
        ]
        + [
            ContentItem(sha256="d" * 64, url="https://pbs.twimg.com/media/d.jpg", still_online=True)
        ],
    )
    assert report_hosts(cdn) == ["facebook", "x"]
    # Not a CDN's look-alike: a label must end at the CDN's domain.
    look_alike = _platform(
        content=[ContentItem(sha256="e" * 64, url="https://notfbcdn.net/e", still_online=True)]
    )
    assert report_hosts(look_alike) == ["notfbcdn.net"]


@pytest.mark.parametrize(
    ("organisation_id", "service"),
    [
        ("tiktok-my", "tiktok"),
        ("TikTok_MY", "tiktok"),
        ("fb-malaysia", "facebook"),
        ("telegram", "telegram"),
        ("meta-my", "meta-my"),  # Meta runs several services: it names none of them
        ("bench-tiktok", "bench-tiktok"),  # the service is not its first word
    ],
)
def test_an_organisation_id_names_its_service_by_its_first_word(
    organisation_id: str, service: str
) -> None:
    assert organisation_service(organisation_id) == service


def test_two_reports_sent_under_one_event_id_are_two_triaged_events() -> None:
    """A producer on a Kafka door chooses its event ids: two reports sent under one made two
    ReportTriaged events of one id, which a consumer dropping repeats by id would lose."""
    first = _event(PublicReport(description="first report"))
    second = _event(PublicReport(description="second report")).model_copy(
        update={"event_id": first.event_id}
    )
    one, other = prepare_report(first, producer="p"), prepare_report(second, producer="p")
    assert one.payload.report_id != other.payload.report_id
    assert one.event_id != other.event_id
    assert prepare_report(first, producer="p").event_id == one.event_id  # a redelivery: same


def test_a_referrals_urls_on_a_service_go_to_the_service_not_the_provider_named() -> None:
    """A referral naming its hosting provider sent every URL's takedown there, a Facebook
    post's too (a helper's review); the provider keeps the URLs on other hosts."""
    referral = NgoReferral(
        organisation_id="ngo-1",
        reference="N-9",
        classification=H.CSAM,
        urls=["https://badhost.example/x.jpg", "https://www.facebook.com/groups/123/posts/456"],
        hosting_provider="BadHost",
    )
    assert report_hosts(referral) == ["badhost", "facebook"]
    alone = referral.model_copy(update={"urls": ["https://badhost.example/x.jpg"]})
    assert report_hosts(alone) == ["badhost"]
    # Nor to the provider where none of its URLs is on its servers (a review).
    facebook_only = referral.model_copy(update={"urls": referral.urls[1:]})
    assert report_hosts(facebook_only) == ["facebook"]
    # A file served from an address is taken down there (a review: read as a phone, lost).
    by_address = alone.model_copy(
        update={"urls": ["http://203.0.113.5/x.jpg"], "hosting_provider": None}
    )
    assert report_hosts(by_address) == ["203.0.113.5"]


@pytest.mark.parametrize("typed", ["siti.aminah@gmail.com", "+60 12-345 6789", "0123456789"])
def test_an_email_or_phone_typed_as_the_platform_names_none(typed: str) -> None:
    """A reporter's own address in the platform field was a takedown notice's target, shown
    with the case to every agency (a helper's review)."""
    report = PublicReport(platform=typed, urls=["https://badsite.example/x"])
    payload = prepare_report(_event(report), "tests").payload
    targets = {p.target for p in plan_tasks(uuid4(), payload, datetime.now(UTC))}
    assert typed.casefold() not in targets and "badsite.example" in targets


# What a review of fan-out found (2026-12-02): each input below had no task where one was
# due, or a task for no one.
@pytest.mark.parametrize(
    "url",
    ["hxxps://badsite[.]com/v/1", "hxxp://badsite[.]com/v/2", "https://badsite[.]com/v/1",
     "hXXps[:]//badsite(.)com/v/3", "badsite[dot]com/v/4"],
)  # fmt: skip
def test_a_defanged_url_is_taken_down_at_its_host(url: str) -> None:
    """Hotlines write the URLs of abuse material defanged, so that no one clicks them: such a
    referral got no takedown notice, no preservation request and no link."""
    referral = NgoReferral(
        organisation_id="ngo-a", reference="R-1", classification=H.CSAM, urls=[url]
    )
    payload = prepare_report(_event(referral), "p").payload
    assert payload.hosts == ["badsite.com"]
    targets = {(p.task_type, p.target) for p in plan_tasks(uuid4(), payload, OCCURRED)}
    assert (TaskType.TAKEDOWN_NOTICE, "badsite.com") in targets
    assert any(
        i.kind == "url" and i.value.startswith("https://badsite.com/v/")
        for i in payload.identifiers
    )


@pytest.mark.parametrize("ref", ["N/A", "-", "unknown", "none", "0", "not provided", "N / A", "—"])
def test_a_placeholder_victim_reference_names_no_victim(ref: str) -> None:
    """'N/A' as a victim's reference made a child victim and a KPWKM task of every report
    giving it, and one Victim node of all the organisation's reports that did."""
    report = _platform(incident_type=H.ONLINE_SCAM, victim=VictimInfo(pseudonym_ref=ref))
    payload = prepare_report(_event(report), "p").payload
    assert payload.victim_ref is None and payload.child_victim is False
    assert Agency.KPWKM not in {p.agency for p in plan_tasks(uuid4(), payload, OCCURRED)}
    real = _platform(incident_type=H.ONLINE_SCAM, victim=VictimInfo(pseudonym_ref="VIC-1"))
    assert prepare_report(_event(real), "p").payload.victim_ref == "meta-my:VIC-1"


@pytest.mark.parametrize(
    "named",
    ["Not sure", "N / A", "Not applicable", "unknown host", "Unknown provider", "Other platform",
     "other app", "lain lain", "Lain2", "—", "-- select --", "Please select"],
)  # fmt: skip
def test_a_placeholder_platform_or_provider_is_no_target(named: str) -> None:
    """Each was a takedown notice's and a preservation request's target, and a referral's
    URLs' own host got none."""
    account = ReportedAccount(platform=named, username="uncle_x")
    item = ContentItem(md5="b" * 32, still_online=True)
    referral = NgoReferral(
        organisation_id="ngo-a", reference="R-1", classification=H.CSAM, accounts=[account],
        content=[item], hosting_provider=named, urls=["https://badsite.example/v/1"],
    )  # fmt: skip
    targets = {
        p.target
        for p in plan_tasks(uuid4(), prepare_report(_event(referral), "p").payload, OCCURRED)
    }
    assert named.lower() not in targets and "badsite.example" in targets


@pytest.mark.parametrize("url", ["https://www.facebook.com/", "facebook.com/marketplace"])
def test_a_services_front_page_is_no_content_to_take_down(url: str) -> None:
    """'he sends me messages' with Facebook's front page got a takedown notice and a
    preservation request for content reported online (a review of fan-out)."""
    report = PublicReport(urls=[url], platform="Facebook", description="he sends me messages")
    payload = prepare_report(_event(report), "p").payload
    assert payload.content_online is False
    kinds = {p.task_type for p in plan_tasks(uuid4(), payload, OCCURRED)}
    assert TaskType.TAKEDOWN_NOTICE not in kinds and TaskType.PRESERVATION_REQUEST not in kinds
    elsewhere = PublicReport(urls=["https://badsite.example/v/1"], description="he sends me this")
    assert prepare_report(_event(elsewhere), "p").payload.content_online is True
