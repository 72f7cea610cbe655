"""Contract round trips, sample payloads of every version, and committed schemas in sync."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from contracts import schemas, topics
from contracts.deadletters import FieldError
from contracts.enums import CLOSED_TASK_STATUSES, OPEN_TASK_STATUSES, Agency, Channel, TaskStatus
from contracts.envelope import Event
from contracts.lifecycle import TaskOutcome
from contracts.registry import (
    EVENT_TYPES,
    NESTED_TOO_DEEPLY,
    ContractError,
    decode_event,
    encode_event,
)
from contracts.reports import PlatformReport, PublicReport, ReportSubmitted
from contracts.tasks import TaskAssigned, TaskUpdated
from contracts.times import Time

SAMPLES = sorted((Path(__file__).parent.parent / "samples").glob("v*/*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_decodes_and_round_trips(path: Path) -> None:
    raw = path.read_bytes()
    event = decode_event(raw)
    assert event.event_type == json.loads(raw)["event_type"]
    assert decode_event(encode_event(event)) == event


def _submitted(raw: bytes) -> ReportSubmitted:
    event = decode_event(raw)
    assert isinstance(event, ReportSubmitted)
    return event


def test_samples_cover_every_channel() -> None:
    channels = {
        _submitted(p.read_bytes()).payload.report.channel
        for p in SAMPLES
        if "ReportSubmitted" in p.name
    }
    assert channels == set(Channel)


def test_committed_schemas_match_models() -> None:
    for filename, text in schemas.schema_files().items():
        path = schemas.SCHEMA_DIR / filename
        assert path.exists(), f"{filename} missing: run `make schemas`"
        assert path.read_text() == text, f"{filename} is stale: run `make schemas`"
    assert len(list(schemas.SCHEMA_DIR.glob("*.json"))) == len(EVENT_TYPES)


def test_models_are_frozen() -> None:
    event = decode_event(SAMPLES[0].read_bytes())
    with pytest.raises(Exception, match="frozen"):
        event.producer = "someone-else"  # type: ignore[misc]


def test_unknown_field_is_refused_with_its_path() -> None:
    data = json.loads(
        (Path(__file__).parent.parent / "samples/v1/ReportSubmitted.platform.json").read_text()
    )
    data["payload"]["report"]["image_bytes"] = "AAAA"
    with pytest.raises(ContractError) as caught:
        decode_event(json.dumps(data).encode())
    assert caught.value.errors[0].field == "payload.report.image_bytes"
    assert caught.value.errors[0].code == "extra_forbidden"


def test_media_bytes_in_text_are_refused() -> None:
    blob = "data:image/jpeg;base64," + "A" * 64
    with pytest.raises(ValueError, match="media_bytes_refused"):
        PlatformReport(
            organisation_id="p",
            reference="r",
            incident_type="csam",
            incident_time="2026-01-01T00:00:00Z",
            description=blob,
        )


def test_long_prose_is_not_mistaken_for_media() -> None:
    prose = "kanak-kanak itu dihubungi setiap malam oleh akaun yang sama " * 100
    report = PlatformReport(
        organisation_id="p",
        reference="r",
        incident_type="grooming",
        incident_time="2026-01-01T00:00:00Z",
        description=prose,
    )
    assert report.description == prose.strip()  # kept whole, not cut


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "not_json"),
        (b"[1]", "not_object"),
        (b'{"event_type": "Nope"}', "unknown_event_type"),
    ],
)
def test_garbage_gets_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(ContractError) as caught:
        decode_event(raw)
    assert caught.value.reason == reason


def test_expected_types_are_enforced() -> None:
    raw = (Path(__file__).parent.parent / "samples/v1/ReportSubmitted.ngo.json").read_bytes()
    assert isinstance(decode_event(raw, expected=(ReportSubmitted,)), ReportSubmitted)
    with pytest.raises(ContractError):
        decode_event(raw, expected=(EVENT_TYPES["TaskAssigned"],))


def test_topic_names_carry_the_major_version() -> None:
    names = [spec.name for spec in topics.all_topics()]
    assert len(names) == len(set(names))
    assert all(name.startswith("ocsea.") and name.endswith(".v1") for name in names)
    assert topics.AGENCY_TASKS[Agency.PDRM] == "ocsea.tasks.pdrm.v1"


def test_a_task_status_is_open_or_closed_never_both() -> None:
    # The linker raises the open task of a slot and never makes a second one; a status
    # missing from both lists would let a slot hold two open tasks.
    assert set(OPEN_TASK_STATUSES) | set(CLOSED_TASK_STATUSES) == {s.value for s in TaskStatus}
    assert not set(OPEN_TASK_STATUSES) & set(CLOSED_TASK_STATUSES)
    assert "escalated" in OPEN_TASK_STATUSES and "superseded" not in OPEN_TASK_STATUSES


@pytest.mark.parametrize("version", [2, 7, 0])
def test_a_schema_version_this_service_does_not_read_is_refused(version: int) -> None:
    """Read as version 1, a newer event's fields could mean something else (2026-11-30: a
    ReportSubmitted of version 7 was triaged as if it were 1)."""
    raw = json.loads((SAMPLES[0]).read_bytes())
    raw["schema_version"] = version
    with pytest.raises(ContractError) as caught:
        decode_event(json.dumps(raw).encode())
    assert caught.value.reason == "unsupported_schema_version"
    assert [e.field for e in caught.value.errors] == ["schema_version"]


def test_a_number_too_long_for_python_is_not_json_to_the_registry() -> None:
    # json.loads raised a ValueError of its own past the registry's handler: the message was
    # dead-lettered as a failed triage, not as what it is.
    raw = (
        (SAMPLES[0])
        .read_bytes()
        .replace(b'"schema_version": 1', b'"schema_version": ' + b"9" * 5000)
    )
    assert b"9" * 5000 in raw
    with pytest.raises(ContractError) as caught:
        decode_event(raw)
    assert caught.value.reason == "not_json"


@pytest.mark.parametrize("expected", [(), (TaskAssigned, TaskUpdated)])
@pytest.mark.parametrize("nested", [b"[" * 5000, b'{"payload": ' * 5000])
def test_json_nested_too_deeply_is_not_json_to_the_registry(
    nested: bytes, expected: tuple[type[Event], ...]
) -> None:
    # json.loads raised a RecursionError past every consumer's handler (ContractError only):
    # 5 kB of '[' on a task topic stopped the agency queue, its batch never received.
    with pytest.raises(ContractError) as caught:
        decode_event(nested, expected=expected)
    assert caught.value.reason == "not_json"
    assert [(e.code, e.message) for e in caught.value.errors] == [("not_json", NESTED_TOO_DEEPLY)]


@pytest.mark.parametrize("version", [True, 1.0, " 1", "+1", "1.0", "²", "1" * 5000])
@pytest.mark.parametrize("several", [False, True])
def test_a_version_that_is_no_whole_number_is_refused_on_either_path(
    version: object, several: bool
) -> None:
    # The JSON parser's one pass (a topic's types) read these as version 1 where the path that
    # upcasts refused them: the same bytes were an event or not by the topic they came on.
    raw = json.loads((SAMPLES[0]).read_bytes())
    raw["schema_version"] = version
    expected = (ReportSubmitted, EVENT_TYPES["TaskAssigned"]) if several else (ReportSubmitted,)
    with pytest.raises(ContractError) as caught:
        decode_event(json.dumps(raw).encode(), expected=expected)
    assert caught.value.reason == "invalid_event"
    assert [e.field for e in caught.value.errors] == ["schema_version"]
    raw["schema_version"] = "1"  # its digits as text, as both paths read it
    assert decode_event(json.dumps(raw).encode(), expected=expected).schema_version == 1


def _refused_incident_time(time: object) -> tuple[dict[str, Any], FieldError]:
    """The platform sample with `time` as its incident time, and the one error it is refused
    with."""
    data = json.loads(
        (Path(__file__).parent.parent / "samples/v1/ReportSubmitted.platform.json").read_text()
    )
    data["payload"]["report"]["incident_time"] = time
    with pytest.raises(ContractError) as caught:
        decode_event(json.dumps(data).encode())
    [error] = caught.value.errors
    return data, error


@pytest.mark.parametrize(
    ("time", "why"),
    [
        ("9999-12-31T23:59:59-14:00", "years 1 to 9999"),  # past year 9999 in UTC
        ("0001-01-01T00:00:00+14:00", "years 1 to 9999"),
        ("2026-11-30T10:00:00+23:59", "at most 18 hours"),  # Neo4j refuses such an offset
        ("2026-11-30T10:00:00+05:30:15", "valid datetime"),  # pydantic refuses it itself
    ],
)
def test_a_time_the_system_cannot_hold_is_refused_with_its_path(time: str, why: str) -> None:
    """Taken, the first made the worker's triage raise after the door answered 202, and the
    others gave 500s where the graph stored or compared them."""
    data, error = _refused_incident_time(time)
    assert error.field == "payload.report.incident_time" and why in error.message
    data["payload"]["report"]["incident_time"] = "2026-11-30T10:00:00+14:00"
    kept = decode_event(json.dumps(data).encode())  # far, but a real offset
    assert kept.payload.report.incident_time == datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # type: ignore[attr-defined]


@pytest.mark.parametrize("time", [20261127, "20261127", 1700000000, 1.7e12, " 1700000000 ", "1e9"])
def test_a_number_is_refused_as_a_time_not_read_as_seconds_since_1970(time: object) -> None:
    """pydantic read a number, or text that is one, as seconds since 1970: a platform's
    compact date 20261127 was an incident on 1970-08-23. The schema says ISO 8601 text."""
    _, error = _refused_incident_time(time)
    assert (error.code, error.field) == ("datetime_type", "payload.report.incident_time")
    assert "ISO 8601" in error.message


@pytest.mark.parametrize("time", [Decimal("1700000000"), b"1700000000", bytearray(b"20261127")])
def test_a_python_callers_number_is_refused_as_a_time_too(time: object) -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Time).validate_python(time)
    assert [e["type"] for e in caught.value.errors()] == ["datetime_type"]


def test_iso_text_as_bytes_is_still_a_time() -> None:
    at = TypeAdapter(Time).validate_python(b"2026-11-27T10:00:00+08:00")
    assert at == datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def test_an_officers_time_is_refused_as_a_number_too() -> None:
    with pytest.raises(ValidationError) as caught:
        TaskOutcome.model_validate({"code": "content_removed", "content_removed_at": 1700000000})
    [error] = caught.value.errors()
    assert (error["type"], error["loc"]) == ("datetime_type", ("content_removed_at",))


@pytest.mark.parametrize("removed_at", ["0001-01-01T00:00:00+14:00", "2026-11-30T10:00:00+23:59"])
def test_an_outcome_time_the_graph_cannot_store_is_refused(removed_at: str) -> None:
    """An officer completing a takedown with it got a 500 (the driver's or Neo4j's error)."""
    with pytest.raises(ValidationError) as caught:
        TaskOutcome.model_validate({"code": "content_removed", "content_removed_at": removed_at})
    assert caught.value.errors()[0]["loc"] == ("content_removed_at",)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le"])
def test_json_in_another_encoding_than_utf8_is_not_json_as_at_the_http_doors(
    encoding: str,
) -> None:
    # json.loads reads UTF-16 and UTF-32: the Kafka door triaged what the HTTP door refused.
    text = SAMPLES[0].read_bytes().decode()
    with pytest.raises(ContractError) as caught:
        decode_event(text.encode(encoding))
    assert caught.value.reason == "not_json"
    with_bom = decode_event(text.encode("utf-8-sig"))  # a byte order mark is fine
    assert with_bom.model_dump(exclude={"recorded_at"}) == (
        decode_event(text.encode()).model_dump(exclude={"recorded_at"})
    )


def test_a_refused_field_is_named_by_its_path_in_the_message_without_the_channel() -> None:
    """pydantic puts the union's tag in the location: a public report's too-long platform was
    'payload.report.public.platform', and a platform report's fields read
    'payload.report.platform.accounts...', no path in the message (a helper's review)."""
    data = json.loads(
        (Path(__file__).parent.parent / "samples/v1/ReportSubmitted.public.json").read_text()
    )
    data["payload"]["report"]["platform"] = "x" * 300
    with pytest.raises(ContractError) as caught:
        decode_event(json.dumps(data).encode())
    assert [e.field for e in caught.value.errors] == ["payload.report.platform"]


def test_the_systems_own_events_ignore_a_field_they_do_not_know_and_reports_refuse_one() -> None:
    """Refused, a field a later release adds to a version dead-lettered every event of the new
    code that a worker of the old one read during a rolling deploy (a helper's review)."""
    from tests.factories import platform_report, triaged

    event = triaged(platform_report())
    data = json.loads(encode_event(event))
    data["payload"]["added_later"] = True
    data["added_later_too"] = 1
    assert decode_event(json.dumps(data).encode()) == event
    # What a reporter sends still refuses it, at the envelope as within the report.
    submitted = json.loads(encode_event(platform_report()))
    submitted["added_later"] = True
    with pytest.raises(ContractError) as caught:
        decode_event(json.dumps(submitted).encode())
    assert [(e.code, e.field) for e in caught.value.errors] == [("extra_forbidden", "added_later")]


def test_an_organisation_id_is_one_an_organisations_key_could_name() -> None:
    """On Kafka any 256 characters went: 'a|b' with reference 'c' and 'a' with reference 'b|c'
    were one report id (the id's name joins them with '|'; a helper's review)."""
    from contracts.ids import organisation_report_id

    assert organisation_report_id("platform", "a|b", "c") == organisation_report_id(
        "platform", "a", "b|c"
    )
    for refused in ("a|b", "acme corp", "-acme", "x" * 129):
        with pytest.raises(ValidationError, match="organisation_id"):
            PlatformReport(
                organisation_id=refused,
                reference="c",
                incident_type="csam",
                incident_time="2026-12-01T06:00:00Z",
            )
    ok = PlatformReport(
        organisation_id="acme.my_1-2",
        reference="c",
        incident_type="csam",
        incident_time="2026-12-01T06:00:00Z",
    )
    assert ok.organisation_id == "acme.my_1-2"


def test_a_victims_age_range_is_in_ascii_digits() -> None:
    """pydantic's regex took any Unicode digit for \\d: '١٢-١٥' was stored (a review)."""
    from contracts.reports import VictimInfo

    assert VictimInfo(age_range="12-15").age_range == "12-15"
    with pytest.raises(ValidationError, match="age_range"):
        VictimInfo(age_range="١٢-١٥")


def test_the_published_schema_requires_a_reports_channel_as_the_decoder_does() -> None:
    """The schema read the channel's default and took a report without it, which the decoder
    refuses (union_tag_not_found): a producer checking against the schema was told wrong."""
    published = json.loads(schemas.schema_files()["ReportSubmitted.v1.json"])
    for name in ("PublicReport", "PlatformReport", "NgoReferral"):
        definition = published["$defs"][name]
        assert "channel" in definition["required"]
        assert "default" not in definition["properties"]["channel"]
    data = json.loads(
        (Path(__file__).parent.parent / "samples/v1/ReportSubmitted.public.json").read_text()
    )
    del data["payload"]["report"]["channel"]
    with pytest.raises(ContractError):
        decode_event(json.dumps(data).encode())


def test_a_web_forms_empty_fields_are_read_as_not_given() -> None:
    """A form sends what a person left empty as "": each refused the whole public report
    (string_too_short), which may be all a child could say."""
    report = PublicReport.model_validate(
        {
            "description": "someone is asking my sister for photos",
            "platform": "",
            "usernames": ["", "uncle_x", "  "],
            "urls": [""],
            "incident_time": "",
            "reporter": {"name": "", "email": "  ", "phone": "012-345 6789"},
        }
    )
    assert (report.platform, report.usernames, report.urls) == (None, ["uncle_x"], [])
    assert report.incident_time is None
    assert report.reporter is not None and report.reporter.name is None
    assert report.reporter.phone == "012-345 6789"


@pytest.mark.parametrize(
    ("tag", "language"), [("ms-MY", "ms"), ("zh-Hans-CN", "zh"), ("en_GB", "en"), ("TA", "ta")]
)
def test_a_browsers_language_tag_is_read_as_its_language(tag: str, language: str) -> None:
    assert PublicReport.model_validate({"language": tag}).language == language


def test_a_language_the_hub_does_not_read_is_still_refused() -> None:
    with pytest.raises(ValidationError, match="language"):
        PublicReport.model_validate({"language": "fr-FR"})


def test_a_misspelt_field_left_blank_is_still_refused() -> None:
    with pytest.raises(ValidationError, match="descripton"):
        PublicReport.model_validate({"descripton": "", "description": "x"})


def test_a_misspelt_reporter_field_left_blank_is_still_refused() -> None:
    with pytest.raises(ValidationError, match="emial"):
        PublicReport.model_validate({"reporter": {"emial": ""}})
