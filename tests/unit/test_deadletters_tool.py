"""The dead-letter tool's choices (cli.deadletters), on dead letters built as the workers
build them (runtime.deadletter)."""

import base64
from datetime import UTC, datetime, timedelta

from cli.deadletters import (
    KafkaSource,
    Kept,
    Selection,
    describe_plan,
    distinct,
    kafka_source,
    listing,
    matches_reason,
    plan_replay,
    summary,
)
from contracts import topics
from contracts.deadletters import FieldError
from contracts.enums import Channel
from contracts.media import MEDIA_REFUSED
from runtime.deadletter import ORIGINAL_MAX_B64, dead_letter

TRIAGED = topics.REPORTS_TRIAGED
PUBLIC = topics.INTAKE[Channel.PUBLIC]


def kept(
    raw: bytes | None,
    source: str,
    reason: str = "link_failed: ServiceUnavailable",
    errors: list[FieldError] | None = None,
    offset: int = 0,
) -> Kept:
    return Kept(offset, dead_letter(raw, source, reason, errors or [], "tests"))


def test_a_source_names_topic_partition_and_offset_or_is_a_route() -> None:
    assert kafka_source(f"{TRIAGED}/2@41336") == KafkaSource(TRIAGED, 2, 41336)
    assert kafka_source("http:POST /v1/reports/platform") is None
    assert kafka_source(f"{TRIAGED}/x@1") is None


def test_a_reason_picks_itself_and_its_detailed_forms_only() -> None:
    assert matches_reason("link_failed", "link_failed")
    assert matches_reason("link_failed: ServiceUnavailable", "link_failed")
    assert not matches_reason("link_failed_twice", "link_failed")
    assert not matches_reason("events_failed: KeyError", "link_failed")


def test_a_replay_sends_each_original_back_to_its_partition() -> None:
    records = [
        kept(b'{"report": 1}', f"{TRIAGED}/2@10"),
        kept(b'{"report": 2}', f"{PUBLIC}/0@7", reason="events_failed: KeyError"),
    ]
    plan = plan_replay(records, Selection(reason="link_failed"))
    assert [(r.to, r.value) for r in plan.resend] == [
        (KafkaSource(TRIAGED, 2, 10), b'{"report": 1}')
    ]
    assert not plan.skipped


def test_a_replay_leaves_door_media_empty_and_unconsumed_sources_and_says_why() -> None:
    media = FieldError(code=MEDIA_REFUSED, field="payload.text", message="media")
    records = [
        kept(b"{}", "http:POST /v1/reports"),
        kept(b"x" * 50, f"{PUBLIC}/1@3", errors=[media]),
        kept(None, f"{TRIAGED}/0@9"),
        kept(b"{}", f"{topics.CASE_EVENTS}/0@1"),
    ]
    plan = plan_replay(records, Selection(reason="link_failed"))
    assert plan.resend == []
    assert sorted(plan.skipped) == sorted(
        [
            "came through a door (its sender had the errors)",
            "withheld as possible media (never kept)",
            "empty (a tombstone)",
            f"from {topics.CASE_EVENTS}, which no worker consumes",
        ]
    )


def test_an_original_too_large_to_copy_is_read_back_from_its_source() -> None:
    large = b"words and more " * (ORIGINAL_MAX_B64 // 15)
    letter = kept(large, f"{PUBLIC}/1@44")
    assert letter.letter is not None and letter.letter.payload.original_b64 is None
    plan = plan_replay([letter], Selection(reason="link_failed"))
    assert [(r.to, r.value) for r in plan.resend] == [(KafkaSource(PUBLIC, 1, 44), None)]
    assert "1 read back from their source" in describe_plan(plan, "link_failed")


def test_a_dead_letter_delivered_twice_is_counted_and_sent_once() -> None:
    twice = [kept(b"{}", f"{TRIAGED}/0@5", offset=0), kept(b"{}", f"{TRIAGED}/0@5", offset=1)]
    assert len(distinct(twice)) == 1
    assert len(plan_replay(twice, Selection(reason="link_failed")).resend) == 1
    assert summary(twice).startswith("1 dead letter(s)")


def test_selection_by_source_time_and_id() -> None:
    first = kept(b"{}", f"{TRIAGED}/0@1")
    second = kept(b"[]", f"{PUBLIC}/0@2", reason="not_json")
    assert first.letter is not None and second.letter is not None
    assert Selection(source=PUBLIC).picks(second) and not Selection(source=PUBLIC).picks(first)
    later = first.letter.occurred_at + timedelta(hours=1)
    assert not Selection(since=later).picks(first)
    only = Selection(ids={str(second.letter.event_id)})
    assert [k.letter for k in [first, second] if only.picks(k)] == [second.letter]


def test_an_unreadable_record_is_listed_but_never_replayed() -> None:
    odd = Kept(3, None, "not_json")
    assert plan_replay([odd], Selection(reason="not_json")).resend == []
    assert Selection().picks(odd) and not Selection(reason="not_json").picks(odd)
    assert "(unreadable record)" in summary([odd])


def test_a_refusal_of_the_message_itself_is_sent_only_with_a_warning() -> None:
    plan = plan_replay([kept(b"{", f"{PUBLIC}/0@1", reason="not_json")], Selection("not_json"))
    assert len(plan.resend) == 1
    assert "refused again" in describe_plan(plan, "not_json")
    passing = plan_replay([kept(b"{}", f"{TRIAGED}/0@1")], Selection("link_failed"))
    assert "refused again" not in describe_plan(passing, "link_failed")


def test_the_listing_is_newest_first_shows_sizes_and_never_the_original() -> None:
    secret = b'{"reporter": "+60123456789", "n": 1}'
    older = kept(secret, f"{PUBLIC}/0@1", reason="not_json")
    newer = kept(b"{}", f"{PUBLIC}/0@2", reason="invalid_report", offset=1)
    assert newer.letter is not None and older.letter is not None
    shown = listing([older, newer], Selection(), limit=1)
    assert shown.startswith("the newest 1 of 2 dead letter(s)")
    assert str(newer.letter.event_id) in shown and str(older.letter.event_id) not in shown
    whole = listing([older, newer], Selection(), limit=10)
    assert f"{len(secret)} bytes" in whole
    assert "+60123456789" not in whole and base64.b64encode(secret).decode() not in whole


def test_the_summary_counts_by_reason_and_by_topic() -> None:
    now = datetime.now(UTC)
    records = [
        kept(b"1", f"{PUBLIC}/0@1", reason="not_json"),
        kept(b"2", f"{PUBLIC}/1@2", reason="not_json"),
        kept(b"3", f"{TRIAGED}/0@3", reason="link_failed: TransientError"),
    ]
    text = summary(records)
    assert text.startswith("3 dead letter(s)")
    reason_lines = [line.split() for line in text.splitlines() if "not_json" in line]
    assert reason_lines and reason_lines[0][:2] == ["2", "not_json"]
    assert any(line.split()[:2] == ["1", "link_failed"] for line in text.splitlines())
    assert any(line.split()[:2] == ["2", PUBLIC] for line in text.splitlines())
    assert now.date().isoformat() in text
