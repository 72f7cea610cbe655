"""The intake agent's decisions: triage what is valid, dead-letter the rest with a reason."""

import asyncio
import base64
import hashlib
import json
import random
from pathlib import Path
from unittest.mock import AsyncMock

import pytest
from prometheus_client import REGISTRY

from contracts import topics
from contracts.cases import ReportTriaged
from contracts.deadletters import DeadLetterRecorded
from contracts.enums import Channel
from contracts.ids import organisation_report_id
from contracts.registry import decode_event, encode_event
from runtime.deadletter import Origin
from streams import intake

SAMPLES = Path(__file__).parent.parent / "samples" / "v1"


def sample(name: str) -> bytes:
    return (SAMPLES / f"ReportSubmitted.{name}.json").read_bytes()


def test_a_valid_platform_report_is_triaged() -> None:
    routed = intake.route_intake(sample("platform"), topics.INTAKE[Channel.PLATFORM], "t/0@1")
    assert routed.topic == topics.REPORTS_TRIAGED
    assert isinstance(routed.event, ReportTriaged)
    assert routed.key == "4a5beae2-b60d-5a8e-bb9e-28e0ccfc689c"
    assert routed.event.causation_id is not None


def test_a_message_with_no_value_is_dead_lettered_not_a_crash() -> None:
    """A tombstone (a record whose value is null) used to raise TypeError in the intake and
    again in its dead-letter fallback, which stopped the agent."""
    routed = intake.route_intake(None, topics.INTAKE[Channel.NGO], "t/2@9")
    assert routed.topic == topics.DEAD_LETTERS
    letter = routed.event
    assert isinstance(letter, DeadLetterRecorded)
    assert letter.payload.reason == "empty_message"
    assert letter.payload.source == "t/2@9"
    assert letter.payload.original_b64 == ""
    assert [e.code for e in letter.payload.errors] == ["empty_message"]


def test_a_platform_report_whose_id_is_not_derived_is_dead_lettered_naming_the_id() -> None:
    """Through the Kafka door a producer chose its own report id, so a resend of one
    (organisation, reference) with a new id was a second report; the HTTP door derives it."""
    event = json.loads(sample("platform"))
    event["payload"]["report_id"] = "00000000-0000-4000-8000-000000000001"
    raw = json.dumps(event).encode()
    routed = intake.route_intake(raw, topics.INTAKE[Channel.PLATFORM], "t/1@3")
    assert routed.topic == topics.DEAD_LETTERS
    letter = routed.event
    assert isinstance(letter, DeadLetterRecorded)
    assert letter.payload.reason == "report_id_not_derived"
    (error,) = letter.payload.errors
    report = event["payload"]["report"]
    expected = organisation_report_id("platform", report["organisation_id"], report["reference"])
    assert error.field == "payload.report_id" and str(expected) in error.message


def test_invalid_json_is_dead_lettered_with_its_bytes() -> None:
    routed = intake.route_intake(
        b'{"event_type": "ReportSubmitted"', topics.INTAKE[Channel.PUBLIC], "t/0@7"
    )
    assert routed.topic == topics.DEAD_LETTERS
    letter = routed.event
    assert isinstance(letter, DeadLetterRecorded)
    assert letter.payload.reason == "not_json"
    assert letter.payload.source == "t/0@7"
    assert (
        base64.b64decode(letter.payload.original_b64 or "") == b'{"event_type": "ReportSubmitted"'
    )


def test_missing_required_field_names_the_field() -> None:
    data = json.loads(sample("platform"))
    del data["payload"]["report"]["incident_type"]
    routed = intake.route_intake(json.dumps(data).encode(), topics.INTAKE[Channel.PLATFORM], "s")
    assert isinstance(routed.event, DeadLetterRecorded)
    fields = [e.field for e in routed.event.payload.errors]
    assert "payload.report.incident_type" in fields


def test_report_on_another_channels_topic_is_refused() -> None:
    routed = intake.route_intake(sample("public"), topics.INTAKE[Channel.PLATFORM], "s")
    assert isinstance(routed.event, DeadLetterRecorded)
    assert routed.event.payload.reason == "wrong_channel"


def test_media_bytes_are_refused_and_not_kept() -> None:
    data = json.loads(sample("public"))
    data["payload"]["report"]["description"] = "see data:image/png;base64," + "iVBORw0KGgo" * 20
    routed = intake.route_intake(json.dumps(data).encode(), topics.INTAKE[Channel.PUBLIC], "s")
    assert isinstance(routed.event, DeadLetterRecorded)
    assert routed.event.payload.errors[0].code == "media_bytes_refused"
    assert routed.event.payload.original_b64 is None
    assert len(routed.event.payload.original_sha256) == 64


def test_the_same_bad_message_gives_the_same_dead_letter_id() -> None:
    first = intake.route_intake(b"nope", topics.INTAKE[Channel.PUBLIC], "t/0@1")
    again = intake.route_intake(b"nope", topics.INTAKE[Channel.PUBLIC], "t/0@1")
    assert first.event.event_id == again.event.event_id


@pytest.mark.asyncio
async def test_agent_sends_triaged_and_dead_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = AsyncMock()
    monkeypatch.setattr(intake, "send_events", sent)
    async with intake.intake.test_context() as agent:
        await agent.put(sample("ngo"))
        await agent.put(b"garbage")
        await asyncio.sleep(0.2)  # let the batch window close
    sent_topics = [topic for call in sent.await_args_list for topic, _, _ in call.args[0]]
    assert sent_topics == [topics.REPORTS_TRIAGED, topics.DEAD_LETTERS]
    # Each with the message it was made from: a triaged event Kafka refuses and no dead
    # letter holds is kept as that message's dead letter (runtime.faustapp.send_events).
    origins = [origin for call in sent.await_args_list for origin in call.args[1]]
    assert [origin.raw for origin in origins] == [sample("ngo"), b"garbage"]
    assert len({origin.source for origin in origins}) == 2


@pytest.mark.asyncio
async def test_a_report_kept_in_place_of_its_refused_triaged_event_is_not_counted_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its triaged event never went (Kafka refused it, and the report is a dead letter)."""

    async def refused_and_kept(items: object, origins: list[Origin]) -> set[str]:
        return {origin.source for origin in origins}

    monkeypatch.setattr(intake, "send_events", refused_and_kept)
    before = _accepted_through_kafka()
    async with intake.intake.test_context() as agent:
        await agent.put(sample("ngo"))
        await asyncio.sleep(0.2)  # let the batch window close
    assert _accepted_through_kafka() == before
    # And counted when it went (the same path, nothing kept in place).
    monkeypatch.setattr(intake, "send_events", AsyncMock(return_value=set()))
    async with intake.intake.test_context() as agent:
        await agent.put(sample("ngo"))
        await asyncio.sleep(0.2)
    assert _accepted_through_kafka() == before + 1


def _accepted_through_kafka() -> float:
    """Over every channel: a test context's messages come from a topic of its own."""
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        for sample in metric.samples
        if sample.name == "ocsea_reports_accepted_total" and sample.labels["door"] == "kafka"
    )


@pytest.mark.parametrize("version", [None, "v1", [1], {"major": 1}])
def test_a_schema_version_that_is_no_integer_is_dead_lettered_not_a_crash(version: object) -> None:
    """int() of it raised TypeError or ValueError, which the linker, the agency queues and
    the lifecycle agent (catching only contract errors) did not survive."""
    event = json.loads(sample("public"))
    event["schema_version"] = version
    routed = intake.route_intake(json.dumps(event).encode(), topics.INTAKE[Channel.PUBLIC], "t/0@5")
    assert routed.topic == topics.DEAD_LETTERS
    letter = routed.event
    assert isinstance(letter, DeadLetterRecorded)
    assert [e.code for e in letter.payload.errors] == ["invalid_schema_version"]


def _large_platform_report() -> bytes:
    """Within the contract's limits: 100 accounts of many short values, ~218 kB, whose
    triaged event with the message as received came to ~903 kB."""
    event = json.loads(sample("platform"))
    event["payload"]["report"]["accounts"] = [
        {
            "platform": "c",
            "username": f"u{i}",
            "user_id": f"i{i}",
            "email": f"a{i}@b.co",
            "phone": f"01{i:08d}",
            "ips": [{"ip": f"1.{i}.{j}.1"} for j in range(50)],
            "device_ids": [f"d{i}x{j}" for j in range(20)],
            "payment_handles": [f"p{i}x{j}" for j in range(20)],
        }
        for i in range(100)
    ]
    return json.dumps(event).encode()


def test_a_report_too_large_to_carry_whole_is_triaged_without_the_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A triaged event over Kafka's record limit would be refused by the producer and stop
    the intake; the message as received is left out instead, and counted."""
    from prometheus_client import REGISTRY

    monkeypatch.setattr(intake, "TRIAGED_MAX_BYTES", 800_000)  # below this one's ~903 kB
    before = REGISTRY.get_sample_value("ocsea_submitted_not_kept_total") or 0.0
    raw = _large_platform_report()
    routed = intake.route_intake(raw, topics.INTAKE[Channel.PLATFORM], "t/0@5")
    assert isinstance(routed.event, ReportTriaged) and routed.event.payload.submitted is None
    assert len(encode_event(routed.event)) <= 800_000
    assert len(routed.event.payload.identifiers) > 1000  # still linked by what it names
    assert REGISTRY.get_sample_value("ocsea_submitted_not_kept_total") == before + 1
    normal = intake.route_intake(sample("platform"), topics.INTAKE[Channel.PLATFORM], "t/0@6")
    assert isinstance(normal.event, ReportTriaged)
    # As received (the contract strips surrounding whitespace: here a final newline).
    kept = normal.event.payload.submitted
    assert kept is not None and decode_event(kept.encode()) == decode_event(sample("platform"))


def test_the_largest_reports_an_intake_topic_takes_are_triaged_whole() -> None:
    """100 accounts of long device ids and payment handles (~930 kB, near the intake topics'
    1 MB): what is derived from it alone is ~2.5 MB. Under Kafka's default 1 MB record limit
    the report was accepted and then dead-lettered; the triaged topic takes 4 MiB."""
    event = json.loads(sample("platform"))
    event["payload"]["report"]["accounts"] = [
        {
            "platform": "chatapp",
            "username": f"user{i}",
            # Not all base64 characters: 2,000 such strings of 224 would be a file's pieces
            # to the media check across fields.
            "device_ids": [f"{i}.{j}:" + "d" * 220 for j in range(20)],
            "payment_handles": [f"{i}.{j}:" + "p" * 220 for j in range(20)],
        }
        for i in range(100)
    ]
    raw = json.dumps(event).encode()
    assert 900_000 < len(raw) < 1_000_000
    routed = intake.route_intake(raw, topics.INTAKE[Channel.PLATFORM], "t/0@7")
    assert isinstance(routed.event, ReportTriaged), routed.event
    kept = routed.event.payload.submitted  # kept whole, as validated
    assert kept is not None and decode_event(kept.encode()) == decode_event(raw)
    size = len(encode_event(routed.event))
    assert 1_000_000 < size <= intake.TRIAGED_MAX_BYTES < topics.LARGE_RECORD_MAX_BYTES


def test_a_report_whose_derived_facts_alone_are_too_large_is_dead_lettered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(intake, "TRIAGED_MAX_BYTES", 100_000)
    raw = _large_platform_report()
    routed = intake.route_intake(raw, topics.INTAKE[Channel.PLATFORM], "t/0@8")
    letter = routed.event
    assert routed.topic == topics.DEAD_LETTERS and isinstance(letter, DeadLetterRecorded)
    assert letter.payload.reason == "too_large_to_route"
    assert base64.b64decode(letter.payload.original_b64 or "") == raw


def test_media_written_with_json_escapes_is_not_kept_in_a_dead_letter() -> None:
    """PHP writes '/' as '\\/': the base64 of an image was no run in the bytes, and a message
    refused before its fields were checked (an unknown field, an unknown event type) kept it
    in its dead letter, on a topic that keeps everything."""
    image = base64.b64encode(bytes(range(256)) * 20).decode()
    data = json.loads(sample("public"))
    data["payload"]["report"]["attachment"] = image
    escaped = json.dumps(data).replace("/", "\\/").encode()
    assert b"\\/" in escaped and image.encode() not in escaped
    routed = intake.route_intake(escaped, topics.INTAKE[Channel.PUBLIC], "s/0@1")
    assert isinstance(routed.event, DeadLetterRecorded)
    assert routed.event.payload.original_b64 is None
    # Escapes alone withhold nothing: a report whose text says 'either\\/or' is kept.
    data["payload"]["report"]["attachment"] = "either/or"
    plain = json.dumps(data).replace("/", "\\/").encode()
    kept = intake.route_intake(plain, topics.INTAKE[Channel.PUBLIC], "s/0@2").event
    assert isinstance(kept, DeadLetterRecorded) and kept.payload.original_b64 is not None


def test_a_dead_letter_too_large_to_copy_its_original_keeps_its_hash_and_source() -> None:
    """A linker dead letter of a 3.5 MB triaged event came to 4.7 MB base64, over the topic's
    4 MiB limit: its send would retry for ever, holding its batch back."""
    from runtime.deadletter import dead_letter

    raw = b'{"x": "' + b"a word " * 500_000 + b'"}'
    letter = dead_letter(raw, "ocsea.reports.triaged.v1/0@7", "link_failed: X", [], "tests")
    assert letter.payload.original_b64 is None
    assert letter.payload.original_sha256 == hashlib.sha256(raw).hexdigest()
    assert [e.code for e in letter.payload.errors] == ["original_not_copied"]
    assert "ocsea.reports.triaged.v1/0@7" in letter.payload.errors[0].message
    assert len(encode_event(letter)) < topics.LARGE_RECORD_MAX_BYTES
    small = dead_letter(b"not json", "s", "not_json", [], "tests")
    assert small.payload.original_b64 is not None and small.payload.errors == []


def test_a_dead_letters_log_line_carries_its_own_correlation_id() -> None:
    """The intake bound a report's id for its own line only: a dead letter logged after it
    carried that report's id, pointing whoever reads the logs at the wrong report."""
    import structlog

    from tests.factories import platform_report

    event = platform_report()
    topic = topics.INTAKE[Channel.PLATFORM]
    good = intake.route_intake(encode_event(event), topic, "t/0@1")
    bad = intake.route_intake(b'{"not": "an event"}', topic, "t/0@2")
    assert bad.topic == topics.DEAD_LETTERS
    intake._count(topic, good)
    assert structlog.contextvars.get_contextvars()["correlation_id"] == str(event.correlation_id)
    intake._count(topic, bad)
    bound = structlog.contextvars.get_contextvars()["correlation_id"]
    assert bound == str(bad.event.correlation_id) != str(event.correlation_id)


def test_a_message_without_event_id_or_recorded_at_makes_the_same_event_each_time() -> None:
    """Both are optional in the contract and were filled in when decoded: a redelivered
    message was a ReportTriaged of another id and another time received (a helper's
    review). Its id comes from its bytes now, its time from its Kafka record."""
    from datetime import UTC, datetime

    from tests.factories import platform_report

    data = json.loads(encode_event(platform_report()))
    del data["event_id"], data["recorded_at"]
    raw = json.dumps(data).encode()
    topic = topics.INTAKE[Channel.PLATFORM]
    stamped = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    first, again = (intake.route_intake(raw, topic, "t/0@1", stamped) for _ in range(2))
    assert first.topic == topics.REPORTS_TRIAGED
    assert first.event.event_id == again.event.event_id
    assert first.event.payload.received_at == again.event.payload.received_at == stamped  # type: ignore[attr-defined]
    # Given, they are the message's own.
    given = platform_report()
    routed = intake.route_intake(encode_event(given), topic, "t/0@2", stamped)
    assert routed.event.payload.received_at == given.recorded_at  # type: ignore[attr-defined]
    assert routed.event.causation_id == given.event_id


def _with_unknown_keys(keys: list[str]) -> bytes:
    data = json.loads(sample("public"))
    data["payload"]["report"] |= {key: 0 for key in keys}
    return json.dumps(data).encode()


def test_a_file_cut_into_unknown_keys_is_withheld_from_its_dead_letter() -> None:
    """'{"<200 base64>": 0, "<the next 200>": 0, ...}' was refused as unknown fields and kept
    whole in its dead letter (no escapes, so the body was not read as JSON), and the errors
    named every key, in order: together the file again, on a topic that keeps everything."""
    image = base64.b64encode(random.Random(7).randbytes(24_000)).decode()
    for size in (200, 64, 44):
        pieces = [image[i : i + size] for i in range(0, 30_000, size)]
        raw = _with_unknown_keys(pieces)
        routed = intake.route_intake(raw, topics.INTAKE[Channel.PUBLIC], "s/0@4")
        letter = routed.event
        assert isinstance(letter, DeadLetterRecorded), size
        assert letter.payload.original_b64 is None, size
        assert len(letter.payload.errors) <= 51
        kept = "".join(e.field + e.message for e in letter.payload.errors)
        assert not any(piece in kept for piece in pieces), size


def test_unknown_keys_that_are_no_file_keep_their_letter_and_names() -> None:
    """The check across keys withholds files, not a sender's misspelt fields."""
    raw = _with_unknown_keys(["descripton", "child_in_dnager", "Platform2"])
    letter = intake.route_intake(raw, topics.INTAKE[Channel.PUBLIC], "s/0@5").event
    assert isinstance(letter, DeadLetterRecorded)
    assert letter.payload.original_b64 is not None
    assert {e.field for e in letter.payload.errors} == {
        "payload.report.descripton",
        "payload.report.child_in_dnager",
        "payload.report.Platform2",
    }


def test_a_refusal_lists_at_most_fifty_errors_and_counts_the_rest() -> None:
    """One error an unknown key: a 65 kB public report of short keys made a 738 kB dead
    letter, and a 2 MB one a letter past the topic's limit, which Kafka refused."""
    raw = _with_unknown_keys([f"k{n}" for n in range(5_000)])
    letter = intake.route_intake(raw, topics.INTAKE[Channel.PUBLIC], "s/0@6").event
    assert isinstance(letter, DeadLetterRecorded)
    errors = letter.payload.errors
    assert len(errors) == 51
    assert errors[-1].code == "too_many_errors"
    assert errors[-1].message.startswith("4950 more errors not listed")
    assert len(encode_event(letter)) < 2 * len(raw)


def test_a_media_refusal_past_the_limit_is_listed_still() -> None:
    """The dead letter withholds the bytes of a refusal that names media: cut from the list,
    the refusal would not name it."""
    from contracts.registry import MAX_FIELD_ERRORS, to_field_errors

    unknown = [{"type": "extra_forbidden", "loc": ("x", n), "msg": "no"} for n in range(60)]
    media = {"type": "value_error", "loc": ("d",), "msg": "Value error, media_bytes_refused: x"}
    errors = to_field_errors([*unknown, media, media])
    assert [e.code for e in errors[MAX_FIELD_ERRORS:]] == ["media_bytes_refused", "too_many_errors"]
    assert errors[-1].message.startswith("11 more errors")


def test_a_refused_message_keeps_its_records_time_for_a_replay() -> None:
    """A replay sends the original back with its record's time (cli.deadletters), which is
    the report's time received where the message gives none."""
    from datetime import UTC, datetime

    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    routed = intake.route_intake(b"{", topics.INTAKE[Channel.PUBLIC], "t/0@4", at)
    assert isinstance(routed.event, DeadLetterRecorded)
    assert routed.event.payload.received_at == at
    from_http = intake.route_intake(b"{", topics.INTAKE[Channel.PUBLIC], "t/0@4")
    assert isinstance(from_http.event, DeadLetterRecorded)
    assert from_http.event.payload.received_at is None
