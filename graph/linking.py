"""Link a batch of triaged reports into cases, merge cases they bridge, and plan their tasks.

Two steps, each one write transaction that a retry (deadlock, lost leader) redoes whole:
prepare (reports, identifiers, mentions, suspects) and decide (cases, merges, tasks,
outcome). Decisions run one at a time across all workers under one lock; preparations run
beside them. A report prepared before is not prepared again, and one decided before returns
its stored outcome, so replays, also after a crash between the steps, change nothing.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

from neo4j import AsyncDriver, AsyncManagedTransaction

from contracts.cases import TriagedPayload
from contracts.enums import OPEN_TASK_STATUSES, TaskStatus
from contracts.envelope import Outgoing
from graph import linking_cypher as q
from graph import submitted
from graph.driver import BatchParameter, collected_rows, counting_retries
from graph.grouping import Merge, Plan, ReportKeys, decide
from graph.lifecycle import SLA_ESCALATION_REASONS, next_case_status
from graph.outbox import stage
from graph.outcome import CaseStatusChange, LinkOutcome, SupersededTask, TaskChange
from runtime import metrics
from runtime.logs import get_logger
from runtime.settings import Settings
from streams.fanout import MAX_TASK_REASONS
from streams.normalise import (
    AROUND_A_HANDLE,
    SERVICES,
    is_placeholder,
    normalise_key,
    platform_in_key,
)

# A superseded task no longer counts towards its case's status (graph.lifecycle).
COUNTED_TASK_STATUSES = [s.value for s in TaskStatus if s is not TaskStatus.SUPERSEDED]
SUSPECT = "suspect:"
# What a sentence or a list puts around a handle (streams.normalise reads it without).
_HANDLE_EDGES = frozenset(AROUND_A_HANDLE)
# A merge keeps an officer's escalation before a claim, the SLA check's alone after one.
SLA_ESCALATION_REASONS_LIST = sorted(SLA_ESCALATION_REASONS)
log = get_logger(__name__)
CASE_NAMESPACE = UUID("6f1c2a0e-4f5b-4d7e-9a53-0c2b8f3e9d11")

# The default of OCSEA_SLA_UNCLAIMED_SHARE; the linker passes the configured value.
DEFAULT_UNCLAIMED_SHARE: float = Settings.model_fields["sla_unclaimed_share"].default

Planner = Callable[[UUID, TriagedPayload, datetime], list[Any]]
# (a report's outcome, the decision's time) -> the events to stage in the graph's outbox with
# the decision (graph.outbox): its changes of tasks' and cases' statuses, so that they are
# published in commit order with officers' changes of the same tasks and cases.
# None when the report's events could not be built (the caller keeps it as a dead letter;
# a redelivery stages them then).
Announcer = Callable[[LinkOutcome, datetime], Outgoing | None]
# (open task's priority, its due time, new plan) -> the raised plan, or None to leave it.
Reconciler = Callable[[str, datetime | None, Any, Any, Any], Any]


def case_id_for(report_id: str) -> str:
    """A case is named after the report that opened it, so replays open the same case."""
    return str(uuid5(CASE_NAMESPACE, report_id))


async def link_report(
    tx: AsyncManagedTransaction,
    payload: TriagedPayload,
    correlation_id: UUID,
    now: datetime,
    cap: int,
    plan_tasks: Planner,
    reconcile: Reconciler,
    unclaimed_share: float = DEFAULT_UNCLAIMED_SHARE,
) -> LinkOutcome:
    """Link one report (a batch of one)."""
    (outcome,) = await link_batch(
        tx, [(payload, correlation_id)], now, cap, plan_tasks, reconcile, unclaimed_share
    )
    return outcome


async def link_batch(
    tx: AsyncManagedTransaction,
    batch: Sequence[tuple[TriagedPayload, UUID]],
    now: datetime,
    cap: int,
    plan_tasks: Planner,
    reconcile: Reconciler,
    unclaimed_share: float = DEFAULT_UNCLAIMED_SHARE,
    announce: Announcer | None = None,
) -> list[LinkOutcome]:
    """Both steps in one transaction; the worker runs them as two (link_in_two_steps)."""
    await prepare_batch(tx, batch, now, cap)
    return await decide_batch(tx, batch, now, cap, plan_tasks, reconcile, unclaimed_share, announce)


async def link_in_two_steps(
    driver: AsyncDriver,
    database: str,
    batch: Sequence[tuple[TriagedPayload, UUID]],
    now: datetime,
    cap: int,
    plan_tasks: Planner,
    reconcile: Reconciler,
    unclaimed_share: float = DEFAULT_UNCLAIMED_SHARE,
    announce: Announcer | None = None,
) -> list[LinkOutcome]:
    """Prepare, commit, then decide. Preparing locks the batch's identifiers; deciding holds
    the one decision lock. Split, one batch's preparation runs while another's decision does,
    instead of every batch waiting for the whole of the one before."""
    async with driver.session(database=database) as session:
        with metrics.STAGE_SECONDS.labels(stage="link_prepare").time():
            prepare = counting_retries("link_prepare", prepare_batch)
            await session.execute_write(prepare, batch, now, cap)
        with metrics.STAGE_SECONDS.labels(stage="link_decide").time():
            decide = counting_retries("link_decide", decide_batch)
            held_since: list[float] = []
            outcomes = await session.execute_write(
                decide, batch, now, cap, plan_tasks, reconcile, unclaimed_share, announce,
                held_since, decision_clock_from(now),
            )  # fmt: skip
            # From the last attempt's read to the commit (README: the decision lock).
            metrics.DECISION_LOCK_HELD.inc(time.monotonic() - held_since[-1])
            return outcomes


# (the time of the decision before, as the decision lock records it, or None) -> this one's.
DecisionClock = Callable[[datetime | None], datetime]
# How far ahead of this worker's clock the decision before may be and still time this one.
MAX_CLOCK_LEAD = timedelta(seconds=60)


def decision_clock_from(prepared_at: datetime) -> DecisionClock:
    """The decision's time: read once the decision lock is taken, so that decisions are
    timed in the order they commit. Taken when the batch started, a batch whose preparation
    waited on a lock opened its case after another's with an earlier time, and the case
    opened later survived their merge as the older. Never before the preparation's time,
    nor before the decision before it: a worker whose clock is behind another's (hosts'
    clocks drift apart by seconds) opened a case 'before' one opened by the other a moment
    earlier, and a merge of the two kept the wrong one as the older."""

    def decision_time(last_decided_at: datetime | None) -> datetime:
        now = max(prepared_at, datetime.now(UTC))
        if last_decided_at is None or last_decided_at <= now:
            return now
        if last_decided_at - now > MAX_CLOCK_LEAD:
            # Not drift: a clock set wrong once (a year ahead) would time every decision after
            # it in that future, and their tasks' due times with them.
            lead_s = int((last_decided_at - now).total_seconds())
            log.warning("decision_clock_lead_ignored", lead_s=lead_s)
            return now
        return last_decided_at

    return decision_time


async def prepare_batch(
    tx: AsyncManagedTransaction,
    batch: Sequence[tuple[TriagedPayload, UUID]],
    now: datetime,
    cap: int,
) -> None:
    """Step 1: reports, identifiers, mentions, suspects, organisations. A report prepared
    before (a redelivery, a crash before its decision) is skipped, so nothing is counted twice;
    each mention stores its position among the identifier's mentions, for the degree cap."""
    rids = sorted({str(p.report_id) for p, _ in batch})
    done = {
        r["rid"]
        for r in await collected_rows(tx, q.LOCK_REPORTS, batch=BatchParameter(rids=rids))
        if r["prepared"]
    }
    fresh = _first_of_each(batch, skip=done)
    if not fresh:
        return
    payloads = [p for p, _ in fresh.values()]
    # Sorted, suspects and the identifiers each uses, so concurrent preparations take the
    # locks on shared USES edges in one order (fewer deadlocks to retry).
    # Two accounts of one report may name one suspect (one handle written two ways): it
    # uses what both were seen with.
    uses: dict[tuple[str, str], set[str]] = {}
    for p in payloads:
        for s in p.suspects:
            if (suspect_key := _current_key(s.key)) is None:
                continue  # named after what is no identifier today
            named = uses.setdefault((str(p.report_id), suspect_key), set())
            named.update(key for k in s.identifier_keys if (key := _current_key(k)))
    suspects = {
        (rid, key): {"rid": rid, "key": key, "identifier_keys": sorted(keys)}
        for (rid, key), keys in uses.items()
    }
    organisations = [
        {"rid": str(p.report_id), "organisation_id": p.organisation_id}
        for p in payloads
        if p.organisation_id
    ]
    batch_rows = {
        # In victim order: each report's victim is merged with its row (lock order, above).
        "reports": sorted(
            (_report_row(p, c) for p, c in fresh.values()),
            key=lambda row: (row["victim_ref"] or "", row["rid"]),
        ),
        "identifiers": _identifier_rows(payloads),
        "suspects": [suspects[k] for k in sorted(suspects, key=lambda k: (k[1], k[0]))],
        "organisations": sorted(organisations, key=lambda r: r["organisation_id"]),
    }
    await tx.run(q.PREPARE_REPORTS, batch=BatchParameter(batch_rows), now=now, cap=cap)


async def decide_batch(
    tx: AsyncManagedTransaction,
    batch: Sequence[tuple[TriagedPayload, UUID]],
    now: datetime,
    cap: int,
    plan_tasks: Planner,
    reconcile: Reconciler,
    unclaimed_share: float = DEFAULT_UNCLAIMED_SHARE,
    announce: Announcer | None = None,
    held_since: list[float] | None = None,
    clock: DecisionClock | None = None,
) -> list[LinkOutcome]:
    """Step 2, for prepared reports: cases, merges and tasks; each report's outcome, in order.
    `held_since` gets the monotonic time the decision lock was taken (the read answered).
    `clock`, if given, gives the decision's time once the lock is taken, from the time the
    lock records for the decision before (else `now`).

    Decisions run one at a time across every worker (the decision lock), so each sees the
    cases of all decisions before it: one identifier never yields two cases. A report
    decided before returns its stored outcome, so replays change nothing.
    """
    rids = [str(p.report_id) for p, _ in batch]
    rows = BatchParameter(rids=sorted(set(rids)))
    answer = await tx.run(q.DECISION_READ, batch=rows, cap=cap)
    read = await answer.single(strict=True)
    if held_since is not None:
        held_since.append(time.monotonic())
    if clock is not None:
        last = read["last_decided_at"]
        now = clock(last.to_native() if last is not None else None)
    missing = set(rids) - {r["rid"] for r in read["outcomes"]}
    if missing:
        raise RuntimeError(f"{len(missing)} report(s) not prepared before their decision")
    stored = {r["rid"]: r["outcome"] for r in read["outcomes"]}
    kept_sha = {r["rid"]: r["report_sha256"] for r in read["outcomes"]}
    staged_before = {r["rid"] for r in read["outcomes"] if r.get("staged")}

    def as_prepared(payload: TriagedPayload) -> bool:
        """The report its id was prepared with (what the graph holds of it), not another
        one under the same id: decided as that one, the other's triage and tasks went to the
        prepared report's case, and the other was never dead-lettered."""
        kept = kept_sha.get(str(payload.report_id))
        return not kept or not payload.report_sha256 or payload.report_sha256 == kept

    decided = {rid for rid, outcome in stored.items() if outcome}
    fresh = _first_of_each([item for item in batch if as_prepared(item[0])], skip=decided)
    outcomes = (
        await _decide_fresh(
            tx,
            list(fresh.values()),
            read,
            now,
            plan_tasks,
            reconcile,
            unclaimed_share,
            staged=announce is not None,
            record_time=clock is not None,
        )  # fmt: skip
        if fresh
        else {}
    )
    # A report delivered twice (in the batch or before it) gets its first outcome, marked replayed.
    result, seen = [], set()
    again_from_store: dict[str, LinkOutcome] = {}
    for (payload, _), rid in zip(batch, rids, strict=True):
        if rid in outcomes and rid not in seen and as_prepared(payload):
            result.append(outcomes[rid])
            seen.add(rid)
            continue
        if not stored.get(rid) and rid not in outcomes:
            # Another report under the id of one prepared and not decided yet (its batch
            # waits for the lock, or failed): refused; the prepared one is decided with its
            # own delivery.
            result.append(_reused(payload))
            continue
        again = (
            LinkOutcome.from_stored(stored[rid])
            if stored.get(rid)
            else replace(outcomes[rid], replayed=True)
        )
        # Another report under an id already used: not a resend, and not to be answered
        # with the first report's outcome as if it had been linked (the caller dead-letters).
        first = kept_sha.get(rid) or (fresh[rid][0].report_sha256 if rid in fresh else None)
        if first and payload.report_sha256 and payload.report_sha256 != first:
            again = replace(again, reused_id=True)
        elif stored.get(rid) and rid not in staged_before:
            again_from_store.setdefault(rid, again)
        result.append(again)
    if announce is not None:
        # Last: the outbox's counter is the last lock a change takes (graph.outbox). A report
        # answered from its stored outcome (a redelivery, a dead letter sent back) stages its
        # events only if they never were (decided before the outbox, or its events could
        # not be built then). Staged again each time, they went out after officers' newer
        # changes of the same case: 'closed -> open' last, on a case closed since.
        # The decision marked its reports staged with their outcomes (one statement less
        # under the lock): unmarked here are the few whose events could not be built, and
        # marked the redeliveries that stage theirs at last.
        events: Outgoing = []
        remark: dict[str, bool] = {}  # report id -> staged, where the decision's mark is wrong
        for outcome in [*outcomes.values(), *again_from_store.values()]:
            built = announce(outcome, now)
            events += built or []
            if (built is not None) != (outcome.report_id in outcomes):
                remark[outcome.report_id] = built is not None
        if remark:
            marks = [{"rid": rid, "staged": staged} for rid, staged in remark.items()]
            await tx.run(q.MARK_STAGED, batch=BatchParameter(rows=marks))
        await stage(tx, events, now)
    return result


def _reused(payload: TriagedPayload) -> LinkOutcome:
    """The answer for a report under an id another report holds: never linked (the caller
    dead-letters it as report_id_reused)."""
    return LinkOutcome(
        report_id=str(payload.report_id),
        case_id="",
        kind="linked",
        priority=payload.triage.priority.value,
        categories=[c.value for c in payload.triage.categories],
        reused_id=True,
    )


def _first_of_each(
    batch: Sequence[tuple[TriagedPayload, UUID]], skip: set[str]
) -> dict[str, tuple[TriagedPayload, UUID]]:
    """The first delivery of each report in the batch, by id, leaving out those in `skip`."""
    fresh: dict[str, tuple[TriagedPayload, UUID]] = {}
    for payload, correlation in batch:
        rid = str(payload.report_id)
        if rid not in skip and rid not in fresh:
            fresh[rid] = (payload, correlation)
    return fresh


async def _decide_fresh(
    tx: AsyncManagedTransaction,
    fresh: list[tuple[TriagedPayload, UUID]],
    read: Any,
    now: datetime,
    plan_tasks: Planner,
    reconcile: Reconciler,
    unclaimed_share: float,
    staged: bool = False,
    record_time: bool = False,
) -> dict[str, LinkOutcome]:
    """Decide the fresh reports from what DECISION_READ found, then write the decision;
    `staged`: their lifecycle events are staged with it (marked on each report);
    `record_time`: its time is the decision lock's, for the next decision's clock (a time
    given by the caller, as tests give, is not)."""
    payloads = [p for p, _ in fresh]
    by_rid = {str(p.report_id): p for p in payloads}
    linkable: dict[str, list[str]] = {rid: [] for rid in by_rid}
    for row in read["linkable"]:
        # Not another report prepared under an id one of the batch reuses: it waits for its
        # own decision (a KeyError here failed the batch, which was then decided report by
        # report, each under the decision lock).
        if row["rid"] in linkable:
            linkable[row["rid"]].append(row["key"])
    for keys_of_report in linkable.values():
        keys_of_report.sort()
    live_of = {row["found"]: row["live"] for row in read["live"]}
    order = {row["live"]: (tuple(row["opened_at"]), row["live"]) for row in read["live"]}
    cases_of_key = {row["key"]: sorted({live_of[c] for c in row["cases"]}) for row in read["found"]}
    plan = decide(
        [ReportKeys(rid, linkable[rid]) for rid in by_rid],
        cases_of_key,
        lambda case: order[case],
        case_id_for,
    )

    placed = [(by_rid[d.report_id], d.case_id) for d in plan.decisions]
    planned = [(payload, cid, plan_tasks(UUID(cid), payload, now)) for payload, cid in placed]
    slots = sorted({(cid, p.task_type.value, p.target) for _, cid, plans in planned for p in plans})
    decision = {
        # Opened a microsecond apart, in the batch's order: at one time, the case a later
        # merge kept as the older was the one whose id sorted first.
        "cases": [
            {
                "cid": cid,
                "rid": rid,
                "priority": _priority(by_rid[rid]),
                "opened_at": now + timedelta(microseconds=n),
            }
            for n, (cid, rid) in enumerate(plan.opened)
        ],
        "merges": [_merge_row(merge) for merge in plan.merges],
        "attach": [
            {
                "rid": d.report_id,
                "cid": d.case_id,
                "priority": _priority(by_rid[d.report_id]),
                "categories": _categories(by_rid[d.report_id]),
            }
            for d in plan.decisions
        ],
        "slots": [{"cid": cid, "task_type": kind, "target": target} for cid, kind, target in slots],
        "status_cases": _status_cases(plan),
        "task_ids": sorted({str(p.task_id) for _, _, plans in planned for p in plans}),
    }
    answer = await tx.run(
        q.DECISION_WRITE_CASES,
        batch=BatchParameter(decision),
        task_statuses=COUNTED_TASK_STATUSES,
        open_statuses=OPEN_TASK_STATUSES,
        now=now,
        # After its own time and its cases' (a microsecond apart, above): the next decision's
        # is later than both, even if it opens no case (a merge's edges are found by time).
        decided_at=now + timedelta(microseconds=len(plan.opened) + 1) if record_time else None,
        share=unclaimed_share,
        max_reasons=MAX_TASK_REASONS,
        sla_reasons=SLA_ESCALATION_REASONS_LIST,
    )
    written = await answer.single(strict=True)
    created, updated, tasks, noted = _task_changes(
        planned, written["open_tasks"], set(written["taken_ids"]), reconcile
    )
    # A survivor is in one merge of a batch at most (graph.grouping): its id names the merge.
    merged_by = {merge.survivor: merge.report_id for merge in plan.merges}
    _tell_raised(merged_by, written["raised"], [*created, *updated], tasks)
    superseded = _superseded_by_report(merged_by, written["superseded"])
    status_changes = _status_changes(written["case_statuses"], created)
    merged_from = {row["cid"]: row["previous"] for row in written["merged_statuses"]}
    # Each change is told once, by the batch's last report placed in that case.
    status_of_report = {
        last.report_id: status_changes[last.case_id]
        for last in {d.case_id: d for d in plan.decisions}.values()
        if last.case_id in status_changes
    }
    decided_at = now.isoformat()
    outcomes = {
        d.report_id: LinkOutcome(
            report_id=d.report_id,
            case_id=d.case_id,
            kind=d.kind,  # type: ignore[arg-type]
            priority=_priority(by_rid[d.report_id]),
            categories=_categories(by_rid[d.report_id]),
            merged_case_ids=d.merged_case_ids,
            shared_keys=d.shared_keys,
            tasks=tasks[d.report_id],
            superseded=superseded.get(d.report_id, []),
            case_status=status_of_report.get(d.report_id),
            merged_statuses=[
                CaseStatusChange(cid, merged_from.get(cid) or "open", "merged")
                for cid in d.merged_case_ids
            ],
            decided_at=decided_at,
        )
        for d in plan.decisions
    }
    writes = {
        "created": [_params(c) for c in created],
        # Task id order, as the agency queues lock tasks when they record receipts: in
        # another order the two deadlock. (Sorting is stable: a task raised twice in the
        # batch is written last with its last raise.)
        "updated": [
            _params(c) for c in sorted(updated, key=lambda c: c.task_id) if c.task_id not in noted
        ],
        "noted": [
            {"task_id": c.task_id, "reasons": c.reasons}
            for c in sorted(updated, key=lambda c: c.task_id)
            if c.task_id in noted
        ],
        "status_changes": [vars(c) for c in status_changes.values()],
        "outcomes": [{"rid": rid, "outcome": o.to_stored()} for rid, o in outcomes.items()],
    }
    await tx.run(
        q.DECISION_WRITE_TASKS,
        batch=BatchParameter(writes),
        now=now,
        share=unclaimed_share,
        open_statuses=OPEN_TASK_STATUSES,
        staged=staged,
    )
    return outcomes


def _status_cases(plan: Plan) -> list[dict[str, Any]]:
    """Cases whose status this decision may change: merge survivors, and existing cases
    reports join (the query keeps those that are closed)."""
    opened = {cid for cid, _ in plan.opened}
    survivors = {merge.survivor for merge in plan.merges}
    joined = {d.case_id for d in plan.decisions} - opened - survivors
    return [{"cid": cid, "merged": True} for cid in sorted(survivors)] + [
        {"cid": cid, "merged": False} for cid in sorted(joined)
    ]


def _status_changes(
    rows: Sequence[Any], created: Sequence[TaskChange]
) -> dict[str, CaseStatusChange]:
    """Each case's status from the statuses its tasks have after the decision (new tasks
    are assigned), where that differs from the status it has."""
    gets_tasks = {c.case_id for c in created}
    out = {}
    for row in rows:
        present = list(row["present"]) + (["assigned"] if row["cid"] in gets_tasks else [])
        current = next_case_status(row["status"], present)
        if current != row["status"]:
            out[row["cid"]] = CaseStatusChange(row["cid"], row["status"], current)
    return out


def _superseded_by_report(
    merged_by: dict[str, str], rows: Sequence[Any]
) -> dict[str, list[SupersededTask]]:
    """Tasks closed by merges, under the report whose merge closed them (`merged_by`: the
    merging report of each surviving case)."""
    out: dict[str, list[SupersededTask]] = {}
    for row in sorted(rows, key=lambda r: r["task_id"]):
        task = SupersededTask(
            task_id=row["task_id"],
            case_id=row["case_id"],
            agency=row["agency"],
            superseded_by=row["superseded_by"],
        )
        out.setdefault(merged_by[row["case_id"]], []).append(task)
    return out


def _tell_raised(
    merged_by: dict[str, str],
    rows: Sequence[Any],
    changed: Sequence[TaskChange],
    tasks: dict[str, list[TaskChange]],
) -> None:
    """A task a merge raised (it stayed, and took the priority or due time of a more urgent
    duplicate it superseded) is told to its agency as an update, under the report whose merge
    raised it, unless a report of the batch already changes it: that change was made from the
    raised task (DECISION_WRITE_CASES reads the open tasks after the merges)."""
    already = {change.task_id for change in changed}
    for row in sorted(rows, key=lambda r: r["task_id"]):
        if row["task_id"] in already:
            continue
        named = ("task_id", "case_id", "agency", "task_type", "target", "priority")
        change = TaskChange(
            change="updated",
            **{field: row[field] for field in named},
            due_at=datetime.fromisoformat(row["due_at"]).isoformat(),  # as plans write it
            reasons=list(row["reasons"]),
        )
        tasks.setdefault(merged_by[row["case_id"]], []).append(change)


def _merge_row(merge: Merge) -> dict[str, Any]:
    count, joined = 1 + len(merge.losers), ", ".join(merge.shared_keys)
    return {
        "survivor": merge.survivor,
        "losers": merge.losers,
        "rid": merge.report_id,
        "reason": f"report {merge.report_id} shares identifiers with {count} cases: {joined}",
    }


def _priority(payload: TriagedPayload) -> str:
    return payload.triage.priority.value


def _categories(payload: TriagedPayload) -> list[str]:
    return [c.value for c in payload.triage.categories]


def _report_row(payload: TriagedPayload, correlation_id: UUID) -> dict[str, Any]:
    triage = payload.triage
    return {
        "rid": str(payload.report_id),
        "channel": payload.channel.value,
        "priority": _priority(payload),
        "categories": _categories(payload),
        "reasons": triage.reasons,
        "rules_version": triage.rules_version,
        "correlation_id": str(correlation_id),
        "organisation_id": payload.organisation_id,
        "victim_ref": payload.victim_ref,
        "victim_age": payload.victim_age,
        "victim_age_range": payload.victim_age_range,
        "submitted": submitted.to_stored(payload.submitted),
        "report_sha256": payload.report_sha256,
    }


@lru_cache(maxsize=65_536)  # offenders' identifiers recur: read each once
def _current_value(kind: str, value: str) -> str | None:
    """An identifier's value in today's form, or None if it is no identifier today (a value
    read as a placeholder since: 'unknown@unknown.com', 'iPhone' as a device). Events
    triaged before a change of a form (2026-11-30: URLs, handles, platform aliases;
    2026-12-01: e-mails, phones, devices, share parameters, Facebook periods, links given as
    usernames) and linked after it would otherwise make identifiers apart from those the
    data repairs moved: the triaged topic keeps a week. normalise_key leaves a value already
    in today's form as it is (its readings are cached); a handle is looked at only where the
    rules changed something (non-ASCII, a link, an '@', a period on Facebook, digits on
    WhatsApp, a platform other than the services aliases resolve to: ~2 µs, cached), so the
    usual one costs a check in C."""
    if kind == "account":
        service, _, rest = value.partition(":")
        # The handle, or the user id (a placeholder there is no identifier either).
        handle = rest[2:] if rest.startswith("u:") else rest[3:] if rest.startswith("id:") else ""
        stale = (
            not value.isascii()
            or "/" in value
            or "@" in value
            or service not in SERVICES
            or (service == "facebook" and "." in rest)
            or (service == "whatsapp" and handle[:1] != "+" and rest.startswith("u:"))
            # Since 2026-12-02 a handle is read without punctuation around it, and the
            # don't-know answers are no handle.
            or handle[:1] in _HANDLE_EDGES
            or handle[-1:] in _HANDLE_EDGES
            or (handle != "" and is_placeholder("account", handle))
        )
        if not stale:
            return value
    try:
        return normalise_key(f"{kind}:{value}").partition(":")[2]
    except ValueError:
        return None


def _current_key(key: str) -> str | None:
    """An identifier key ('kind:value') or a suspect's ('suspect:' + one), in today's form;
    None if it names no identifier today."""
    suspect = key.startswith(SUSPECT)
    kind, _, value = key.removeprefix(SUSPECT).partition(":")
    current = _current_value(kind, value)
    if current is None:
        return None
    return f"{SUSPECT}{kind}:{current}" if suspect else f"{kind}:{current}"


def _identifier_rows(payloads: list[TriagedPayload]) -> list[dict[str, Any]]:
    """Each identifier of the batch, in key order, with the reports that mention it in batch
    order: the n-th of them gets seq = (mentions before the batch) + n."""
    mentions: dict[str, dict[str, None]] = {}
    described: dict[str, dict[str, Any]] = {}
    for payload in payloads:
        for ident in payload.identifiers:
            value = _current_value(ident.kind, ident.value)
            if value is None:
                continue  # a placeholder since the event was triaged: it links nothing
            key = f"{ident.kind}:{value}"
            mentions.setdefault(key, {})[str(payload.report_id)] = None
            described[key] = {
                "key": key,
                "kind": ident.kind,
                "value": value,
                # The platform the key names, by today's name (an event triaged before a new
                # alias carries the old one).
                "platform": _platform_named(ident.kind, value, ident.platform),
            }
    return [{**described[k], "rids": list(mentions[k])} for k in sorted(described)]


def _platform_named(kind: str, value: str, platform: str | None) -> str | None:
    """The platform an identifier is on, by today's name (an event triaged before a new
    alias carries the old one): for an account, the one its key names, or the event's where
    the key writes that one with '-' for ':' (an IPv6 host, as its takedown notices name it:
    streams.normalise.platform_in_key)."""
    if kind != "account" or not platform:
        return platform
    named = value.partition(":")[0]
    return platform if named == platform_in_key(platform) else named


def _task_changes(
    planned: list[tuple[TriagedPayload, str, list[Any]]],
    open_rows: list[dict[str, Any]],
    taken_ids: set[str],
    reconcile: Reconciler,
) -> tuple[list[TaskChange], list[TaskChange], dict[str, list[TaskChange]], set[str]]:
    """Planned tasks a case lacks are created; open ones are updated (raised if the new
    report is more urgent, else naming it). A slot whose task was closed (completed,
    declined, superseded) gets a new task, named after the report that reopened it. Within
    a batch, a report that only calls for a task another report of the batch already
    created or updated is named in that change, not given one of its own: one write and one
    event a task a batch. Returns (created, updated, each report's changes, the ids of the
    open tasks the batch only noted: neither raised nor given an earlier due time)."""
    open_tasks: dict[tuple[str, str, str], dict[str, Any]] = {}
    for t in open_rows:
        due = datetime.fromisoformat(t["due_at"]) if t["due_at"] is not None else None
        open_tasks[(t["cid"], t["task_type"], t["target"])] = {**t, "due_at": due}
    changes: dict[str, list[TaskChange]] = {}
    created: list[TaskChange] = []
    updated: list[TaskChange] = []
    # The batch's change of each task so far: (the change, the list of its report's changes
    # and the batch's list it is in), so that a later note can amend it in place.
    in_batch: dict[str, tuple[TaskChange, list[TaskChange], list[TaskChange]]] = {}
    noted: set[str] = set()
    moved: set[str] = set()
    for payload, cid, plans in planned:
        rid = str(payload.report_id)
        mine = changes.setdefault(rid, [])
        for plan in plans:
            slot = (cid, plan.task_type.value, plan.target)
            existing = open_tasks.get(slot)
            if existing is None:
                task_id = str(plan.task_id)
                if task_id in taken_ids:
                    task_id = str(uuid5(UUID(task_id), rid))
                change = _change("assigned", cid, plan, task_id=task_id)
                kept = created
            else:
                # Every open task a report calls for is updated (and its agency told): raised
                # if the report is more urgent, else naming the report among its reasons.
                merged = reconcile(
                    existing["priority"], existing["due_at"], plan, rid, existing.get("reasons")
                )
                # Only noted: neither raised nor given an earlier due time (a report received
                # earlier). A note on a task the batch already changed is folded into that change.
                only_noted = (merged.priority.value, merged.due_at) == (
                    existing["priority"],
                    existing["due_at"],
                )
                earlier = in_batch.get(existing["id"])
                if only_noted and earlier is not None:
                    amended = _amend(earlier, f"report {rid} calls for it too")
                    in_batch[existing["id"]] = amended
                    # A later change of the batch starts from these reasons: from the task's
                    # as read, it dropped the note.
                    existing["reasons"] = amended[0].reasons
                    continue
                change = _change("updated", cid, merged, task_id=existing["id"])
                kept = updated
                (noted if only_noted else moved).add(change.task_id)
            kept.append(change)
            mine.append(change)
            in_batch[change.task_id] = (change, mine, kept)
            # Later reports of the batch see this task as open, as if it were already written.
            open_tasks[slot] = {
                "id": change.task_id,
                "priority": change.priority,
                "due_at": datetime.fromisoformat(change.due_at),
                "reasons": change.reasons,
            }
    return created, updated, changes, noted - moved


def _amend(
    earlier: tuple[TaskChange, list[TaskChange], list[TaskChange]], reason: str
) -> tuple[TaskChange, list[TaskChange], list[TaskChange]]:
    """A change of this batch with one more reason, put in its place in every list."""
    change, mine, kept = earlier
    if len(change.reasons) >= MAX_TASK_REASONS:
        # At most so many reasons a task. Within a batch the later notes are left out; from
        # one batch to the next (streams.fanout.merge_plan) the newest report goes first and
        # the oldest reasons are left out.
        return earlier
    amended = replace(change, reasons=[*change.reasons, reason])
    for changes in (mine, kept):
        # Found by identity: list.index compares every change before it field by field (the
        # batch's list holds hundreds), under the decision lock.
        changes[next(n for n, c in enumerate(changes) if c is change)] = amended
    return amended, mine, kept


def _change(change: str, cid: str, plan: Any, task_id: str | None = None) -> TaskChange:
    return TaskChange(
        change=change,  # type: ignore[arg-type]
        task_id=task_id or str(plan.task_id),
        case_id=cid,
        agency=plan.agency.value,
        task_type=plan.task_type.value,
        target=plan.target,
        priority=plan.priority.value,
        due_at=plan.due_at.isoformat(),
        reasons=list(plan.reasons),
    )


def _params(change: TaskChange) -> dict[str, Any]:
    params = dict(vars(change))  # shallow: asdict's deep copy is costly and not needed here
    del params["change"]
    return params
