"""Build contract events for tests: unique values per test so runs never collide."""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from contracts.cases import ReportTriaged
from contracts.ids import organisation_report_id
from contracts.reports import ReportPayload, ReportSubmitted
from streams.prepare import prepare_report


def unique(prefix: str = "x") -> str:
    return f"{prefix}{uuid4().hex[:12]}"


def malaysian_mobile() -> str:
    """A fresh Malaysian mobile number as reporters write it (national form, 012...)."""
    return "012" + str(uuid4().int)[:7]


def e164(national: str) -> str:
    """A national Malaysian number (0...) as intake normalises it (+60...)."""
    return "+60" + national[1:]


def platform_report(**fields: Any) -> ReportSubmitted:
    """A platform report; pass accounts=[...], content=[...], escalate=..., victim=..."""
    organisation_id = fields.pop("organisation_id", "test-platform")
    reference = fields.pop("reference", unique("ref-"))
    # Derived, as both doors require (contracts.ids).
    report_id = organisation_report_id("platform", organisation_id, reference)
    report = {
        "channel": "platform",
        "organisation_id": organisation_id,
        "reference": reference,
        "incident_type": fields.pop("incident_type", "csam"),
        "incident_time": datetime.now(UTC).isoformat(),
        **fields,
    }
    return ReportSubmitted.model_validate(
        {
            "occurred_at": datetime.now(UTC),
            "producer": "tests",
            "correlation_id": report_id,
            "payload": ReportPayload.model_validate({"report_id": report_id, "report": report}),
        }
    )


def account(username: str, platform: str = "testgram", **extra: Any) -> dict[str, Any]:
    return {"platform": platform, "username": username, **extra}


def triaged(event: ReportSubmitted) -> ReportTriaged:
    return prepare_report(event, "tests")
