"""Link one triaged report into a case, merge cases it bridges, and plan its tasks.

Everything happens in one write transaction, so a retry (deadlock, lost leader) redoes
all of it or none of it, and a replay of the same report returns the stored outcome.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from neo4j import AsyncManagedTransaction

from contracts.cases import TriagedPayload
from graph import linking_cypher as q
from graph.outcome import LinkOutcome, TaskChange

CASE_NAMESPACE = UUID("6f1c2a0e-4f5b-4d7e-9a53-0c2b8f3e9d11")


Planner = Callable[[UUID, TriagedPayload, datetime], list[Any]]
# (open task's priority, its due time, new plan) -> the raised plan, or None to leave it.
Reconciler = Callable[[str, datetime | None, Any], Any]


def case_id_for(report_id: UUID) -> UUID:
    """A case is named after the report that opened it, so replays open the same case."""
    return uuid5(CASE_NAMESPACE, str(report_id))


async def _rows(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(query, **params)
    return [record.data() async for record in result]


async def link_report(
    tx: AsyncManagedTransaction,
    payload: TriagedPayload,
    correlation_id: UUID,
    now: datetime,
    cap: int,
    plan_tasks: Planner,
    reconcile: Reconciler,
) -> LinkOutcome:
    """Write the report, its identifiers, its case and its tasks; return what changed."""
    rid = str(payload.report_id)
    stored = await _rows(tx, q.LOCK_REPORT, rid=rid)
    if stored and stored[0]["outcome"]:
        return LinkOutcome.from_json(stored[0]["outcome"])

    triage = payload.triage
    priority, categories = triage.priority.value, [c.value for c in triage.categories]
    await tx.run(
        q.UPSERT_REPORT,
        rid=rid,
        channel=payload.channel.value,
        now=now,
        priority=priority,
        categories=categories,
        reasons=triage.reasons,
        rules_version=triage.rules_version,
        correlation_id=str(correlation_id),
        organisation_id=payload.organisation_id,
        victim_ref=payload.victim_ref,
        victim_age=payload.victim_age,
        victim_age_range=payload.victim_age_range,
    )
    identifiers = [
        {"key": i.key, "kind": i.kind, "value": i.value, "platform": i.platform}
        for i in sorted(payload.identifiers, key=lambda ident: ident.key)
    ]
    written = await _rows(
        tx, q.UPSERT_IDENTIFIERS, rid=rid, identifiers=identifiers, now=now, cap=cap
    )
    if payload.suspects:
        suspects = [s.model_dump() for s in sorted(payload.suspects, key=lambda s: s.key)]
        await tx.run(q.UPSERT_SUSPECTS, rid=rid, suspects=suspects, now=now)
    linkable = sorted(row["key"] for row in written if not row["excluded"] and row["prior"] < cap)
    found = await _rows(tx, q.CASES_SHARING, keys=linkable) if linkable else []
    shared = sorted({key for case in found for key in case["shared"]})
    ids = [case["id"] for case in found]
    cases = [row["id"] for row in await _rows(tx, q.LOCK_LIVE_CASES, ids=ids)] if ids else []
    merged: list[str] = []
    if not cases:
        case_id, kind = str(case_id_for(payload.report_id)), "opened"
        await tx.run(q.OPEN_CASE, cid=case_id, now=now, priority=priority, rid=rid)
    else:
        case_id, kind = cases[0], "linked"
        merged = cases[1:]
        if merged:
            kind = "merged"
            reason = f"report {rid} shares identifiers with {len(cases)} cases: {', '.join(shared)}"
            await tx.run(
                q.MERGE_CASES, survivor=case_id, losers=merged, reason=reason, now=now, rid=rid
            )
    await tx.run(
        q.ATTACH_REPORT, rid=rid, cid=case_id, now=now, priority=priority, categories=categories
    )

    tasks = await _write_tasks(tx, UUID(case_id), payload, now, plan_tasks, reconcile)
    outcome = LinkOutcome(
        report_id=rid,
        case_id=case_id,
        kind=kind,  # type: ignore[arg-type]
        priority=priority,
        categories=categories,
        merged_case_ids=merged,
        shared_keys=shared,
        tasks=tasks,
    )
    await tx.run(q.SAVE_OUTCOME, rid=rid, cid=case_id, outcome=outcome.to_json())
    return outcome


async def _write_tasks(
    tx: AsyncManagedTransaction,
    case_id: UUID,
    payload: TriagedPayload,
    now: datetime,
    plan_tasks: Planner,
    reconcile: Reconciler,
) -> list[TaskChange]:
    """Create planned tasks the case lacks; raise open ones the new report makes more urgent."""
    cid = str(case_id)
    open_tasks = {(t["task_type"], t["target"]): t for t in await _rows(tx, q.OPEN_TASKS, cid=cid)}
    created, updated = [], []
    for plan in plan_tasks(case_id, payload, now):
        existing = open_tasks.get((plan.task_type.value, plan.target))
        if existing is None:
            created.append(_change("assigned", cid, plan))
            continue
        due = existing["due_at"].to_native() if existing["due_at"] is not None else None
        raised = reconcile(existing["priority"], due, plan)
        if raised is not None:
            updated.append(_change("updated", cid, raised, task_id=existing["id"]))
    if created:
        await tx.run(q.CREATE_TASKS, cid=cid, now=now, tasks=[_params(c) for c in created])
    if updated:
        await tx.run(q.UPDATE_TASKS, now=now, tasks=[_params(c) for c in updated])
    return created + updated


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
    return {
        "task_id": change.task_id,
        "agency": change.agency,
        "task_type": change.task_type,
        "target": change.target,
        "priority": change.priority,
        "due_at": change.due_at,
        "reasons": change.reasons,
    }
