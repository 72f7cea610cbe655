"""Task fan-out: which agency must do what for a triaged report, and by when."""

import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID, uuid5

from contracts.cases import TriagedPayload
from contracts.enums import TASK_AGENCY, VICTIM_AGENCIES, Agency, Channel, Priority, TaskType
from contracts.tasks import TaskPayload
from runtime.pseudonyms import victim_pseudonym
from streams.normalise import UNKNOWN_PLATFORM, normalise_platform
from streams.triage import OCSEA_CATEGORIES, PRIORITY_ORDER, without_quotes

# Never change this: task ids derived from it are how re-planning finds the same open task.
TASK_NAMESPACE = UUID("5b0d2c1e-7f3a-5e51-9a0c-0c5ea0b7a5f1")

DUE_WITHIN: dict[Priority, timedelta] = {
    Priority.P1: timedelta(hours=1),
    Priority.P2: timedelta(hours=24),
    Priority.P3: timedelta(hours=72),
    Priority.P4: timedelta(days=7),
}

UNKNOWN_HOST = "unknown-host"
CASE_TARGET = "case"
UNIDENTIFIED_VICTIM = "unidentified-victim"


@dataclass(frozen=True)
class TaskPlan:
    """A task an agency should have for a case; equal task_id means the same task."""

    task_id: UUID
    agency: Agency
    task_type: TaskType
    target: str
    priority: Priority
    due_at: datetime
    reasons: list[str]

    def payload(self, case_id: UUID) -> TaskPayload:
        """The contract payload of this plan for a TaskAssigned or TaskUpdated event."""
        return TaskPayload(case_id=case_id, **asdict(self))


def _human(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    return f"{hours // 24} days" if hours >= 168 and hours % 24 == 0 else f"{hours} h"


def task_id_for(case_id: UUID, task_type: TaskType, target: str) -> UUID:
    """Stable id: the same case, task type and target always give the same task."""
    return uuid5(TASK_NAMESPACE, f"{case_id}|{task_type.value}|{target}")


# A submission time further back than this is taken for a producer's mistake (an incident
# time, a clock off by days), not a wait: the intake topics keep a week.
OLDEST_RECEIPT = timedelta(days=7)


def due_from(received_at: datetime | None, now: datetime) -> datetime:
    """When a report's tasks start their time to due: its submission, not its linking (a P1
    received at 09:00 and linked at 12:00 after a graph outage was due at 13:00), within
    OLDEST_RECEIPT and never in the future."""
    if received_at is None or received_at.tzinfo is None:
        return now
    return max(now - OLDEST_RECEIPT, min(now, received_at))


def _urgent(priority: Priority) -> bool:
    return priority in (Priority.P1, Priority.P2)


def plan_tasks(case_id: UUID, triaged: TriagedPayload, now: datetime) -> list[TaskPlan]:
    """Tasks for MCMC, PDRM and KPWKM that a triaged report calls for, sorted."""
    if now.tzinfo is None:
        # Naive times compare wrongly against stored UTC deadlines.
        raise ValueError("now must be timezone-aware")
    priority = triaged.triage.priority
    due_at = due_from(triaged.received_at, now) + DUE_WITHIN[priority]
    due_note = f"due within {_human(DUE_WITHIN[priority])} for {priority.value}"
    # Read again by today's names: a report triaged before a new alias ('m.facebook.com',
    # 'WhatsApp Business') asks for the task the data repair moved to the service's name.
    platforms = _targets(triaged.platforms)
    wanted: list[tuple[TaskType, str, str]] = []

    hosts = _targets(triaged.hosts)
    if _unlocated_content_online(triaged, hosts):
        # Content still online that no URL places (a platform's or a referral's content
        # items by hash alone, a public report's links no host could be read from) is on the
        # platforms the report names, else at a host nobody knows yet.
        for target in platforms or [UNKNOWN_HOST]:
            where = target if platforms else "an unknown host"
            wanted.append((TaskType.TAKEDOWN_NOTICE, target, f"content reported online on {where}"))
    for host in hosts:
        wanted.append((TaskType.TAKEDOWN_NOTICE, host, f"URLs reported online at {host}"))
    # The evidence is preserved where it is taken down: a takedown with no preservation
    # request let the host delete what PDRM's referral needs (a helper's review; the issue
    # asks for both). And where the accounts of a platform's or a referral's report are: a
    # public report's bare usernames are too weak to ask a platform to hold data.
    preserve: dict[str, str] = {}
    if triaged.channel != Channel.PUBLIC and triaged.identifiers:
        preserve = {target: f"report names accounts on {target}" for target in platforms}
    for task_type, target, _ in wanted:
        if task_type == TaskType.TAKEDOWN_NOTICE and target != UNKNOWN_HOST:
            preserve.setdefault(target, f"content at {target} is to be taken down: preserve it")
    for target, why in sorted(preserve.items()):
        wanted.append((TaskType.PRESERVATION_REQUEST, target, why))
    ocsea = sorted(c.value for c in OCSEA_CATEGORIES.intersection(triaged.triage.categories))
    if ocsea or _urgent(priority):
        why = f"OCSEA category: {', '.join(ocsea)}" if ocsea else f"priority {priority.value}"
        wanted.append((TaskType.CRIMINAL_REFERRAL, CASE_TARGET, why))
    if priority == Priority.P1:
        wanted.append((TaskType.EMERGENCY_RESPONSE, CASE_TARGET, "P1: child in imminent danger"))
    if triaged.child_victim or triaged.child_at_risk or priority == Priority.P1:
        if triaged.child_victim:
            why = "victim is a child"
        elif triaged.child_at_risk:
            why = "a child at risk: the report calls a child under age"
        else:
            why = "P1: a child may be in danger"
        # Tasks are seen by every agency on the case timeline: name the victim by pseudonym.
        target = victim_pseudonym(triaged.victim_ref) if triaged.victim_ref else UNIDENTIFIED_VICTIM
        wanted.append((TaskType.VICTIM_SUPPORT, target, why))

    if not wanted:
        # No rule routed the report: it would sit in its case with no agency asked to look.
        wanted.append(
            (TaskType.REPORT_REVIEW, CASE_TARGET, "no rule routed this report: read and route it")
        )

    plans = {
        (task_type, target): TaskPlan(
            task_id=task_id_for(case_id, task_type, target),
            agency=TASK_AGENCY[task_type],
            task_type=task_type,
            target=target,
            priority=priority,
            due_at=due_at,
            reasons=[why, due_note, *_told(TASK_AGENCY[task_type], triaged.triage.reasons)],
        )
        for task_type, target, why in wanted
    }
    return sorted(plans.values(), key=lambda p: (p.agency.value, p.task_type.value, p.target))


# An e-mail address or a phone number typed as the platform ('siti.aminah@gmail.com', a
# reporter's own) is no one to send a notice to: as a task's target it was shown with the
# case to every agency. Not an IP address, which hosts files ('203.0.113.5').
_NO_TARGET = re.compile(r"[^@\s]+@[^@\s]+|\+?[\d\s()-]{7,}")


def _targets(names: list[str]) -> list[str]:
    """Platforms or hosts by today's names, each once, leaving out what names none."""
    found = {normalise_platform(name) for name in names if name} - {UNKNOWN_PLATFORM}
    return sorted(name for name in found if not _NO_TARGET.fullmatch(name))


def _unlocated_content_online(triaged: TriagedPayload, hosts: list[str]) -> bool:
    """Whether content still online is at no host a URL gives: what the report says of it,
    or, for reports triaged before 2026-12-02 (no `unlocated_content_online`), online content
    of a public report none of whose links gave a host, and any of another report's (a
    platform's report of Instagram accounts with a TikTok video still up sent a takedown
    notice to Instagram too, where the video was not)."""
    if triaged.unlocated_content_online is not None:
        return triaged.unlocated_content_online
    if triaged.channel == Channel.PUBLIC:
        return triaged.content_online and not hosts
    return triaged.content_online


def _told(agency: Agency, reasons: list[str]) -> list[str]:
    """Triage's reasons as a task of `agency` carries them: an agency that may not see victim
    details (MCMC) is not told the age the description gives ('umur saya 14')."""
    return reasons if agency in VICTIM_AGENCIES else [without_quotes(r) for r in reasons]


# Reasons a task keeps at most: each report that calls for an open task puts its line first.
MAX_TASK_REASONS = 20


def merge_plan(
    existing_priority: Priority,
    new: TaskPlan,
    existing_due_at: datetime | None = None,
    report_id: object = None,
    existing_reasons: list[str] | None = None,
) -> TaskPlan:
    """The open task, updated by a new report that calls for it: raised to the report's
    priority (and the earlier due time) if that is more urgent, its reasons the report's;
    else kept at its own priority and reasons, the report named first (and its due time
    taken if earlier). A new report always updates the open tasks it calls for: one that
    did not, unless it raised them, reached no agency at all (a second child reported in
    danger on a case whose emergency task was open changed nothing)."""
    rank = PRIORITY_ORDER.index
    due_at = new.due_at if existing_due_at is None else min(new.due_at, existing_due_at)
    if rank(new.priority) < rank(existing_priority):
        reasons = [f"priority raised from {existing_priority.value} to {new.priority.value}"]
        return replace(new, due_at=due_at, reasons=[*reasons, *new.reasons])
    also = f"report {report_id} calls for this task too" if report_id else "another report"
    # The task's own reasons stay: a P4 report noting a P1 task must not leave it explained
    # by the P4 report's reasons.
    kept = existing_reasons if existing_reasons is not None else new.reasons
    reasons = [also, *kept][:MAX_TASK_REASONS]
    return replace(new, priority=existing_priority, due_at=due_at, reasons=reasons)
