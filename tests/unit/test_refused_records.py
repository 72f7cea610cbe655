"""A record Kafka refuses for what it is (larger than its topic takes) can never go: it is
kept as a dead letter and the others go, instead of all of them waiting for ever."""

import asyncio
import base64
from collections.abc import Sequence
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError
from prometheus_client import REGISTRY

from cli.deadletters.reading import Kept
from cli.deadletters.replay import KEYS_PARTITION, Selection, describe_plan, plan_replay
from contracts import topics
from contracts.deadletters import REFUSED_SOURCE_PREFIX, DeadLetterRecorded
from contracts.enums import Channel
from contracts.envelope import Event
from contracts.registry import decode_event, encode_event
from runtime import faustapp
from runtime.deadletter import ORIGINAL_MAX_B64, Origin, dead_letter, letters_for_refused
from runtime.produce import Record, Refusal, send_or_refuse, send_up_to_refusal

LIMIT = 1_000  # what the fake topic takes


class Broker:
    """Stands in for a send: refuses a whole call (as Kafka refuses the whole batch) when one
    of its records is over `limit` (the dead-letter topic's over `letters_limit`); can be
    down for the first `down` calls."""

    def __init__(self, down: int = 0, limit: int = LIMIT, letters_limit: int = 100 * LIMIT):
        self.calls: list[list[Record]] = []
        self.taken: list[Record] = []
        self.down, self.limit, self.letters_limit = down, limit, letters_limit

    async def __call__(self, records: Sequence[Record]) -> None:
        self.calls.append(list(records))
        if len(self.calls) <= self.down:
            raise KafkaConnectionError("broker down")
        for topic, _, value in records:
            if len(value) > (self.letters_limit if topic == topics.DEAD_LETTERS else self.limit):
                raise MessageSizeTooLargeError()
        self.taken += records


def _record(n: int, size: int = 10, topic: str = "ocsea.cases.events.v1") -> Record:
    return (topic, f"k{n}".encode(), f"report {n} ".encode() * (size // 9 + 1))


def test_all_go_in_one_call_when_none_is_refused() -> None:
    broker = Broker()
    records = [_record(n) for n in range(5)]
    assert asyncio.run(send_or_refuse(broker, records)) == []
    assert broker.calls == [records] and broker.taken == records


def test_a_refused_record_is_named_and_the_others_go_in_order() -> None:
    broker = Broker()
    records = [_record(0), _record(1, size=2_000), _record(2), _record(3)]
    refused = asyncio.run(send_or_refuse(broker, records))
    assert refused == [Refusal(records[1], "MessageSizeTooLargeError")]
    assert broker.taken == [records[0], records[2], records[3]]


def test_an_outage_is_raised_not_taken_for_a_refusal() -> None:
    with pytest.raises(KafkaConnectionError):
        asyncio.run(send_or_refuse(Broker(down=1), [_record(0)]))


def test_up_to_a_refusal_the_records_go_one_at_a_time_and_stop_there() -> None:
    """The outbox relay's page ends at the refused event: the rest go in the next page."""
    broker = Broker()
    records = [_record(0), _record(1), _record(2, size=2_000), _record(3)]
    went, refusal = asyncio.run(send_up_to_refusal(broker, records, within_s=60))
    assert (went, refusal) == (2, Refusal(records[2], "MessageSizeTooLargeError"))
    assert broker.taken == records[:2]
    assert asyncio.run(send_up_to_refusal(Broker(), records[:2], within_s=60)) == (2, None)


def test_one_at_a_time_stops_when_its_time_is_up() -> None:
    """A page of hundreds one at a time from a slow broker outlived the relay's transaction."""
    broker = Broker()
    records = [_record(n) for n in range(3)] + [_record(9, size=2_000)]
    assert asyncio.run(send_up_to_refusal(broker, records, within_s=-1)) == (0, None)
    assert broker.taken == []


def test_one_at_a_time_stops_at_a_send_cut_by_the_callers_deadline() -> None:
    class SlowAfterTwo(Broker):
        async def __call__(self, records: Sequence[Record]) -> None:
            if len(self.calls) >= 3:  # the batch, then two single sends
                self.calls.append(list(records))
                raise TimeoutError
            await super().__call__(records)

    broker = SlowAfterTwo()
    records = [_record(0), _record(1), _record(2), _record(3, size=2_000)]
    assert asyncio.run(send_up_to_refusal(broker, records, within_s=60)) == (2, None)
    assert broker.taken == records[:2]


def test_a_refused_record_becomes_a_dead_letter_holding_its_bytes() -> None:
    record = _record(7, size=2_000)
    letters, unheld = letters_for_refused([Refusal(record, "MessageSizeTooLargeError")], "t")
    assert unheld == []
    [(topic, key, value)] = letters
    letter = decode_event(value)
    assert isinstance(letter, DeadLetterRecorded) and topic == topics.DEAD_LETTERS
    assert letter.payload.source == f"{REFUSED_SOURCE_PREFIX}ocsea.cases.events.v1 key=k7"
    assert key == letter.payload.source.encode()
    assert letter.payload.reason == "refused_by_kafka: MessageSizeTooLargeError"
    assert base64.b64decode(letter.payload.original_b64 or "") == record[2]


def test_a_record_no_dead_letter_can_hold_is_kept_to_be_tried_again() -> None:
    too_large = ("ocsea.triaged.v1", b"k", b"x" * (ORIGINAL_MAX_B64 * 3 // 4 + 10))
    refused_letter = (topics.DEAD_LETTERS, b"k", b"a dead letter")
    refusals = [Refusal(too_large, "MessageSizeTooLargeError"), Refusal(refused_letter, "E")]
    letters, unheld = letters_for_refused(refusals, "t")
    # Neither vanishes: a letter over the dead-letter topic's limit, or a letter of a letter,
    # would be refused in turn.
    assert letters == [] and unheld == [too_large, refused_letter]


def _too_large_to_hold(n: int = 1) -> Record:
    """A record no dead letter can hold a copy of (a triaged report of ~3 MB, say)."""
    return (topics.REPORTS_TRIAGED, f"r{n}".encode(), b"x" * (ORIGINAL_MAX_B64 * 3 // 4 + 10))


def test_a_record_no_letter_holds_is_kept_as_the_dead_letter_of_the_message_it_came_from() -> None:
    """It was tried for ever, and the worker's input waited behind it."""
    record, message = _too_large_to_hold(), b'{"a report": "as received"}'
    refusal = Refusal(record, "MessageSizeTooLargeError")
    origins = {record: Origin(message, "ocsea.intake.public.v1/0@41")}
    letters, unheld = letters_for_refused([refusal], "t", origins)
    assert unheld == []
    [(topic, key, value)] = letters
    letter = decode_event(value)
    assert isinstance(letter, DeadLetterRecorded) and topic == topics.DEAD_LETTERS
    assert (
        letter.payload.source == "ocsea.intake.public.v1/0@41"
        and key == b"ocsea.intake.public.v1/0@41"
    )
    assert letter.payload.reason == "output_refused_by_kafka: MessageSizeTooLargeError"
    assert base64.b64decode(letter.payload.original_b64 or "") == message
    [error] = letter.payload.errors
    # The topic as the field: the dead-letter tool lists codes and fields.
    assert (error.code, error.field) == ("output_refused", topics.REPORTS_TRIAGED)
    assert f"{topics.REPORTS_TRIAGED} (key r1, {len(record[2]):,} bytes)" in error.message
    # A replay sends the message back where it came from, and the worker makes it again.
    plan = plan_replay([Kept(offset=0, letter=letter)], Selection())
    [resend] = plan.resend
    assert (resend.to.topic, resend.to.partition, resend.value) == (
        "ocsea.intake.public.v1",
        0,
        message,
    )
    described = describe_plan(plan)
    assert "note: 1 output_refused_by_kafka: messages of which a worker made a record" in described
    assert "unless the code that refused it changed" not in described


def test_a_message_whose_records_were_refused_twice_is_kept_once_naming_both() -> None:
    """A letter's id comes from its source and bytes: a second letter of the same message
    would be taken for a repeat of the first by every consumer."""
    first, second = _too_large_to_hold(1), _too_large_to_hold(2)
    origin = Origin(b"the message", "ocsea.reports.triaged.v1/3@7")
    refusals = [
        Refusal(first, "MessageSizeTooLargeError"),
        Refusal(second, "RecordListTooLargeError"),
    ]
    letters, unheld = letters_for_refused(refusals, "t", {first: origin, second: origin})
    assert unheld == []
    [(_, _, value)] = letters
    letter = decode_event(value)
    assert isinstance(letter, DeadLetterRecorded)
    assert [("key r1" in e.message, "key r2" in e.message) for e in letter.payload.errors] == [
        (True, False),
        (False, True),
    ]


def test_a_refused_dead_letter_is_not_kept_as_its_messages() -> None:
    """The message's dead letter would hold the same bytes, and be refused in turn."""
    refused_letter = (topics.DEAD_LETTERS, b"k", b"a dead letter")
    origins = {refused_letter: Origin(b"the message", "ocsea.intake.ngo.v1/0@1")}
    letters, unheld = letters_for_refused([Refusal(refused_letter, "E")], "t", origins)
    assert letters == [] and unheld == [refused_letter]


def _event(size: int = 0) -> Event:
    """An event of over `size` bytes: plain words, which no media check withholds."""
    return dead_letter(b"{}", "src/0@0", "words of a reason " * (size // 18), [], "tests")


class SendRecords:
    """Stands in for faustapp.send_records, with a Broker behind it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, broker: Broker):
        self.broker = broker
        self.waits: list[float] = []
        monkeypatch.setattr(faustapp, "send_records", self.send)
        monkeypatch.setattr(faustapp.asyncio, "sleep", self.sleep)

    async def send(self, app: object, records: Sequence[Record]) -> None:
        await self.broker(records)

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        # A send that would go on for ever fails the test instead of hanging it.
        assert len(self.waits) < 100, "still trying after 100 waits"


def test_the_workers_send_keeps_a_refused_event_as_a_dead_letter_and_sends_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = Broker(limit=2_000)
    send = SendRecords(monkeypatch, broker)
    small, large = _event(), _event(size=3_000)
    items: Any = [("ocsea.cases.events.v1", "a", small), ("ocsea.cases.events.v1", "b", large)]
    before = REGISTRY.get_sample_value("ocsea_dead_letters_total", {"source": "kafka_refused"})
    asyncio.run(faustapp.send_events(object(), items))  # type: ignore[arg-type]
    [(_, _, first), (letters_topic, _, kept)] = broker.taken
    assert decode_event(first).event_id == small.event_id
    letter = decode_event(kept)
    assert letters_topic == topics.DEAD_LETTERS and isinstance(letter, DeadLetterRecorded)
    assert base64.b64decode(letter.payload.original_b64 or "") == encode_event(large)
    assert send.waits == []  # nothing waits: the letter went at once
    after = REGISTRY.get_sample_value("ocsea_dead_letters_total", {"source": "kafka_refused"})
    assert after == (before or 0) + 1


def test_the_workers_send_keeps_the_message_of_a_record_no_letter_holds_and_waits_for_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = Broker(limit=3 * ORIGINAL_MAX_B64 // 4)
    send = SendRecords(monkeypatch, broker)
    small, huge = _event(), _event(size=ORIGINAL_MAX_B64)  # its letter could not copy it
    items: Any = [(topics.REPORTS_TRIAGED, "a", small), (topics.REPORTS_TRIAGED, "b", huge)]
    origins = [
        Origin(b"report a", "ocsea.intake.public.v1/0@1"),
        Origin(b"report b", "ocsea.intake.public.v1/0@2"),
    ]
    before = REGISTRY.get_sample_value("ocsea_dead_letters_total", {"source": "kafka_refused"})
    kept_in_place = asyncio.run(faustapp.send_events(object(), items, origins))  # type: ignore[arg-type]
    assert kept_in_place == {"ocsea.intake.public.v1/0@2"}
    [(_, _, first), (letters_topic, _, kept)] = broker.taken
    assert decode_event(first).event_id == small.event_id
    letter = decode_event(kept)
    assert letters_topic == topics.DEAD_LETTERS and isinstance(letter, DeadLetterRecorded)
    assert letter.payload.source == "ocsea.intake.public.v1/0@2"
    assert base64.b64decode(letter.payload.original_b64 or "") == b"report b"
    assert send.waits == []
    after = REGISTRY.get_sample_value("ocsea_dead_letters_total", {"source": "kafka_refused"})
    assert after == (before or 0) + 1


def test_the_workers_send_tries_again_a_record_no_letter_holds_whose_message_it_was_not_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Origins that do not match the records are a caller's mistake: logged, and the send
    keeps what it cannot hold rather than guess (the topic's limit raised here by hand).
    Paired anyway, the record would be kept as the dead letter of another's message."""

    class RaisedByHand(Broker):
        async def __call__(self, records: Sequence[Record]) -> None:
            if len(self.calls) >= 4:
                self.limit = 10 * ORIGINAL_MAX_B64
            await super().__call__(records)

    broker = RaisedByHand(limit=3 * ORIGINAL_MAX_B64 // 4)
    send = SendRecords(monkeypatch, broker)
    huge, small = _event(size=ORIGINAL_MAX_B64), _event()
    items: Any = [(topics.REPORTS_TRIAGED, "b", huge), (topics.REPORTS_TRIAGED, "a", small)]
    one_short = [Origin(b"report a", "ocsea.intake.public.v1/0@1")]
    kept = asyncio.run(faustapp.send_events(object(), items, one_short))  # type: ignore[arg-type]
    assert kept == set()
    taken = [(topic, decode_event(value).event_id) for topic, _, value in broker.taken]
    assert (topics.REPORTS_TRIAGED, huge.event_id) in taken
    assert all(topic != topics.DEAD_LETTERS for topic, _ in taken)
    assert len(send.waits) >= 1


def test_a_dead_letter_is_counted_once_the_broker_has_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counted when built, a letter the broker then refused three times counted three."""

    class LettersRefusedThrice(Broker):
        async def __call__(self, records: Sequence[Record]) -> None:
            self.letters_limit = 10_000 if len(self.calls) >= 5 else 10
            await super().__call__(records)

    broker = LettersRefusedThrice(limit=2_000)
    SendRecords(monkeypatch, broker)
    items: Any = [("ocsea.cases.events.v1", "b", _event(size=3_000))]
    label = {"source": "kafka_refused"}
    before = REGISTRY.get_sample_value("ocsea_dead_letters_total", label) or 0
    asyncio.run(faustapp.send_events(object(), items))  # type: ignore[arg-type]
    assert [t for t, _, _ in broker.taken] == [topics.DEAD_LETTERS]
    assert REGISTRY.get_sample_value("ocsea_dead_letters_total", label) == before + 1


def test_a_refused_dead_letter_is_tried_again_until_its_topic_takes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class RaisedByHand(Broker):
        """The dead-letter topic's limit is raised after three refusals."""

        async def __call__(self, records: Sequence[Record]) -> None:
            if len(self.calls) >= 3:
                self.letters_limit = 10_000
            await super().__call__(records)

    broker = RaisedByHand(letters_limit=1_000)
    send = SendRecords(monkeypatch, broker)
    letter: Any = ("unused", "k", _event(size=3_000))
    items = [(topics.DEAD_LETTERS, "k", letter[2])]
    asyncio.run(faustapp.send_events(object(), items))  # type: ignore[arg-type]
    assert [t for t, _, _ in broker.taken] == [topics.DEAD_LETTERS]
    assert decode_event(broker.taken[0][2]).event_id == letter[2].event_id  # itself, not wrapped
    assert len(send.waits) >= 1


def test_a_replay_sends_a_refused_record_on_to_its_topic_with_its_key() -> None:
    """Once the topic's limit is raised, the record goes where it was going, to the
    partition its key picks, as its sender's would have."""
    record = _record(3, size=2_000)
    [(_, _, value)] = letters_for_refused([Refusal(record, "MessageSizeTooLargeError")], "t")[0]
    letter = decode_event(value)
    assert isinstance(letter, DeadLetterRecorded)
    plan = plan_replay([Kept(offset=0, letter=letter)], Selection())
    [resend] = plan.resend
    assert (resend.to.topic, resend.to.partition, resend.key) == (
        "ocsea.cases.events.v1",
        KEYS_PARTITION,
        b"k3",
    )
    assert resend.value == record[2] and not plan.skipped
    assert "unless the topic's limit (max.message.bytes) was raised" in describe_plan(plan)


def _letter_of(record: Record) -> DeadLetterRecorded:
    [(_, _, value)] = letters_for_refused([Refusal(record, "MessageSizeTooLargeError")], "t")[0]
    letter = decode_event(value)
    assert isinstance(letter, DeadLetterRecorded)
    return letter


@pytest.mark.parametrize(
    "topic",
    [
        "someone.elses.topic",
        topics.INTAKE[Channel.PLATFORM],  # the worker would route a report no door checked
        topics.DEAD_LETTERS,
    ],
)
def test_a_refused_record_is_sent_on_only_to_a_topic_the_workers_write(topic: str) -> None:
    # Made by hand: the system never makes one for the dead-letter topic or an intake topic.
    source = f"{REFUSED_SOURCE_PREFIX}{topic} key=k"
    letter = dead_letter(b"a record " * 300, source, "refused_by_kafka: E", [], "t")
    plan = plan_replay([Kept(offset=0, letter=letter)], Selection())
    assert plan.resend == []
    assert plan.skipped == {f"was going to {topic}, where a replay does not send on": 1}


def test_an_empty_or_unnamed_refused_record_is_left() -> None:
    empty = _letter_of(("ocsea.tasks.pdrm.v1", b"t1", b""))
    source = f"{REFUSED_SOURCE_PREFIX} key=k"  # no topic
    unnamed = dead_letter(b"a record", source, "refused_by_kafka: E", [], "t")
    named = _letter_of(("ocsea.cases.events.v1", b"c1", b"a record " * 300))
    letters = [empty, unnamed, named]
    plan = plan_replay([Kept(offset=n, letter=x) for n, x in enumerate(letters)], Selection())
    assert [r.key for r in plan.resend] == [b"c1"]
    assert plan.skipped == {
        "empty (a tombstone)": 1,
        "refused on its way out, its source naming no topic and key": 1,
    }


def test_source_picks_refused_records_by_the_topic_they_were_going_to() -> None:
    """An operator who raised one topic's limit sends on only the records of that topic."""
    cases = _letter_of(("ocsea.cases.events.v1", b"c1", b"a record " * 300))
    tasks = _letter_of(("ocsea.tasks.pdrm.v1", b"t1", b"a record " * 300))
    kept = [Kept(offset=0, letter=cases), Kept(offset=1, letter=tasks)]
    plan = plan_replay(kept, Selection(source="ocsea.tasks.pdrm.v1"))
    assert [(r.to.topic, r.key) for r in plan.resend] == [("ocsea.tasks.pdrm.v1", b"t1")]
