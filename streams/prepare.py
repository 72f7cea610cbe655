"""Turn a submitted report into a triaged one: identifiers, triage and routing facts."""

import hashlib
import json
from datetime import UTC, datetime
from enum import Enum
from urllib.parse import urlsplit
from uuid import uuid5

from contracts.cases import Identifier, ReportTriaged, SuspectRef, TriagedPayload
from contracts.registry import encode_event
from contracts.reports import (
    ContentItem,
    NgoReferral,
    PlatformReport,
    PublicReport,
    ReportSubmitted,
)
from streams.normalise import (
    SERVICES,
    UNKNOWN_PLATFORM,
    AnyReport,
    canonical_url,
    extract_identifiers,
    given_reference,
    is_placeholder,
    linked_hosts,
    normalise_platform,
    organisation_service,
    report_links,
    suspect_groups,
    takedown_host,
)
from streams.triage import child_at_risk, facts_of, triage_of


def is_online(item: ContentItem) -> bool:
    """True if the content item is, as far as the reporter knows, still reachable."""
    if item.still_online is not None:
        # The platform's own "still online" answer is the freshest fact: False means it is
        # already down, so no takedown notice is needed even if it was once public.
        return item.still_online
    return bool(item.publicly_available)


def content_online(report: AnyReport) -> bool:
    """True if the report points at material that may still be online."""
    if isinstance(report, PublicReport):
        # The public form only gives URLs (in its field or its description); we must assume
        # they still work. Not a service's front page or own page ('https://www.facebook.com/',
        # 'facebook.com/marketplace'), which names no content: it made a takedown notice of
        # "he sends me messages" (a review of fan-out).
        return any(_names_content(link) for link in report_links(report))
    # A referral's URLs are online at their hosts (referral_hosts); a platform's own URLs
    # are where it saw the content, and it says per content item whether it is still up.
    return any(is_online(item) for item in report.content)


def _names_content(link: str) -> bool:
    """A link that may be content: any but a service's front page or own page (text no URL
    parser reads may be one, written some other way)."""
    canonical = canonical_url(link)
    return canonical is None or not is_placeholder("url", canonical)


def unlocated_content_online(report: AnyReport, online: bool, hosts: list[str]) -> bool:
    """True if content still online is at no host a URL of the report gives: a public
    report's links (`online`, content_online) none of which has a host (`hosts`,
    report_hosts); a platform's or a referral's content item online with no URL (or one no
    host is read from). Content a URL places is taken down at its host, not at the platforms
    the report names."""
    if isinstance(report, PublicReport):
        return online and not hosts
    return any(is_online(i) and (i.url is None or _host(i.url) is None) for i in report.content)


def referral_hosts(report: AnyReport) -> list[str]:
    """Where a referral's URLs are served, for their takedown notices: the hosting provider
    it names, else each URL's host (a known platform's domain by the platform's name). A
    hotline refers URLs it found serving the material: online until shown otherwise."""
    if not isinstance(report, NgoReferral):
        return []
    # A content item of the referral that says its URL is no longer online withdraws it: no
    # notice to take down what is already down (compared as linking compares URLs).
    down = {
        canonical_url(item.url)
        for item in report.content
        if item.url is not None and item.still_online is False
    }
    down.discard(None)  # text that is no URL withdraws nothing (and not other such text)
    # A content item's URL counts too: a referral may list its URLs there only (it was a
    # takedown to 'unknown-host'), online unless the item says otherwise.
    listed = [*report.urls, *(item.url for item in report.content if item.url is not None)]
    online = [url for url in listed if canonical_url(url) not in down]
    if not online:
        return []
    # A provider named as unknown ('N/A', 'tidak tahu') names none: the URLs' own hosts
    # then, as with none named (the notice went to 'n/a').
    provider = normalise_platform(report.hosting_provider or "")
    if provider == UNKNOWN_PLATFORM:
        return _hosts_of(online)
    # The provider hosts the referral's URLs, except those on a service's own domains: a
    # Facebook post's notice went to the provider named for the other URLs, none to Facebook
    # (and the provider gets none where every URL is on a service's domains).
    hosts = [takedown_host(host) if (host := _host(url)) else None for url in online]
    found = {host if host in SERVICES else provider for host in hosts}
    return sorted(found)


def _hosts_of(urls: list[str]) -> list[str]:
    """The URLs' hosts, a known platform's domain by the platform's name, sorted."""
    found = {takedown_host(host) for url in urls if (host := _host(url))}
    found.discard(UNKNOWN_PLATFORM)
    return sorted(found)


def platform_content_hosts(report: AnyReport) -> list[str]:
    """Where a platform's report says content is still up: the hosts of its online content
    items' URLs. A platform reporting an offender's accounts on another service (a TikTok
    report of an Instagram account) sent the takedown notice for the video on its own
    service to Instagram only, and none to TikTok (a helper's review)."""
    if not isinstance(report, PlatformReport):
        return []
    return _hosts_of([i.url for i in report.content if i.url is not None and is_online(i)])


def report_hosts(report: AnyReport) -> list[str]:
    """Where a report's URLs are served, for their takedown notices: a referral's
    (referral_hosts), and a public report's links' hosts: a member of the public who gives
    'youtu.be/...' or 't.me/uncle_x' names where it is, and MCMC's notice was addressed to
    an unknown host; a platform's online content items' URLs (platform_content_hosts), besides
    the platforms its accounts name (report_platforms)."""
    if isinstance(report, PublicReport):
        return linked_hosts(report_links(report))
    if isinstance(report, PlatformReport):
        return platform_content_hosts(report)
    return referral_hosts(report)


def _host(url: str) -> str | None:
    """The URL's host as linking reads it (canonical_url: no trailing dot, international
    labels in punycode, full-width forms as typed), or None for text no URL parser reads
    ('http://[fe80::1' raised, and the whole referral, already answered 202, went to the
    dead letters). As written, 'h.com.' and 'h.com', or 'пример.com' and its punycode, were
    two takedown notices in one case whose URLs linked as one."""
    try:
        return urlsplit(canonical_url(url) or url.strip()).hostname
    except ValueError:
        return None


def report_platforms(report: AnyReport) -> list[str]:
    """Normalised, unique, sorted platforms named by the report's accounts or form, the
    reporting platform when its own report names none, and the hosting provider a referral
    names (a preservation request goes to it too)."""
    if isinstance(report, PublicReport):
        names = [report.platform] if report.platform else []
    else:
        names = [acc.platform for acc in report.accounts if acc.platform]
    if isinstance(report, NgoReferral) and report.hosting_provider:
        names.append(report.hosting_provider)
    found = {normalise_platform(name) for name in names}
    found.discard(UNKNOWN_PLATFORM)
    if isinstance(report, PlatformReport) and not found:
        # A platform reports what is on its own service (its URLs are where it saw the
        # content: content_online): a report naming no platform (its accounts give none, or
        # it names content only) is about the reporting organisation's. It got no
        # preservation request, and content still online a takedown notice to an unknown
        # host. With a platform named, the organisation is not added: accounts it left
        # unnamed may be on another service.
        found.add(organisation_service(report.organisation_id))
        found.discard(UNKNOWN_PLATFORM)
    return sorted(found)


def _suspect(group: list[Identifier]) -> SuspectRef:
    # An account id names a person better than a shared phone or device does.
    accounts = [i for i in group if i.kind == "account"]
    return SuspectRef(
        key=f"suspect:{(accounts or group)[0].key}", identifier_keys=[i.key for i in group]
    )


def fingerprint(report: AnyReport) -> str:
    """SHA-256 of what the report says, not how it was written: fields left at their
    defaults out (a field added to the contract later changes no fingerprint), keys
    sorted, times in UTC (one instant written with another offset is the same report)."""
    said = report.model_dump(mode="python", exclude_defaults=True)
    text = json.dumps(said, sort_keys=True, separators=(",", ":"), default=_canonical)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    return str(value.value) if isinstance(value, Enum) else str(value)


def _as_validated(event: ReportSubmitted) -> str:
    """The message as validated, encoded again: what the reporter sent, field for field. Not
    the bytes as received: a key given twice is read as its last value, so a report
    '{"description": "<an image in base64>", ..., "description": "ok"}' was validated as
    "ok" and kept with the image in it."""
    return encode_event(event).decode()


def victim_key(organisation_id: str | None, pseudonym_ref: str | None) -> str | None:
    """A victim's reference, qualified by the organisation that gave it: references are each
    reporter's own, so two platforms' 'VIC-1' are two children (one node held both, and the
    age the last one reported showed for the other)."""
    ref = given_reference(pseudonym_ref)
    return f"{organisation_id}:{ref}" if ref else None


def prepare_report(event: ReportSubmitted, producer: str) -> ReportTriaged:
    """Build the ReportTriaged event that follows a ReportSubmitted event."""
    report = event.payload.report
    victim = None if isinstance(report, PublicReport) else report.victim
    organisation_id = None if isinstance(report, PublicReport) else report.organisation_id
    facts = facts_of(report)
    online, hosts = content_online(report), report_hosts(report)
    payload = TriagedPayload(
        report_id=event.payload.report_id,
        channel=report.channel,
        organisation_id=organisation_id,
        triage=triage_of(facts),
        identifiers=extract_identifiers(report),
        suspects=[_suspect(group) for group in suspect_groups(report)],
        content_online=online,
        unlocated_content_online=unlocated_content_online(report, online, hosts),
        child_victim=facts.child_victim,
        child_at_risk=child_at_risk(facts),
        victim_ref=victim_key(organisation_id, victim.pseudonym_ref) if victim else None,
        victim_age=victim.age if victim else None,
        victim_age_range=victim.age_range if victim else None,
        platforms=report_platforms(report),
        hosts=hosts,
        submitted=_as_validated(event),
        # recorded_at: when ocsea-hub (the door, or the producer writing to an intake topic)
        # recorded the submission. Not occurred_at, which is the incident's time.
        received_at=event.recorded_at,
        report_sha256=fingerprint(report),
    )
    # Derived from the message triaged: its redelivery makes the same event, as replays
    # must (a resend of the report is a message of its own, with an id of its own). And from
    # its report: a producer on a Kafka door chooses event ids, and two reports sent under
    # one were two triaged events of one id, which a consumer dropping repeats by id lost.
    return ReportTriaged(
        **event.caused(),
        event_id=uuid5(event.event_id, f"ReportTriaged:{payload.report_id}"),
        occurred_at=event.occurred_at,
        producer=producer,
        payload=payload,
    )
