"""The linker after the graph commit: one report whose events cannot be built is kept as a
dead letter, and the rest of its batch still gets its events."""

from typing import Any
from uuid import uuid4

import pytest

from contracts import topics
from contracts.cases import ReportTriaged
from contracts.deadletters import DeadLetterRecorded
from contracts.registry import encode_event
from graph.outcome import CaseStatusChange, LinkOutcome
from runtime.deadletter import Origin
from streams import linker
from tests.factories import account, platform_report, triaged, unique

CASE = "11111111-2222-4333-8444-555555555555"


async def test_a_report_whose_events_fail_is_dead_lettered_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good, bad = (triaged(platform_report(accounts=[account(unique("e"))])) for _ in range(2))

    async def linked(driver: Any, batch: list[ReportTriaged], *_: Any) -> list[LinkOutcome]:
        return [LinkOutcome(str(t.payload.report_id), CASE, "opened", "P2", []) for t in batch]

    build = linker.events_for

    def events_for(outcome: LinkOutcome, cause: ReportTriaged, *rest: Any) -> Any:
        if cause is bad:
            raise ValueError("cannot build")
        return build(outcome, cause, *rest)

    monkeypatch.setattr(linker, "link", linked)
    monkeypatch.setattr(linker, "shared_async_driver", lambda: None)
    monkeypatch.setattr(linker, "events_for", events_for)

    made = await linker._link_or_isolate([(good, b"good", "t/0@1"), (bad, b"bad", "t/0@2")])
    out = [event for event, _ in made]
    # Each event names the message it was made from (kept in its place were Kafka to refuse
    # it and no dead letter hold it: runtime.faustapp.send_events).
    assert [origin for _, origin in made] == [Origin(b"good", "t/0@1"), Origin(b"bad", "t/0@2")]

    assert [(topic, type(e).__name__) for topic, _, e in out] == [
        (topics.CASE_EVENTS, "CaseOpened"),
        (topics.DEAD_LETTERS, "DeadLetterRecorded"),
    ]
    letter = out[1][2]
    assert isinstance(letter, DeadLetterRecorded)
    assert letter.payload.reason == "events_failed: ValueError"
    assert letter.payload.source == "t/0@2"


async def test_another_report_under_a_used_id_is_dead_lettered_saying_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reused = triaged(platform_report(accounts=[account(unique("r"))]))

    async def linked(driver: Any, batch: list[ReportTriaged], *_: Any) -> list[LinkOutcome]:
        return [
            LinkOutcome(str(t.payload.report_id), CASE, "linked", "P2", [], reused_id=True)
            for t in batch
        ]

    monkeypatch.setattr(linker, "link", linked)
    monkeypatch.setattr(linker, "shared_async_driver", lambda: None)

    out = await linker._link_or_isolate([(reused, b"second report", "t/0@3")])

    (((topic, _, letter), origin),) = out
    assert origin == Origin(b"second report", "t/0@3")
    assert topic == topics.DEAD_LETTERS and isinstance(letter, DeadLetterRecorded)
    assert letter.payload.reason == "report_id_reused"
    # The field to change, as the door names it: a platform's reference (a review).
    fields = [(e.code, e.field) for e in letter.payload.errors]
    assert fields == [("report_id_reused", "payload.report.reference")]
    assert letter.payload.source == "t/0@3"


async def test_a_report_whose_lifecycle_events_fail_is_linked_and_dead_lettered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Staged in the decision's transaction, an error building them would undo the whole
    batch's decision: the report is linked, and kept as a dead letter to be sent back."""
    good, bad = (triaged(platform_report(accounts=[account(unique("l"))])) for _ in range(2))
    status = CaseStatusChange(CASE, "closed", "open")
    staged: list[Any] = []
    causes: list[Any] = []

    async def two_steps(driver: Any, db: str, items: Any, now: Any, *rest: Any) -> Any:
        announce = rest[-1]
        outcomes = [
            LinkOutcome(str(p.report_id), CASE, "linked", "P2", [], case_status=status)
            for p, _ in items
        ]
        for outcome in outcomes:
            staged.extend(announce(outcome, now) or [])  # None: could not be built
        return outcomes

    build = linker.lifecycle_events_for

    def lifecycle_events_for(outcome: LinkOutcome, cause: ReportTriaged, *rest: Any) -> Any:
        causes.append(cause)
        if cause.payload.report_id == bad.payload.report_id:
            raise ValueError("cannot build")
        return build(outcome, cause, *rest)

    monkeypatch.setattr(linker, "link_in_two_steps", two_steps)
    monkeypatch.setattr(linker, "shared_async_driver", lambda: None)
    monkeypatch.setattr(linker, "lifecycle_events_for", lifecycle_events_for)
    # The bad report delivered twice: the decision takes the first delivery as the cause.
    again = bad.model_copy(update={"event_id": uuid4()})

    made = await linker._link_or_isolate(
        [(good, b"good", "t/0@1"), (bad, b"bad", "t/0@2"), (again, b"bad", "t/0@3")]
    )
    out = [event for event, _ in made]
    assert [origin.source for _, origin in made] == ["t/0@1", "t/0@2", "t/0@3"]

    assert [type(e).__name__ for _, _, e in staged] == ["CaseStatusChanged"]
    assert staged[0][2].causation_id == good.event_id
    assert all(c is not again for c in causes)
    assert [(topic, type(e).__name__) for topic, _, e in out] == [
        (topics.CASE_EVENTS, "ReportLinkedToCase"),
        (topics.DEAD_LETTERS, "DeadLetterRecorded"),
        (topics.DEAD_LETTERS, "DeadLetterRecorded"),
    ]
    letter = out[1][2]
    assert isinstance(letter, DeadLetterRecorded)
    assert letter.payload.reason == "events_failed: ValueError"
    assert letter.payload.source == "t/0@2"


async def test_the_linkers_batch_sends_each_event_with_the_message_it_was_made_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Kafka refusing one of them and no dead letter holding it, that message is kept in its
    place (runtime.faustapp.send_events); a message not even a triaged event is its own."""
    good = triaged(platform_report(accounts=[account(unique("h"))]))

    async def linked(driver: Any, batch: list[ReportTriaged], *_: Any) -> list[LinkOutcome]:
        return [LinkOutcome(str(t.payload.report_id), CASE, "opened", "P2", []) for t in batch]

    sent: list[tuple[Any, Any]] = []

    async def send_events(items: Any, origins: Any) -> set[str]:
        sent.extend(zip(items, origins, strict=True))
        return set()

    monkeypatch.setattr(linker, "link", linked)
    monkeypatch.setattr(linker, "shared_async_driver", lambda: None)
    monkeypatch.setattr(linker, "send_events", send_events)
    raw = encode_event(good)

    await linker.handle([(b"not an event", "t/0@1"), (raw, "t/0@2")])

    assert [(type(e).__name__, origin) for (_, _, e), origin in sent] == [
        ("DeadLetterRecorded", Origin(b"not an event", "t/0@1")),
        ("CaseOpened", Origin(raw, "t/0@2")),
    ]
