"""The stored link outcome: what a replay reads back to re-send the same events."""

import json
from copy import deepcopy
from dataclasses import replace

from graph.outcome import LinkOutcome, SupersededTask, TaskChange

TASK = TaskChange(
    change="assigned",
    task_id="t-1",
    case_id="c-1",
    agency="MCMC",
    task_type="takedown_notice",
    target="facebook",
    priority="P2",
    due_at="2026-11-28T10:00:00+00:00",
    reasons=["content reported online on facebook", "due within 24 h for P2"],
)
OUTCOME = LinkOutcome(
    report_id="r-1",
    case_id="c-1",
    kind="merged",
    priority="P2",
    categories=["csam"],
    merged_case_ids=["c-2"],
    shared_keys=["account:facebook:1"],
    tasks=[TASK],
    superseded=[SupersededTask(task_id="t-2", case_id="c-1", agency="PDRM", superseded_by="t-3")],
)


def test_round_trip_gives_the_same_outcome_marked_replayed():
    again = LinkOutcome.from_json(OUTCOME.to_json())
    assert again.replayed is True
    assert again.tasks == [TASK]
    assert {**vars(again), "replayed": False} == {**vars(OUTCOME), "replayed": False}


def test_stored_json_is_stable_and_leaves_out_the_replay_flag():
    text = OUTCOME.to_json()
    data = json.loads(text)
    assert "replayed" not in data
    assert data["tasks"][0]["task_id"] == "t-1"
    assert list(data) == sorted(data)  # same outcome, same text: replays compare equal
    assert text == LinkOutcome.from_json(text).to_json()


def test_serialising_does_not_alias_or_change_the_outcome():
    # For speed, to_json reads the outcome's and its tasks' own dicts (vars, no deep copy):
    # popping the replay flag there, swapping the task lists for dicts or sorting a list in
    # place would change the outcome it stores. Reasons are unsorted on purpose.
    task = TaskChange(**{**vars(TASK), "reasons": ["z last", "a first"]})
    closed = SupersededTask(task_id="t-2", case_id="c-1", agency="PDRM", superseded_by="t-3")
    outcome = LinkOutcome(
        **{**vars(OUTCOME), "tasks": [task], "superseded": [closed], "replayed": True}
    )
    before = deepcopy(vars(outcome))
    first = outcome.to_json()
    assert vars(outcome) == before
    assert outcome.replayed is True
    assert outcome.tasks[0] is task and outcome.superseded[0] is closed
    assert task.reasons == ["z last", "a first"]
    assert outcome.to_json() == first  # serialising twice reads the same state


def test_an_outcome_stored_before_superseded_tasks_were_kept_still_reads():
    data = json.loads(OUTCOME.to_json())
    del data["superseded"]
    again = LinkOutcome.from_json(json.dumps(data))
    assert again.superseded == []
    assert again.tasks == [TASK]


def test_superseded_tasks_survive_the_round_trip():
    again = LinkOutcome.from_json(OUTCOME.to_json())
    assert again.superseded == OUTCOME.superseded
    assert again.superseded[0].superseded_by == "t-3"


def test_an_outcome_written_by_a_newer_worker_still_reads_without_its_new_fields():
    # After a rollback, this version replays outcomes a newer one stored: fields it does not
    # know, at any level, are left out instead of dead-lettering the replay.
    data = json.loads(OUTCOME.to_json())
    data["escalation_note"] = "added later"
    data["tasks"][0]["sla_tier"] = "gold"
    data["superseded"][0]["closed_reason"] = "duplicate"
    data["case_status"] = {"case_id": "c-1", "previous": "open", "current": "active", "x": 1}
    again = LinkOutcome.from_json(json.dumps(data))
    assert again.tasks == [TASK]
    assert again.superseded == OUTCOME.superseded
    assert (again.case_status.previous, again.case_status.current) == ("open", "active")
    assert json.loads(again.to_json()) == {
        **json.loads(OUTCOME.to_json()),
        "case_status": {"case_id": "c-1", "previous": "open", "current": "active"},
    }


def test_the_stored_form_is_compressed_and_reads_back_as_a_replay():
    stored = OUTCOME.to_stored()
    assert isinstance(stored, bytes) and len(stored) < len(OUTCOME.to_json())
    assert LinkOutcome.from_stored(stored) == replace(OUTCOME, replayed=True)
    # Neo4j hands byte arrays back as bytearray; outcomes stored before compression are text.
    assert LinkOutcome.from_stored(bytearray(stored)) == replace(OUTCOME, replayed=True)
    assert LinkOutcome.from_stored(OUTCOME.to_json()) == replace(OUTCOME, replayed=True)
