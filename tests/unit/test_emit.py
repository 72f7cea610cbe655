"""Events implied by a linking outcome: topics, keys and replay-stable ids."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from uuid import uuid4

import pytest

from contracts import topics
from contracts.cases import CaseOpened, CasesMerged, ReportLinkedToCase
from contracts.enums import Agency, Channel
from contracts.lifecycle import CaseStatusChanged, TaskSuperseded
from contracts.registry import ContractError, decode_event, encode_event
from contracts.tasks import TaskAssigned, TaskUpdated
from graph.outcome import CaseStatusChange, LinkOutcome, SupersededTask, TaskChange
from streams.emit import events_for, lifecycle_events_for
from streams.intake import route_intake

RID = "4a5beae2-b60d-5a8e-bb9e-28e0ccfc689c"
CID = "11111111-2222-4333-8444-555555555555"
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def triaged():
    raw = (Path(__file__).parent.parent / "samples/v1/ReportSubmitted.platform.json").read_bytes()
    return route_intake(raw, topics.INTAKE[Channel.PLATFORM], "s").event


def change(kind: Literal["assigned", "updated"], agency: str = "PDRM") -> TaskChange:
    return TaskChange(
        kind,
        "99999999-2222-4333-8444-555555555555",
        CID,
        agency,
        "criminal_referral",
        "case",
        "P2",
        NOW.isoformat(),
        ["r"],
    )


def test_opened_case_with_a_task() -> None:
    outcome = LinkOutcome(RID, CID, "opened", "P2", ["csam"], tasks=[change("assigned")])
    out = events_for(outcome, triaged(), "test", NOW)
    assert [(t, type(e)) for t, _, e in out] == [
        (topics.CASE_EVENTS, CaseOpened),
        (topics.AGENCY_TASKS[Agency.PDRM], TaskAssigned),
    ]
    assert out[1][1] == change("assigned").task_id


def test_merge_emits_link_then_merge_and_task_updates() -> None:
    outcome = LinkOutcome(
        RID,
        CID,
        "merged",
        "P1",
        ["csam"],
        merged_case_ids=["22222222-2222-4333-8444-555555555555"],
        shared_keys=["phone:+60123456789"],
        tasks=[change("updated", "MCMC")],
    )
    out = events_for(outcome, triaged(), "test", NOW)
    assert [type(e) for _, _, e in out] == [ReportLinkedToCase, CasesMerged, TaskUpdated]
    assert out[2][0] == topics.AGENCY_TASKS[Agency.MCMC]


def test_event_ids_are_stable_across_replays() -> None:
    outcome = LinkOutcome(RID, CID, "opened", "P2", ["csam"], tasks=[change("assigned")])
    first = [e.event_id for _, _, e in events_for(outcome, triaged(), "test", NOW)]
    again = [e.event_id for _, _, e in events_for(outcome, triaged(), "test", datetime.now(UTC))]
    assert first == again
    assert len(set(first)) == len(first)
    # And across versions (a dead letter replayed after a deploy): written out, so a change
    # of the ids' formula fails here rather than sending every replayed event anew.
    assert [str(e) for e in first] == [
        "24df11dd-bd63-55e3-9c49-5180071a91cc",  # CaseOpened
        "708677a2-0b64-5fa0-a05f-e4aaf62b5572",  # TaskAssigned
    ]


def test_merge_event_ids_are_stable_across_replays() -> None:
    # A replay re-sends what the Report node stored: the outcome read back from its JSON.
    kept = "44444444-2222-4333-8444-555555555555"
    closed = [
        SupersededTask(f"{n}3333333-2222-4333-8444-555555555555", CID, agency, kept)
        for n, agency in ((3, "KPWKM"), (5, "MCMC"))
    ]
    outcome = LinkOutcome(
        RID,
        CID,
        "merged",
        "P2",
        ["csam"],
        merged_case_ids=["22222222-2222-4333-8444-555555555555"],
        shared_keys=["phone:+60123456789"],
        tasks=[change("updated")],
        superseded=closed,
    )

    def both(outcome: LinkOutcome, now: datetime) -> list:
        cause = triaged()
        sent = events_for(outcome, cause, "test", now)
        return sent + lifecycle_events_for(outcome, cause, "test", now)

    first = both(outcome, NOW)
    stored = LinkOutcome.from_json(outcome.to_json())
    again = both(stored, datetime.now(UTC))
    assert [type(e) for _, _, e in first] == [
        ReportLinkedToCase,
        CasesMerged,
        TaskUpdated,
        TaskSuperseded,
        TaskSuperseded,
    ]
    assert [(t, k, e.event_id) for t, k, e in again] == [(t, k, e.event_id) for t, k, e in first]
    ids = [e.event_id for _, _, e in first]
    assert len(set(ids)) == len(ids)  # one id per superseded task, not one per merge


def test_events_carry_the_reports_correlation_id() -> None:
    cause = triaged()
    outcome = LinkOutcome(RID, CID, "opened", "P2", ["csam"])
    ((_, _, event),) = events_for(outcome, cause, "test", NOW)
    assert event.correlation_id == cause.correlation_id
    assert event.causation_id == cause.event_id


def merge_outcome(losers: list[str], keys: list[str], closed: SupersededTask) -> LinkOutcome:
    return LinkOutcome(RID, CID, "merged", "P2", ["csam"], losers, keys, superseded=[closed])


def test_a_merge_tells_each_superseded_tasks_agency_on_the_lifecycle_topic() -> None:
    old_task, kept_task = (
        "33333333-2222-4333-8444-555555555555",
        "44444444-2222-4333-8444-555555555555",
    )
    loser = "22222222-2222-4333-8444-555555555555"
    outcome = merge_outcome(
        [loser], ["phone:+60123456789"], SupersededTask(old_task, CID, "KPWKM", kept_task)
    )
    # Staged in the outbox with the decision, not sent after it.
    assert not any(
        isinstance(e, TaskSuperseded) for _, _, e in events_for(outcome, triaged(), "test", NOW)
    )
    out = lifecycle_events_for(outcome, triaged(), "test", NOW)
    topic, key, event = out[-1]
    assert (topic, key) == (topics.TASK_EVENTS, old_task)
    assert isinstance(event, TaskSuperseded)
    assert str(event.payload.superseded_by) == kept_task
    assert event.payload.agency == Agency.KPWKM and event.payload.status == "superseded"
    assert event.payload.reason == f"1 case(s) merged into case {CID}"
    # What consumers of the lifecycle topic decode is what was sent.
    assert decode_event(encode_event(event), expected=(TaskSuperseded,)) == event


def test_a_merge_of_many_cases_still_makes_valid_events() -> None:
    # One report can name a hundred accounts, each with a case of its own.
    losers = [str(uuid4()) for _ in range(120)]
    outcome = merge_outcome(
        losers,
        [f"account:x:u:{n}" for n in range(120)],
        SupersededTask(str(uuid4()), CID, "PDRM", str(uuid4())),
    )
    cause = triaged()
    out = events_for(outcome, cause, "test", NOW) + lifecycle_events_for(outcome, cause, "t", NOW)
    assert [type(e).__name__ for _, _, e in out] == [
        "ReportLinkedToCase",
        "CasesMerged",
        "TaskSuperseded",
    ]
    assert len(out[1][2].payload.merged_case_ids) == 120  # type: ignore[attr-defined]


def test_a_case_status_the_decision_changed_is_told_on_the_lifecycle_topic() -> None:
    status = CaseStatusChange(CID, "closed", "in_progress")
    outcome = LinkOutcome(
        RID, CID, "linked", "P2", ["csam"], tasks=[change("assigned")], case_status=status
    )
    sent = events_for(outcome, triaged(), "test", NOW)
    assert not any(isinstance(e, CaseStatusChanged) for _, _, e in sent)
    out = lifecycle_events_for(outcome, triaged(), "test", NOW)
    topic, key, event = out[-1]
    assert (topic, key, type(event)) == (topics.TASK_EVENTS, CID, CaseStatusChanged)
    assert isinstance(event, CaseStatusChanged)
    assert (str(event.payload.case_id), event.payload.previous, event.payload.current) == (
        CID,
        "closed",
        "in_progress",
    )
    # Replayed from the stored outcome: the same event id, so consumers drop the repeat.
    replay = lifecycle_events_for(LinkOutcome.from_json(outcome.to_json()), triaged(), "t", NOW)
    assert replay[-1][2].event_id == event.event_id
    every = sent + out
    assert len({e.event_id for _, _, e in every}) == len(every)


def test_a_report_sharing_hundreds_of_identifiers_makes_events_kafka_takes() -> None:
    """600 long URLs shared with a case made a ReportLinkedToCase of 1.1 MB, over Kafka's
    1 MB record limit: its send retried for ever and held its whole batch back."""
    shared = [f"url:https://host.example/{'%E4%B8%AD' * 200}/{n}" for n in range(600)]
    outcome = LinkOutcome(
        RID, CID, "linked", "P2", ["csam"], merged_case_ids=[str(uuid4())], shared_keys=shared
    )
    out = events_for(outcome, triaged(), "test", NOW)
    linked = next(e for _, _, e in out if isinstance(e, ReportLinkedToCase))
    merged = next(e for _, _, e in out if isinstance(e, CasesMerged))
    assert linked.payload.shared_identifiers == shared[:50]
    assert merged.payload.reason.endswith(" and 550 more")
    assert max(len(encode_event(e)) for _, _, e in out) < 200_000


def test_events_sent_again_from_a_stored_outcome_keep_the_time_of_the_decision() -> None:
    """A replay days later: the facts happened at the decision; recorded_at says when sent."""
    decided = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    status = CaseStatusChange(CID, "closed", "open")
    first = LinkOutcome(
        RID,
        CID,
        "opened",
        "P2",
        ["csam"],
        tasks=[change("assigned")],
        case_status=status,
        decided_at=decided.isoformat(),
    )
    stored = LinkOutcome.from_stored(first.to_stored())
    assert stored.replayed and stored.decided_at == decided.isoformat()
    events = events_for(stored, triaged(), "test", NOW) + lifecycle_events_for(
        stored, triaged(), "test", NOW
    )
    assert len(events) == 3  # the case, its task, its change of status
    assert {e.occurred_at for _, _, e in events} == {decided}
    assert all(e.recorded_at > decided for _, _, e in events)


def test_an_outcome_stored_before_decisions_were_timed_takes_the_time_it_is_sent() -> None:
    old = (
        LinkOutcome(RID, CID, "opened", "P2", ["csam"])
        .to_json()
        .replace(', "decided_at": null', "")
    )
    assert "decided_at" not in old
    stored = LinkOutcome.from_json(old)
    [(_, _, event)] = events_for(stored, triaged(), "test", NOW)
    assert event.occurred_at == NOW


def test_a_topic_of_several_event_types_is_read_in_one_json_pass(monkeypatch) -> None:
    # The agency queues read assignments and updates; pydantic's JSON parser takes either
    # by its event_type, without json.loads (the slower path, for errors and old versions).
    both = (TaskAssigned, TaskUpdated)
    out = events_for(
        LinkOutcome(RID, CID, "opened", "P2", ["csam"], tasks=[change("assigned")]),
        triaged(),
        "test",
        NOW,
    )
    out += events_for(
        LinkOutcome(RID, CID, "linked", "P2", ["csam"], tasks=[change("updated")]),
        triaged(),
        "test",
        NOW,
    )
    tasks = [e for _, _, e in out if isinstance(e, both)]
    assert [type(e) for e in tasks] == [TaskAssigned, TaskUpdated]

    def no_slow_path(raw: bytes) -> None:
        raise AssertionError("json.loads was called")

    monkeypatch.setattr("contracts.registry.json.loads", no_slow_path)
    assert [decode_event(encode_event(e), expected=both) for e in tasks] == tasks
    # The wrong type for the topic still takes the path that names the reason.
    monkeypatch.undo()
    with pytest.raises(ContractError) as refused:
        decode_event(encode_event(tasks[0]), expected=(TaskUpdated, TaskSuperseded))
    assert refused.value.reason == "unknown_event_type"


def test_each_case_a_merge_closed_is_told_on_the_lifecycle_topic() -> None:
    """A merged case's end was told on the cases topic only (CasesMerged): a reader of the
    lifecycle topic, where every other change of a case's status is, kept it open."""
    losers = [str(uuid4()), str(uuid4())]
    outcome = LinkOutcome(
        RID,
        CID,
        "merged",
        "P2",
        ["csam"],
        merged_case_ids=losers,
        merged_statuses=[
            CaseStatusChange(losers[0], "open", "merged"),
            CaseStatusChange(losers[1], "in_progress", "merged"),
        ],
        case_status=CaseStatusChange(CID, "open", "in_progress"),
    )
    out = lifecycle_events_for(outcome, triaged(), "test", NOW)
    told = [
        (key, str(e.payload.case_id), e.payload.previous, e.payload.current)
        for topic, key, e in out
        if isinstance(e, CaseStatusChanged) and topic == topics.TASK_EVENTS
    ]
    assert told == [
        (losers[0], losers[0], "open", "merged"),
        (losers[1], losers[1], "in_progress", "merged"),
        (CID, CID, "open", "in_progress"),
    ]
    # Kept with the outcome: a replay tells the same, under the same event ids.
    replay = lifecycle_events_for(LinkOutcome.from_json(outcome.to_json()), triaged(), "t", NOW)
    assert [e.event_id for _, _, e in replay] == [e.event_id for _, _, e in out]
    # Outcomes stored before 2026-12-02 have none.
    stored = json.loads(outcome.to_json())
    del stored["merged_statuses"]
    assert LinkOutcome.from_json(json.dumps(stored)).merged_statuses == []
