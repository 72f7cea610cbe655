"""Link a batch of triaged reports into cases, merge cases they bridge, and plan their tasks.

Two steps, each one write transaction that a retry (deadlock, lost leader) redoes whole:
prepare (reports, identifiers, mentions, suspects) and decide (cases, merges, tasks,
outcome). Decisions run one at a time across all workers under one lock; preparations run
beside them. A report prepared before is not prepared again, and one decided before returns
its stored outcome, so replays, also after a crash between the steps, change nothing.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from neo4j import AsyncDriver, AsyncManagedTransaction

from contracts.cases import TriagedPayload
from graph import linking_cypher as q
from graph.driver import collected_rows
from graph.grouping import ReportKeys, decide
from graph.outcome import LinkOutcome, TaskChange
from runtime.settings import Settings

CASE_NAMESPACE = UUID("6f1c2a0e-4f5b-4d7e-9a53-0c2b8f3e9d11")

# The default of OCSEA_SLA_UNCLAIMED_SHARE; the linker passes the configured value.
DEFAULT_UNCLAIMED_SHARE: float = Settings.model_fields["sla_unclaimed_share"].default

Planner = Callable[[UUID, TriagedPayload, datetime], list[Any]]
# (open task's priority, its due time, new plan) -> the raised plan, or None to leave it.
Reconciler = Callable[[str, datetime | None, Any], Any]


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
) -> list[LinkOutcome]:
    """Both steps in one transaction; the worker runs them as two (link_in_two_steps)."""
    await prepare_batch(tx, batch, now, cap)
    return await decide_batch(tx, batch, now, cap, plan_tasks, reconcile, unclaimed_share)


async def link_in_two_steps(
    driver: AsyncDriver,
    database: str,
    batch: Sequence[tuple[TriagedPayload, UUID]],
    now: datetime,
    cap: int,
    plan_tasks: Planner,
    reconcile: Reconciler,
    unclaimed_share: float = DEFAULT_UNCLAIMED_SHARE,
) -> list[LinkOutcome]:
    """Prepare, commit, then decide. Preparing locks the batch's identifiers; deciding holds
    the one decision lock. Split, one batch's preparation runs while another's decision does,
    instead of every batch waiting for the whole of the one before."""
    async with driver.session(database=database) as session:
        await session.execute_write(prepare_batch, batch, now, cap)
        return await session.execute_write(
            decide_batch, batch, now, cap, plan_tasks, reconcile, unclaimed_share
        )


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
    done = {r["rid"] for r in await collected_rows(tx, q.LOCK_REPORTS, rids=rids) if r["prepared"]}
    fresh = _first_of_each(batch, skip=done)
    if not fresh:
        return
    payloads = [p for p, _ in fresh.values()]
    rows = [_report_row(p, c) for p, c in fresh.values()]
    await tx.run(q.UPSERT_REPORTS, rows=rows, now=now)
    await _write_identifiers(tx, payloads, now, cap)
    # Sorted, suspects and the identifiers each uses, so concurrent preparations take the
    # locks on shared USES edges in one order (fewer deadlocks to retry).
    suspects = [
        {"rid": str(p.report_id), "key": s.key, "identifier_keys": sorted(s.identifier_keys)}
        for p in payloads
        for s in p.suspects
    ]
    if suspects:
        await tx.run(q.UPSERT_SUSPECTS, suspects=sorted(suspects, key=lambda s: s["key"]), now=now)
    orgs = [
        {"rid": str(p.report_id), "organisation_id": p.organisation_id}
        for p in payloads
        if p.organisation_id
    ]
    if orgs:
        await tx.run(q.LINK_ORGANISATIONS, rows=sorted(orgs, key=lambda r: r["organisation_id"]))


async def decide_batch(
    tx: AsyncManagedTransaction,
    batch: Sequence[tuple[TriagedPayload, UUID]],
    now: datetime,
    cap: int,
    plan_tasks: Planner,
    reconcile: Reconciler,
    unclaimed_share: float = DEFAULT_UNCLAIMED_SHARE,
) -> list[LinkOutcome]:
    """Step 2, for prepared reports: cases, merges and tasks; each report's outcome, in order.

    Decisions run one at a time across every worker (the decision lock), so each sees the
    cases of all decisions before it: one identifier never yields two cases. A report
    decided before returns its stored outcome, so replays change nothing.
    """
    await tx.run(q.TAKE_DECISION_LOCK)
    rids = [str(p.report_id) for p, _ in batch]
    found = await collected_rows(tx, q.READ_OUTCOMES, rids=sorted(set(rids)))
    missing = set(rids) - {r["rid"] for r in found}
    if missing:
        raise RuntimeError(f"{len(missing)} report(s) not prepared before their decision")
    stored = {r["rid"]: r["outcome"] for r in found}
    fresh = _first_of_each(batch, skip={rid for rid, outcome in stored.items() if outcome})
    outcomes = (
        await _decide_fresh(
            tx, list(fresh.values()), now, cap, plan_tasks, reconcile, unclaimed_share
        )
        if fresh
        else {}
    )
    # A report delivered twice (in the batch or before it) gets its first outcome, marked replayed.
    result, seen = [], set()
    for rid in rids:
        if rid in outcomes and rid not in seen:
            result.append(outcomes[rid])
            seen.add(rid)
        else:
            text = stored.get(rid) or outcomes[rid].to_json()
            result.append(LinkOutcome.from_json(text))
    return result


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
    now: datetime,
    cap: int,
    plan_tasks: Planner,
    reconcile: Reconciler,
    unclaimed_share: float,
) -> dict[str, LinkOutcome]:
    payloads = [p for p, _ in fresh]
    linkable: dict[str, list[str]] = {str(p.report_id): [] for p in payloads}
    for row in await collected_rows(tx, q.LINKABLE_KEYS, rids=sorted(linkable), cap=cap):
        linkable[row["rid"]].append(row["key"])
    for keys_of_report in linkable.values():
        keys_of_report.sort()

    keys = sorted({k for ks in linkable.values() for k in ks})
    found = await collected_rows(tx, q.CASES_OF_KEYS, keys=keys) if keys else []
    found_ids = sorted({c for row in found for c in row["cases"]})
    live = await collected_rows(tx, q.LOCK_LIVE_CASES, ids=found_ids) if found_ids else []
    live_of = {row["found"]: row["live"] for row in live}
    order = {row["live"]: (row["opened_at"], row["live"]) for row in live}
    cases_of_key = {row["key"]: sorted({live_of[c] for c in row["cases"]}) for row in found}
    plan = decide(
        [ReportKeys(str(p.report_id), linkable[str(p.report_id)]) for p in payloads],
        cases_of_key,
        lambda case: order[case],
        case_id_for,
    )

    by_rid = {str(p.report_id): p for p in payloads}
    if plan.opened:
        rows = [
            {"cid": cid, "rid": rid, "priority": by_rid[rid].triage.priority.value}
            for cid, rid in plan.opened
        ]
        await tx.run(q.OPEN_CASES, cases=rows, now=now)
    for merge in plan.merges:
        count, joined = 1 + len(merge.losers), ", ".join(merge.shared_keys)
        reason = f"report {merge.report_id} shares identifiers with {count} cases: {joined}"
        await tx.run(
            q.MERGE_CASES,
            survivor=merge.survivor,
            losers=merge.losers,
            reason=reason,
            now=now,
            rid=merge.report_id,
        )
    if plan.merges:
        survivors = sorted({merge.survivor for merge in plan.merges})
        await tx.run(q.SUPERSEDE_DUPLICATE_TASKS, survivors=survivors, now=now)
    attach = [
        {
            "rid": d.report_id,
            "cid": d.case_id,
            "priority": _priority(by_rid[d.report_id]),
            "categories": _categories(by_rid[d.report_id]),
        }
        for d in plan.decisions
    ]
    await tx.run(q.ATTACH_REPORTS, rows=attach, now=now)

    placed = [(by_rid[d.report_id], d.case_id) for d in plan.decisions]
    tasks = await _write_tasks(tx, placed, now, plan_tasks, reconcile, unclaimed_share)
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
        )
        for d in plan.decisions
    }
    rows = [{"rid": rid, "cid": o.case_id, "outcome": o.to_json()} for rid, o in outcomes.items()]
    await tx.run(q.SAVE_OUTCOMES, rows=rows)
    return outcomes


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
    }


async def _write_identifiers(
    tx: AsyncManagedTransaction, payloads: list[TriagedPayload], now: datetime, cap: int
) -> None:
    """Merge identifiers and mentions. Each mention stores `seq`, how many reports mentioned
    the identifier before it: the n-th report of the batch sees `prior + n`, exactly as if
    the reports were prepared one by one, and only mentions with seq < cap link."""
    mentions: dict[str, list[str]] = {}
    described: dict[str, dict[str, Any]] = {}
    for payload in payloads:
        for ident in payload.identifiers:
            mentions.setdefault(ident.key, []).append(str(payload.report_id))
            described[ident.key] = {
                "key": ident.key,
                "kind": ident.kind,
                "value": ident.value,
                "platform": ident.platform,
            }
    if not described:
        return
    rows = [{**described[k], "n": len(mentions[k])} for k in sorted(described)]
    written = await collected_rows(tx, q.UPSERT_IDENTIFIERS, identifiers=rows, now=now, cap=cap)
    prior = {row["key"]: row["prior"] for row in written}
    pairs = [
        {"rid": rid, "key": key, "seq": prior[key] + position}
        for key in sorted(mentions)
        for position, rid in enumerate(mentions[key])
    ]
    await tx.run(q.MENTIONS, mentions=pairs, now=now)


async def _write_tasks(
    tx: AsyncManagedTransaction,
    placed: list[tuple[TriagedPayload, str]],
    now: datetime,
    plan_tasks: Planner,
    reconcile: Reconciler,
    share: float,
) -> dict[str, list[TaskChange]]:
    """Create planned tasks a case lacks; raise open ones a new report makes more urgent."""
    planned = [(payload, cid, plan_tasks(UUID(cid), payload, now)) for payload, cid in placed]
    slots = sorted({(cid, p.task_type.value, p.target) for _, cid, plans in planned for p in plans})
    open_tasks: dict[tuple[str, str, str], dict[str, Any]] = {}
    if slots:
        rows = [{"cid": cid, "task_type": kind, "target": target} for cid, kind, target in slots]
        for t in await collected_rows(tx, q.OPEN_TASKS, slots=rows):
            due = datetime.fromisoformat(t["due_at"]) if t["due_at"] is not None else None
            open_tasks[(t["cid"], t["task_type"], t["target"])] = {**t, "due_at": due}
    changes: dict[str, list[TaskChange]] = {}
    created: list[TaskChange] = []
    updated: list[TaskChange] = []
    for payload, cid, plans in planned:
        mine = changes.setdefault(str(payload.report_id), [])
        for plan in plans:
            slot = (cid, plan.task_type.value, plan.target)
            existing = open_tasks.get(slot)
            if existing is None:
                change = _change("assigned", cid, plan)
                created.append(change)
            else:
                raised = reconcile(existing["priority"], existing["due_at"], plan)
                if raised is None:
                    continue
                change = _change("updated", cid, raised, task_id=existing["id"])
                updated.append(change)
            # Later reports of the batch see this task as open, as if it were already written.
            open_tasks[slot] = {
                "id": change.task_id,
                "priority": change.priority,
                "due_at": datetime.fromisoformat(change.due_at),
            }
            mine.append(change)
    if created:
        await tx.run(q.CREATE_TASKS, now=now, share=share, tasks=[_params(c) for c in created])
    if updated:
        await tx.run(q.UPDATE_TASKS, now=now, share=share, tasks=[_params(c) for c in updated])
    return changes


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
