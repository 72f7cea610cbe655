"""The three doors: public form, licensed platforms, NGOs and hotlines."""

import asyncio
import hashlib
from datetime import UTC, datetime
from ipaddress import IPv6Address, ip_address, ip_network
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from api.errors import ApiError, ErrorBody
from contracts import topics
from contracts.deadletters import FieldError
from contracts.ids import organisation_report_id
from contracts.registry import encode_event
from contracts.reports import (
    NgoReferral,
    PlatformReport,
    PublicReport,
    ReportPayload,
    ReportSubmitted,
)
from runtime import metrics
from runtime.deadletter import dead_letter
from runtime.logs import get_logger
from streams.normalise import unreadable_identifiers
from streams.prepare import fingerprint

PRODUCER = "api.intake"
log = get_logger(__name__)
router = APIRouter(tags=["intake"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    413: {"model": ErrorBody},
    415: {"model": ErrorBody},
    422: {"model": ErrorBody},
    429: {"model": ErrorBody},
}


# The keyed doors also refuse a reference used before for another report.
KEYED_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 409: {"model": ErrorBody}}


class Accepted(BaseModel):
    report_id: UUID
    status: str = "accepted"
    status_url: str
    # Identifiers the report gives that cannot be read (a hash of the wrong length, a phone
    # that is none): the report is accepted without them, and they link nothing.
    warnings: list[FieldError] = []


async def _accept(
    request: Request,
    report: PublicReport | PlatformReport | NgoReferral,
    report_id: UUID,
    organisation: str | None = None,
) -> Accepted:
    now = datetime.now(UTC)
    event = ReportSubmitted(
        occurred_at=report.incident_time or now,
        producer=PRODUCER,
        correlation_id=report_id,
        payload=ReportPayload(report_id=report_id, report=report),
    )
    encoded = encode_event(event)
    if len(encoded) > topics.RECORD_MAX_BYTES:
        # Kafka would refuse it (the broker's record limit): say so, rather than a 500.
        message = (
            f"the report is {len(encoded):,} bytes as an event, over the limit of "
            f"{topics.RECORD_MAX_BYTES:,}: send its accounts and content in several reports"
        )
        refused = ApiError(413, "report_too_large", message)
        # Kept, as every refused report is: a valid report refused only for its size left
        # no trace (found by a review).
        await keep_refused(request, "report_too_large", refused.errors, organisation)
        raise refused
    await request.app.state.publisher.publish_encoded(
        topics.INTAKE[report.channel], str(report_id), encoded
    )
    metrics.REPORTS_ACCEPTED.labels(channel=report.channel.value, door="http").inc()
    warnings = unreadable_identifiers(report)
    return Accepted(report_id=report_id, status_url=f"/v1/reports/{report_id}", warnings=warnings)


async def keep_refused(
    request: Request, reason: str, errors: list[FieldError], organisation: str | None = None
) -> None:
    """Keep a refused report as a dead letter with its errors (the caller is answered apart).
    At a keyed door its source names the organisation whose key sent it: the report may name
    another one (refused for that), and operators read which organisation sends what."""
    channel = request.url.path.rsplit("/", 1)[-1]
    metrics.REPORTS_REJECTED.labels(
        channel=channel if channel in {"public", "platform", "ngo"} else "public",
        code=errors[0].code if errors else "invalid",
    ).inc()
    raw = await request.body()
    source = f"http:{request.method} {request.url.path}"
    if organisation:
        source += f" key={organisation}"
    letter = dead_letter(raw, source, reason, errors, PRODUCER)
    try:
        await request.app.state.publisher.publish(
            topics.DEAD_LETTERS, hashlib.sha256(raw).hexdigest(), letter
        )
    except Exception as failure:  # noqa: BLE001 - answered below, whatever Kafka raised
        # Answered 4xx with the letter nowhere, the report was gone (a review): 503, so the
        # sender sends it again and its refusal is kept then, with why it was refused.
        log.error("dead_letter_failed", error=type(failure).__name__)
        message = "the report was refused (see the other errors) and could not be kept now"
        unkept = ApiError(503, "refusal_not_kept", message, headers={"Retry-After": "5"})
        unkept.errors += errors
        raise unkept from failure


# What the first report under an id said (its canonical fingerprint, streams.prepare).
KEPT_FINGERPRINT = "MATCH (r:Report {id: $rid}) RETURN r.report_sha256 AS sha256"
REUSE_CHECK_TIMEOUT_S = 2.0


async def refuse_a_reused_reference(
    request: Request, report: PlatformReport | NgoReferral, report_id: UUID
) -> None:
    """409 for a different report under a reference its organisation used before; a resend
    (the same report) goes on. The linker refuses such a report too, but after the 202: it
    went to the dead letters unseen, and its status showed the first report's case. The
    graph is asked briefly: unreachable or slow, the report is accepted, and the linker
    refuses it as before (as it does one sent before the first was linked)."""
    state = request.app.state
    try:
        records, _, _ = await asyncio.wait_for(
            state.graph.execute_query(
                KEPT_FINGERPRINT,
                rid=str(report_id),
                database_=state.settings.neo4j_database,
                routing_="r",
            ),
            REUSE_CHECK_TIMEOUT_S,
        )
    except Exception as exc:  # noqa: BLE001 - the door stays open without the graph
        log.warning("reuse_check_skipped", error=type(exc).__name__)
        return
    kept = records[0]["sha256"] if records else None
    if kept is None or kept == fingerprint(report):
        return
    message = (
        f"report {report_id} was received under this organisation's reference before, and "
        "said something else: send this report under a reference of its own (a resend of "
        "the same report is accepted)"
    )
    error = ApiError(409, "report_id_reused", message, "reference")
    await keep_refused(request, "report_id_reused", error.errors, report.organisation_id)
    raise error


# Dependencies run before the body is validated: a caller without a key learns nothing more.
async def platform_key(request: Request) -> str:
    return await request.app.state.keys.organisation(request, "platform")


async def ngo_key(request: Request) -> str:
    return await request.app.state.keys.organisation(request, "ngo")


# Called by the app's body guard (api.app) before anything reads the body: every request to
# the public door counts, a malformed or refused one too. (Inside the handler, invalid
# bodies were answered and kept as dead letters without limit; as a dependency, a body that
# is no JSON at all still was: FastAPI refuses it before dependencies run.)
PUBLIC_DOORS = frozenset({"/v1/reports", "/v1/reports/public"})


def limited_as(host: str) -> str:
    """Whom a request counts against: its IPv4 address, or its IPv6 /64. One host holds a
    whole /64 (2^64 addresses): counted address by address, it was never limited, and its
    new addresses pushed everyone else's counts out of the limiter's table."""
    try:
        address = ip_address(host)
    except ValueError:
        return host
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)  # an IPv4 client seen through a dual stack
        return str(ip_network(f"{address}/64", strict=False))
    return str(address)


# An IPv6 site (/48) may send as many reports as this many of its /64 hosts: counted by
# /64 alone, one site (a tunnel broker's or a VPS's /48 is free) took a new /64 for every
# report, 65,536 allowances a minute, and its buckets pushed everyone else's out of the table.
IPV6_SITE_HOSTS = 16


def ipv6_site(host: str) -> str | None:
    """The IPv6 /48 an address is in; None for IPv4 (mapped too) and for what is no address."""
    try:
        address = ip_address(host)
    except ValueError:
        return None
    if not isinstance(address, IPv6Address) or address.ipv4_mapped is not None:
        return None
    return str(ip_network(f"{address}/48", strict=False))


def public_limit(request: Request) -> None:
    host = request.client.host if request.client else "unknown"
    limiter = request.app.state.public_limiter
    buckets = [(limited_as(host), limiter.per_minute)]
    if (site := ipv6_site(host)) is not None:
        buckets.append((site, limiter.per_minute * IPV6_SITE_HOSTS))
    if not limiter.allow_all(buckets):
        raise ApiError(
            429,
            "rate_limited",
            "too many reports from this address; try again in a minute",
            headers={"Retry-After": "60"},
        )


@router.post(
    "/v1/reports",
    status_code=202,
    response_model=Accepted,
    responses=ERRORS,
    summary="Public report (alias)",
)
@router.post("/v1/reports/public", status_code=202, response_model=Accepted, responses=ERRORS)
async def submit_public(report: PublicReport, request: Request) -> Accepted:
    """Anyone may report, anonymously and with almost nothing filled in."""
    return await _accept(request, report, uuid4())


@router.post(
    "/v1/reports/platform", status_code=202, response_model=Accepted, responses=KEYED_ERRORS
)
async def submit_platform(
    report: PlatformReport, request: Request, organisation: str = Depends(platform_key)
) -> Accepted:
    """A licensed platform's report; resending the same reference returns the same report id."""
    await _own(request, organisation, report.organisation_id)
    report_id = organisation_report_id("platform", report.organisation_id, report.reference)
    await refuse_a_reused_reference(request, report, report_id)
    return await _accept(request, report, report_id, organisation)


@router.post("/v1/reports/ngo", status_code=202, response_model=Accepted, responses=KEYED_ERRORS)
async def submit_ngo(
    report: NgoReferral, request: Request, organisation: str = Depends(ngo_key)
) -> Accepted:
    """An NGO or hotline referral, named by its own case reference."""
    await _own(request, organisation, report.organisation_id)
    report_id = organisation_report_id("ngo", report.organisation_id, report.reference)
    await refuse_a_reused_reference(request, report, report_id)
    return await _accept(request, report, report_id, organisation)


async def _own(request: Request, organisation: str, claimed: str) -> None:
    """403 for a report under another organisation's name, kept as a dead letter naming the
    key's organisation: an attempt to file as another, or an integrator's misconfiguration,
    left no trace (found by a review)."""
    if organisation != claimed:
        refused = ApiError(
            403,
            "organisation_mismatch",
            "organisation_id must be the key's own organisation",
            "organisation_id",
        )
        await keep_refused(request, "organisation_mismatch", refused.errors, organisation)
        raise refused
