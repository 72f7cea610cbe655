"""The view of a stored report: personal data withheld unless the reader may see it."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from contracts.registry import encode_event
from contracts.reports import PublicReport, ReportPayload, ReportSubmitted
from graph.submitted import StoredReport, submitted_view, to_stored
from tests.factories import platform_report

RECEIVED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _stored(event: ReportSubmitted) -> StoredReport:
    return StoredReport(
        report_id=str(event.payload.report_id),
        case_id=str(uuid4()),
        channel=event.payload.report.channel.value,
        received_at=RECEIVED,
        message=to_stored(encode_event(event).decode()),
    )


def _public() -> ReportSubmitted:
    report = PublicReport(
        description="a man asks my son for photos",
        usernames=["uncle_x"],
        reporter={"name": "Siti", "phone": "012-345 6789"},
    )
    return ReportSubmitted(
        occurred_at=RECEIVED,
        producer="api",
        correlation_id=uuid4(),
        payload=ReportPayload(report_id=uuid4(), report=report),
    )


def test_a_reader_without_victim_details_gets_the_report_without_personal_data() -> None:
    view = submitted_view(_stored(_public()), reveal_personal=False)
    assert view["report"]["description"] == "a man asks my son for photos"
    assert view["report"]["usernames"] == ["uncle_x"]
    assert view["report"]["reporter"] is None and view["withheld"] == ["reporter"]
    # The phone in any form it may be kept in ('345' alone was found in the random ids).
    shown = str(view)
    assert "Siti" not in shown
    assert not any(p in shown for p in ("345 6789", "3456789", "123456789"))


def test_a_reader_with_victim_details_gets_everything() -> None:
    event = platform_report(victim={"age": 12, "pseudonym_ref": "VIC-9"}, description="d")
    view = submitted_view(_stored(event), reveal_personal=True)
    assert view["report"]["victim"]["age"] == 12 and view["withheld"] == []
    assert view["received_at"] == "2026-11-30T09:00:00Z"  # as the API's models write times
    assert view["submitted_at"] is not None


def test_the_victim_is_withheld_from_others_and_absent_fields_are_not_named() -> None:
    with_victim = platform_report(victim={"age": 12, "pseudonym_ref": "VIC-9"})
    view = submitted_view(_stored(with_victim), reveal_personal=False)
    assert view["report"]["victim"] is None and view["withheld"] == ["victim"]
    assert submitted_view(_stored(platform_report()), False)["withheld"] == []


@pytest.mark.parametrize("message", [None, b"not zlib", to_stored("{not json"), to_stored("[]")])
def test_an_unreadable_or_missing_message_is_an_error(message: bytes | None) -> None:
    stored = StoredReport("r", "c", "public", RECEIVED, message)
    with pytest.raises(ValueError):
        submitted_view(stored, True)


def test_submitted_at_is_when_the_door_took_the_report_not_the_incident() -> None:
    incident = datetime(2025, 10, 26, 23, 55, tzinfo=UTC)
    event = _public().model_copy(update={"occurred_at": incident, "recorded_at": RECEIVED})
    view = submitted_view(_stored(event), reveal_personal=False)
    assert datetime.fromisoformat(view["submitted_at"]) == RECEIVED
