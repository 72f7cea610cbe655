"""The dead-letter tool's choices (cli.deadletters), on dead letters built as the workers
build them (runtime.deadletter)."""

import base64
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from typing import Any
from uuid import uuid4

import pytest
from kafka.errors import KafkaTimeoutError

from cli.deadletters import command
from cli.deadletters import replay as replay_module
from cli.deadletters.listing import listing, summary
from cli.deadletters.reading import (
    KafkaSource,
    Kept,
    Selection,
    distinct,
    kafka_source,
    kept_from,
    matches_reason,
    refused_again,
    replays,
)
from cli.deadletters.replay import (
    BOUNCED,
    MAY_BE_MEDIA,
    REPLAYED,
    describe_plan,
    plan_replay,
    replay_records,
    send_back,
)
from contracts import topics
from contracts.deadletters import DeadLetterReplayed, FieldError
from contracts.enums import Channel
from contracts.media import MEDIA_REFUSED
from contracts.registry import encode_event
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
    assert [(r.to, r.value, r.reason) for r in plan.resend] == [
        (KafkaSource(TRIAGED, 2, 10), b'{"report": 1}', "link_failed: ServiceUnavailable")
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
    assert "1 read back from their source" in describe_plan(plan)
    assert plan.resend[0].sha256 == sha256(large).hexdigest()


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
    assert "note: 1 not_json: a refusal of the message itself" in describe_plan(plan)
    # Picked by id, not by reason: the note follows the letters' own reasons.
    passing = kept(b"{}", f"{TRIAGED}/0@1")
    assert passing.letter is not None
    by_id = plan_replay([passing], Selection(ids={str(passing.letter.event_id)}))
    assert len(by_id.resend) == 1 and "note" not in describe_plan(by_id)


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
    first = records[0].letter
    assert first is not None and first.occurred_at.date().isoformat() in text


def test_a_copy_an_earlier_version_kept_that_may_be_media_is_never_sent() -> None:
    """Dead letters are kept for ever: one copied before today's media check (a C array of
    bytes, say) holds what the check now withholds."""
    media_like = ", ".join(f"0x{b:02x}" for b in os.urandom(4000)).encode()
    plan = plan_replay([_as_kept_before(media_like)], Selection(reason="link_failed"))
    assert plan.resend == [] and list(plan.skipped) == [MAY_BE_MEDIA]


def _as_kept_before(raw: bytes, errors: list[FieldError] | None = None) -> Kept:
    """A dead letter of `raw` as an earlier version kept it: its bytes copied."""
    letter = kept(b'{"ok": 1}', f"{PUBLIC}/0@1").letter
    assert letter is not None
    payload = letter.payload.model_copy(
        update={"original_b64": base64.b64encode(raw).decode(), "errors": errors or []}
    )
    return Kept(0, letter.model_copy(update={"payload": payload}))


def _file_in_keys() -> bytes:
    """A file's base64 cut into the keys of a JSON object: each key alone passes the check
    of text, the JSON decoded does not."""
    b64 = base64.b64encode(os.urandom(3000)).decode()
    return (
        '{"report": {'
        + ", ".join(f'"{b64[i : i + 200]}": 0' for i in range(0, len(b64), 200))
        + "}}"
    ).encode()


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        pytest.param(_file_in_keys(), None, id="a file cut into JSON keys"),
        pytest.param(
            (
                '{"d": "' + base64.b64encode(os.urandom(3000)).decode().replace("/", "\\/") + '"}'
            ).encode(),
            None,
            id="base64 behind escaped slashes",
        ),
        pytest.param(
            b'{"x": 1}',
            [FieldError(code=MEDIA_REFUSED, field="report.description", message="media")],
            id="refused as media",
        ),
    ],
)
def test_a_copy_todays_dead_letter_would_withhold_is_never_sent(
    raw: bytes, errors: list[FieldError] | None
) -> None:
    """The replay asked only the check of text; today's dead letter also withholds what
    its JSON decodes to and any letter refused as media (a helper's bug hunt: each of these
    three, copied by an earlier version, was planned to be sent back)."""
    assert (
        dead_letter(raw, f"{PUBLIC}/0@1", "x", errors or [], "tests").payload.original_b64 is None
    )
    plan = plan_replay([_as_kept_before(raw, errors)], Selection(reason="link_failed"))
    assert plan.resend == [] and list(plan.skipped) == [MAY_BE_MEDIA]


def test_odd_records_are_read_as_unreadable_or_in_utc_never_a_crash() -> None:
    good = dead_letter(b"{}", f"{PUBLIC}/0@1", "not_json", [], "tests")
    bad_copy = good.model_copy(
        update={"payload": good.payload.model_copy(update={"original_b64": "abc"})}
    )
    naive = good.model_copy(update={"occurred_at": datetime(2026, 11, 30, 8, 0)})
    records = [
        kept_from(0, None),
        kept_from(1, b"[1]"),
        kept_from(2, encode_event(bad_copy)),
        kept_from(3, encode_event(naive)),
        kept_from(4, encode_event(good)),
    ]
    assert [k.letter is None for k in records] == [True, True, True, False, False]
    assert records[2].unreadable == "original_not_base64"
    assert records[3].letter is not None and records[3].letter.occurred_at.tzinfo is not None
    text = summary(records)  # compares every time: a naive one raised TypeError
    assert "3 record(s) there are no dead letter" in text
    # The odd records are one source (the dead-letter topic), not one row each.
    assert any(line.split()[:2] == ["3", topics.DEAD_LETTERS] for line in text.splitlines())
    listed = listing(records, Selection(since=datetime(2026, 1, 1, tzinfo=UTC)), 10)
    assert listed.startswith("1 dead letter(s)")  # the naive one and the good one are one


def test_the_last_time_is_that_of_the_latest_copy() -> None:
    """A door refusing the same bytes again makes the same dead letter, days later."""
    once = dead_letter(b"{", "http:POST /v1/reports", "not_json", [], "tests")
    later = once.model_copy(update={"occurred_at": once.occurred_at + timedelta(days=3)})
    text = summary([Kept(0, once), Kept(1, later)])
    assert text.startswith("1 dead letter(s)")
    assert later.occurred_at.date().isoformat() in text


def test_a_key_the_sender_added_is_not_repeated_in_the_listing() -> None:
    error = FieldError(
        code="extra_forbidden", field="payload.report.Siti +60123456789", message="extra"
    )
    shown = listing([kept(b"{}", f"{PUBLIC}/0@1", "invalid_report", [error])], Selection(), 5)
    assert "+60123456789" not in shown and "Siti" not in shown
    assert "extra_forbidden payload.report.(a key not in the contract)" in shown


def replayed(letter: Kept, sent_to: KafkaSource, offset: int, hours_later: float = 0) -> Kept:
    """The record the tool writes once `letter`'s original went to `sent_to`, read back."""
    assert letter.letter is not None
    when = letter.letter.occurred_at + timedelta(hours=hours_later)
    (record,) = replay_records({str(letter.letter.event_id): sent_to}, "--reason x", when)
    return kept_from(offset, encode_event(record))


def test_a_replay_record_is_read_as_one_and_is_no_dead_letter() -> None:
    letter = kept(b'{"report": 1}', f"{TRIAGED}/2@10")
    record = replayed(letter, KafkaSource(TRIAGED, 2, 99), offset=1)
    assert record.replay is not None and record.letter is None and not record.unreadable
    assert letter.letter is not None
    assert record.replay.payload.dead_letter_id == letter.letter.event_id
    assert record.replay.payload.sent_to == f"{TRIAGED}/2@99"
    assert record.replay.correlation_id == letter.letter.event_id
    assert distinct([letter, record]) == [letter]
    assert not Selection().picks(record)  # not listed as an unreadable record either
    assert summary([letter, record]).startswith("1 dead letter(s)")
    assert "no dead letter" not in summary([letter, record])


def test_a_dead_letter_replayed_before_is_left_unless_again() -> None:
    letter = kept(b'{"report": 1}', f"{TRIAGED}/2@10")
    fresh = kept(b'{"report": 2}', f"{TRIAGED}/2@11", offset=1)
    records = [letter, fresh, replayed(letter, KafkaSource(TRIAGED, 2, 99), offset=2)]
    plan = plan_replay(records, Selection(reason="link_failed"))
    assert [r.value for r in plan.resend] == [b'{"report": 2}']
    assert plan.skipped == {REPLAYED: 1}
    assert f"1 left: {REPLAYED}" in describe_plan(plan)
    again = plan_replay(records, Selection(reason="link_failed"), again=True)
    assert [r.value for r in again.resend] == [b'{"report": 1}', b'{"report": 2}']


def test_the_listing_and_summary_show_replays_and_copies_refused_again() -> None:
    went_through = kept(b'{"report": 1}', f"{TRIAGED}/2@10")
    bounced = kept(b"{", f"{PUBLIC}/0@3", reason="not_json", offset=1)
    # The copy of `bounced` went to offset 50 and was refused there again: a new dead
    # letter whose source is that offset.
    again = kept(b"{", f"{PUBLIC}/0@50", reason="not_json", offset=4)
    records = [
        went_through,
        bounced,
        replayed(went_through, KafkaSource(TRIAGED, 2, 99), offset=2, hours_later=1),
        # Replayed as soon as it was made: the copy's letter, made now, follows the replay.
        replayed(bounced, KafkaSource(PUBLIC, 0, 50), offset=3, hours_later=0),
        again,
    ]
    text = summary(records)
    assert text.startswith("3 dead letter(s) on ") and "(and 0 repeats" in text
    assert "2 of them sent back by a replay, the last copy of 1 of those refused again" in text
    shown = listing(records, Selection(), 10)
    rows = {line.split()[1]: line for line in shown.splitlines()[3:] if line.strip()}
    assert went_through.letter is not None and bounced.letter is not None
    assert again.letter is not None
    first = went_through.letter.occurred_at + timedelta(hours=1)
    assert (
        rows[str(went_through.letter.event_id)]
        .rstrip()
        .endswith(first.isoformat(timespec="seconds"))
    )
    assert rows[str(bounced.letter.event_id)].rstrip().endswith(", refused again")
    assert "refused again" not in rows[str(again.letter.event_id)]


def test_a_dead_letter_replayed_twice_says_how_often_and_when_last() -> None:
    letter = kept(b'{"report": 1}', f"{TRIAGED}/2@10")
    to = KafkaSource(TRIAGED, 2, 99)
    records = [letter, replayed(letter, to, 1, hours_later=1), replayed(letter, to, 2, 3)]
    assert letter.letter is not None
    last = (letter.letter.occurred_at + timedelta(hours=3)).isoformat(timespec="seconds")
    assert f"{last} (2 times)" in listing(records, Selection(), 10)


def test_the_record_of_a_replay_names_its_selection_without_repeating_many_ids() -> None:
    since = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert Selection("link_failed", PUBLIC, since).described() == (
        f"--reason link_failed --source {PUBLIC} --since 2026-11-30T08:00:00+00:00"
    )
    assert Selection(ids={"a", "b", "c"}).described() == "--id (3 ids)"
    assert Selection(ids={"a"}).described() == "--id a"
    assert len(Selection(reason="x" * 5000).described()) < 300


def test_replays_sent_but_not_recorded_are_reported_with_exit_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The copies went: the operator is told that a second replay would send them again."""
    letter = kept(b'{"report": 1}', f"{TRIAGED}/2@10")
    assert letter.letter is not None
    sent = {str(letter.letter.event_id): KafkaSource(TRIAGED, 2, 99)}

    def unreachable(bootstrap: str, replays: object) -> None:
        raise ConnectionError("broker gone")

    monkeypatch.setattr(command, "read_all", lambda bootstrap, progress: [letter])
    monkeypatch.setattr(command, "send_back", lambda bootstrap, resend: (sent, {}))
    monkeypatch.setattr(command, "record_replays", unreachable)
    assert command.main(["replay", "--reason", "link_failed", "--yes"]) == 1
    out, err = capsys.readouterr()
    assert "sent 1" in out and "recorded" not in out
    assert "only 0 of 1 replay(s) could be recorded" in err and "ConnectionError" in err
    assert "a second replay of this selection sends the others again" in err


def test_a_letter_whose_copy_was_refused_again_is_left_even_with_again() -> None:
    """Its copy is a dead letter of its own with the same bytes: sending both sent the
    message twice, and twice as many on each replay after."""
    first = kept(b"{", f"{PUBLIC}/0@3", reason="not_json")
    copy = kept(b"{", f"{PUBLIC}/0@50", reason="not_json", offset=2)
    records = [first, replayed(first, KafkaSource(PUBLIC, 0, 50), offset=1), copy]
    for again in (False, True):
        plan = plan_replay(records, Selection(reason="not_json"), again=again)
        assert [r.to for r in plan.resend] == [KafkaSource(PUBLIC, 0, 50)]
        assert plan.skipped == {BOUNCED: 1}


def test_only_the_last_copy_says_whether_a_letter_was_refused_again() -> None:
    letter = kept(b'{"report": 1}', f"{TRIAGED}/2@10")
    bounced = kept(b'{"report": 1}', f"{TRIAGED}/2@50", offset=2)
    records = [
        letter,
        replayed(letter, KafkaSource(TRIAGED, 2, 50), offset=1, hours_later=1),
        bounced,
        # Sent again later (the graph was back), and that copy went through.
        replayed(letter, KafkaSource(TRIAGED, 2, 51), offset=3, hours_later=2),
    ]
    assert letter.letter is not None
    row = next(
        line
        for line in listing(records, Selection(), 10).splitlines()
        if str(letter.letter.event_id) in line
    )
    assert row.rstrip().endswith("(2 times)")
    assert "refused again" not in row
    assert plan_replay(records, Selection(reason="link_failed"), again=True).skipped == {}


class _Producer:
    """A producer whose broker refuses the values in `refused`, at send or at the ack."""

    def __init__(self, refused_at_send: bytes, refused_at_ack: bytes) -> None:
        self.at_send, self.at_ack, self.offset = refused_at_send, refused_at_ack, 100

    def send(self, topic: str, value: bytes, partition: int) -> object:
        if value == self.at_send:
            raise ValueError("refused at send")
        self.offset += 1
        at, refused = (topic, partition, self.offset), value == self.at_ack

        class Future:
            def get(self, timeout: float) -> object:
                if refused:
                    raise TimeoutError("no ack")
                return KafkaSource(*at)  # what send_back reads of the broker's answer

        return Future()

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_copy_refused_part_way_is_named_and_the_others_are_still_returned_as_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A refusal raised out of send_back lost where the copies before it went, so they
    were never recorded and a second replay sent them again."""
    letters = [kept(f'{{"report": {n}}}'.encode(), f"{TRIAGED}/1@{n}", offset=n) for n in range(4)]
    plan = plan_replay(letters, Selection(reason="link_failed"))
    producer = _Producer(refused_at_send=b'{"report": 1}', refused_at_ack=b'{"report": 2}')
    monkeypatch.setattr(replay_module, "_producer", lambda bootstrap: producer)
    monkeypatch.setattr(
        replay_module, "_partitions_now", lambda bootstrap, names: dict.fromkeys(names, {0, 1})
    )
    sent, unsent = send_back("unused:9092", plan.resend)
    ids = [r.event_id for r in plan.resend]
    assert sent == {ids[0]: KafkaSource(TRIAGED, 1, 101), ids[3]: KafkaSource(TRIAGED, 1, 103)}
    assert unsent == {ids[1]: "ValueError while sending", ids[2]: "TimeoutError while sending"}


def _stub_kafka(
    monkeypatch: pytest.MonkeyPatch, records: list[Kept], send: Callable[..., Any]
) -> list[DeadLetterReplayed]:
    """The command on `records`, sending with `send`; returns the replays it records."""
    recorded: list[DeadLetterReplayed] = []

    def record(bootstrap: str, replays: list[DeadLetterReplayed]) -> int:
        recorded.extend(replays)
        return len(replays)

    monkeypatch.setattr(command, "read_all", lambda bootstrap, progress: records)
    monkeypatch.setattr(command, "send_back", send)
    monkeypatch.setattr(command, "record_replays", record)
    return recorded


def test_the_command_passes_again_and_records_in_utc(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = kept(b'{"report": 1}', f"{TRIAGED}/2@10")
    assert letter.letter is not None
    letter_id = str(letter.letter.event_id)
    records = [letter, replayed(letter, KafkaSource(TRIAGED, 2, 99), offset=1)]
    resent: list[list[str]] = []

    def send(bootstrap: str, resend: list[Any]) -> tuple[dict[str, Any], dict]:
        resent.append([r.event_id for r in resend])
        return {r.event_id: KafkaSource(TRIAGED, 2, 120) for r in resend}, {}

    recorded = _stub_kafka(monkeypatch, records, send)
    assert command.main(["replay", "--id", letter_id, "--yes"]) == 0
    assert resent == [] and "1 left: replayed before" in capsys.readouterr().out
    assert command.main(["replay", "--id", letter_id, "--yes", "--again"]) == 0
    assert resent == [[letter_id]]
    (record_,) = recorded
    assert record_.occurred_at.utcoffset() == timedelta(0)
    assert record_.payload.selection == f"--id {letter_id}"
    assert "recorded 1 replay(s)" in capsys.readouterr().out


def test_an_id_that_is_no_event_id_is_refused_before_anything_is_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A replay records its selection for ever: free text typed as an id is not taken."""
    monkeypatch.setattr(command, "read_all", lambda bootstrap, progress: pytest.fail("read"))
    with pytest.raises(SystemExit) as exit_:
        command.main(["replay", "--id", "Siti +60123456789", "--yes"])
    assert exit_.value.code == 2
    assert "an event id is a UUID" in capsys.readouterr().err


def test_a_copy_landing_where_its_original_came_from_is_not_refused_again() -> None:
    """A topic made again restarts its offsets: the copy of the letter from '0@0' may go to
    '0@0' too, and the letter itself is no refusal of its copy (seen in CI on a fresh
    Kafka). Nor is a letter older than the one replayed."""
    letter = kept(b'{"report": 1}', f"{TRIAGED}/0@0", offset=1)
    older = kept(b'{"report": 9}', f"{TRIAGED}/0@7", offset=0)
    assert letter.letter is not None and older.letter is not None
    older = Kept(
        0,
        older.letter.model_copy(
            update={"occurred_at": letter.letter.occurred_at - timedelta(days=3)}
        ),
    )
    for sent_to in (KafkaSource(TRIAGED, 0, 0), KafkaSource(TRIAGED, 0, 7)):
        records = [older, letter, replayed(letter, sent_to, offset=2)]
        plan = plan_replay(records, Selection(ids={str(letter.letter.event_id)}))
        assert plan.skipped == {REPLAYED: 1}
        assert "refused again" not in listing(records, Selection(), 10)


def _many_letters(n: int) -> list[Kept]:
    return [kept(f'{{"n": {i}}}'.encode(), f"{TRIAGED}/0@{i}", offset=i) for i in range(n)]


def test_a_large_replay_is_sent_and_recorded_a_chunk_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It recorded nothing before its end: interrupted, a second replay sent the whole
    backlog again (a helper's bug hunt: 60,000 sent, 0 recorded)."""
    records = _many_letters(2 * command.REPLAY_CHUNK + 5)
    chunks: list[tuple[int, int]] = []  # (sent in the chunk, recorded before it was sent)

    def send(bootstrap: str, resend: list[Any]) -> tuple[dict[str, Any], dict]:
        chunks.append((len(resend), len(recorded)))
        return {r.event_id: KafkaSource(TRIAGED, 0, 1) for r in resend}, {}

    recorded = _stub_kafka(monkeypatch, records, send)
    assert command.main(["replay", "--reason", "link_failed", "--yes"]) == 0
    chunk = command.REPLAY_CHUNK
    assert chunks == [(chunk, 0), (chunk, chunk), (5, 2 * chunk)]
    assert len(recorded) == 2 * chunk + 5


def test_an_interrupted_replay_keeps_the_records_of_the_chunks_it_sent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    records = _many_letters(command.REPLAY_CHUNK + 5)

    def send(bootstrap: str, resend: list[Any]) -> tuple[dict[str, Any], dict]:
        if recorded:  # the operator presses Ctrl-C during the second chunk
            raise KeyboardInterrupt
        return {r.event_id: KafkaSource(TRIAGED, 0, 1) for r in resend}, {}

    recorded = _stub_kafka(monkeypatch, records, send)
    assert command.main(["replay", "--reason", "link_failed", "--yes"]) == 130
    assert len(recorded) == command.REPLAY_CHUNK
    assert "interrupted after 1,000 sent and recorded" in capsys.readouterr().err


@pytest.mark.parametrize("limit", ["0", "-2", "many"])
def test_a_listing_limit_is_a_count_of_one_or_more(
    limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """'--limit 0' listed every letter and '--limit -2' all but two."""
    with pytest.raises(SystemExit) as exited:
        command.main(["list", "--limit", limit])
    assert exited.value.code == 2 and "1 or more" in capsys.readouterr().err


def test_an_id_no_dead_letter_has_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped id printed '0 to send back' and exited 0: nothing to do, seemingly."""
    records = _many_letters(1)
    monkeypatch.setattr(command, "read_all", lambda bootstrap, progress: records)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert command.main(["replay", "--id", unknown, "--yes"]) == 2
    assert f"no dead letter with the id(s): {unknown}" in capsys.readouterr().err


def test_a_letter_older_than_the_replay_at_its_offset_is_no_copy_refused_again() -> None:
    """A topic made again restarts its offsets: a letter of another message, made a day
    after the original at the offset a replay a week later sent to, marked that replay
    'refused again' (it was compared with the original's time), and the letter could not
    be replayed even with --again (a helper's bug hunt)."""
    original = kept(b'{"report": 1}', f"{PUBLIC}/0@3", reason="not_json")
    assert original.letter is not None
    day_after = original.letter.model_copy(
        update={
            "event_id": uuid4(),
            "occurred_at": original.letter.occurred_at + timedelta(days=1),
            "payload": original.letter.payload.model_copy(update={"source": f"{PUBLIC}/0@7"}),
        }
    )
    week_later = replayed(original, KafkaSource(PUBLIC, 0, 7), offset=2, hours_later=7 * 24)
    records = [original, Kept(1, day_after), week_later]
    assert refused_again(records, replays(records)) == set()
    plan = plan_replay(records, Selection(reason="not_json"), again=True)
    assert [r.to for r in plan.resend if r.event_id == str(original.letter.event_id)] == [
        KafkaSource(PUBLIC, 0, 3)
    ]


def test_kafka_out_of_reach_is_one_line_not_a_stack_trace(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unreachable(bootstrap: str, progress: object) -> list[Kept]:
        raise KafkaTimeoutError("Unable to bootstrap from 127.0.0.1:1")

    monkeypatch.setattr(command, "read_all", unreachable)
    assert command.main(["summary"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cannot read the dead letters: Kafka at ") and "Traceback" not in err


def test_records_of_a_newer_version_are_named_and_stop_a_replay_from_sending(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A newer version's record of a replay, unread, had its letter planned again without
    --again, and a newer version's dead letter was left out without a word (a helper's bug
    hunt)."""
    letter = kept(b'{"report": 1}', f"{TRIAGED}/2@10")
    record = replayed(letter, KafkaSource(TRIAGED, 2, 99), offset=1)
    assert record.replay is not None
    newer = json.loads(encode_event(record.replay))
    newer["schema_version"] = 99
    records = [letter, kept_from(1, json.dumps(newer).encode())]
    plan = plan_replay(records, Selection(reason="link_failed"))
    assert plan.newer == 1
    assert "1 record(s) written by a newer version, unread" in describe_plan(plan)

    def send(bootstrap: str, resend: list[Any]) -> tuple[dict, dict]:
        raise AssertionError("nothing is sent while a newer version's records are there")

    _stub_kafka(monkeypatch, records, send)
    assert command.main(["replay", "--reason", "link_failed", "--yes"]) == 2
    assert "records of a newer version are there" in capsys.readouterr().err
