"""Task fan-out: each task type, stable ids, due times and priority merges."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4, uuid5

import pytest

from contracts.cases import Identifier, Triage, TriagedPayload
from contracts.enums import Agency, Channel, Priority, TaskType
from contracts.enums import HarmCategory as H
from contracts.reports import PublicReport
from runtime.pseudonyms import victim_pseudonym
from streams.fanout import (
    CASE_TARGET,
    DUE_WITHIN,
    MAX_TASK_REASONS,
    TASK_NAMESPACE,
    TaskPlan,
    due_from,
    merge_plan,
    plan_tasks,
)
from streams.triage import child_at_risk, facts_of, triage_of

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
CASE = UUID("00000000-0000-4000-8000-000000000001")
ACCOUNT = Identifier(kind="account", value="facebook:u:x", platform="facebook")


def _triaged(
    priority: Priority = Priority.P4,
    categories: tuple[H, ...] = (H.ONLINE_SCAM,),
    channel: Channel = Channel.PLATFORM,
    **kw: object,
) -> TriagedPayload:
    triage = Triage(
        categories=list(categories),
        priority=priority,
        reasons=["triage says so"],
        rules_version="t",
    )
    return TriagedPayload(report_id=uuid4(), channel=channel, triage=triage, **kw)


def _kinds(plans: list[TaskPlan]) -> list[tuple[TaskType, str]]:
    return [(p.task_type, p.target) for p in plans]


def test_due_within_table() -> None:
    expected = {
        Priority.P1: timedelta(hours=1),
        Priority.P2: timedelta(hours=24),
        Priority.P3: timedelta(hours=72),
        Priority.P4: timedelta(days=7),
    }
    assert dict(DUE_WITHIN) == expected


def test_a_report_no_rule_routes_gets_an_mcmc_review_and_nothing_else() -> None:
    """A nearly empty or unclassified report used to plan no task at all: it sat in its case
    with no agency asked to look."""
    plans = plan_tasks(CASE, _triaged(), NOW)
    assert _kinds(plans) == [(TaskType.REPORT_REVIEW, CASE_TARGET)]
    assert plans[0].agency == Agency.MCMC
    assert plans[0].due_at == NOW + DUE_WITHIN[Priority.P4]
    assert plans[0].reasons[0] == "no rule routed this report: read and route it"


def test_a_report_with_any_other_task_gets_no_review() -> None:
    plans = plan_tasks(CASE, _triaged(content_online=True, platforms=["x"]), NOW)
    assert TaskType.REPORT_REVIEW not in {p.task_type for p in plans}


def test_takedown_per_platform_when_content_online() -> None:
    plans = plan_tasks(CASE, _triaged(content_online=True, platforms=["x", "facebook"]), NOW)
    # Each with its preservation request: what is taken down is evidence (rules 2026-12-02).
    assert _kinds(plans) == [
        (TaskType.PRESERVATION_REQUEST, "facebook"),
        (TaskType.PRESERVATION_REQUEST, "x"),
        (TaskType.TAKEDOWN_NOTICE, "facebook"),
        (TaskType.TAKEDOWN_NOTICE, "x"),
    ]
    assert all(p.agency == Agency.MCMC for p in plans)
    assert plans[0].reasons[0] == "content at facebook is to be taken down: preserve it"
    assert plans[2].reasons[0] == "content reported online on facebook"


def test_takedown_to_unknown_host_when_no_platform() -> None:
    plans = plan_tasks(CASE, _triaged(content_online=True, platforms=["unknown"]), NOW)
    assert _kinds(plans) == [(TaskType.TAKEDOWN_NOTICE, "unknown-host")]


def test_no_takedown_when_content_not_online() -> None:
    plans = plan_tasks(CASE, _triaged(content_online=False, platforms=["facebook"]), NOW)
    assert TaskType.TAKEDOWN_NOTICE not in [p.task_type for p in plans]


@pytest.mark.parametrize("channel", [Channel.PLATFORM, Channel.NGO])
def test_preservation_per_platform_for_platform_and_ngo_reports(channel: Channel) -> None:
    triaged = _triaged(channel=channel, identifiers=[ACCOUNT], platforms=["facebook"])
    plans = plan_tasks(CASE, triaged, NOW)
    assert _kinds(plans) == [(TaskType.PRESERVATION_REQUEST, "facebook")]
    assert plans[0].agency == Agency.MCMC


def test_a_report_triaged_under_a_platforms_alias_asks_for_the_services_task() -> None:
    """Triaged before 'm.facebook.com' was Facebook: planned under the old name, it opened a
    second task beside the one the data repair moved to 'facebook'."""
    triaged = _triaged(
        identifiers=[ACCOUNT],
        platforms=["m.facebook.com", "fb messenger"],
        content_online=True,
        hosts=["web.whatsapp.com"],
    )
    assert _kinds(plan_tasks(CASE, triaged, NOW)) == [
        (TaskType.PRESERVATION_REQUEST, "facebook"),
        (TaskType.PRESERVATION_REQUEST, "whatsapp"),
        (TaskType.TAKEDOWN_NOTICE, "facebook"),
        (TaskType.TAKEDOWN_NOTICE, "whatsapp"),
    ]


def test_no_preservation_for_public_report_or_without_identifiers() -> None:
    public = _triaged(channel=Channel.PUBLIC, identifiers=[ACCOUNT], platforms=["facebook"])
    bare = _triaged(channel=Channel.PLATFORM, identifiers=[], platforms=["facebook"])
    for triaged in (public, bare):
        kinds = {p.task_type for p in plan_tasks(CASE, triaged, NOW)}
        assert TaskType.PRESERVATION_REQUEST not in kinds


@pytest.mark.parametrize(
    "category",
    [
        H.CSAM,
        H.AI_GENERATED_CSAM,
        H.SELF_GENERATED_SEXUAL_MATERIAL,
        H.LIVE_STREAMED_ABUSE,
        H.GROOMING,
        H.SEXTORTION,
    ],
)
def test_criminal_referral_for_every_ocsea_category(category: H) -> None:
    plans = plan_tasks(CASE, _triaged(Priority.P3, (category,)), NOW)
    assert _kinds(plans) == [(TaskType.CRIMINAL_REFERRAL, "case")]
    assert plans[0].agency == Agency.PDRM
    assert category.value in plans[0].reasons[0]


def test_criminal_referral_for_p2_without_ocsea_category() -> None:
    plans = plan_tasks(CASE, _triaged(Priority.P2, (H.SELF_HARM,)), NOW)
    assert _kinds(plans) == [(TaskType.CRIMINAL_REFERRAL, "case")]


def test_p1_plans_referral_emergency_and_victim_support() -> None:
    plans = plan_tasks(CASE, _triaged(Priority.P1, (H.UNKNOWN,)), NOW)
    assert _kinds(plans) == [
        (TaskType.VICTIM_SUPPORT, "unidentified-victim"),
        (TaskType.CRIMINAL_REFERRAL, "case"),
        (TaskType.EMERGENCY_RESPONSE, "case"),
    ]
    assert [p.agency for p in plans] == [Agency.KPWKM, Agency.PDRM, Agency.PDRM]
    assert all(p.due_at == NOW + timedelta(hours=1) for p in plans)


def test_victim_support_for_a_child_at_risk_with_no_victim_to_name() -> None:
    # "A man asks an underage girl for nudes": grooming of a child, whom KPWKM is asked to
    # assess though the report names no victim (the issue: "identified or at risk").
    triaged = _triaged(Priority.P2, (H.GROOMING,), Channel.PUBLIC, child_at_risk=True)
    plans = plan_tasks(CASE, triaged, NOW)
    assert _kinds(plans) == [
        (TaskType.VICTIM_SUPPORT, "unidentified-victim"),
        (TaskType.CRIMINAL_REFERRAL, "case"),
    ]
    assert plans[0].reasons[0] == "a child at risk: the report calls a child under age"
    without = _triaged(Priority.P2, (H.GROOMING,), Channel.PUBLIC)
    assert TaskType.VICTIM_SUPPORT not in {p.task_type for p in plan_tasks(CASE, without, NOW)}


def test_victim_support_for_child_victim_targets_the_victims_pseudonym() -> None:
    plans = plan_tasks(CASE, _triaged(Priority.P3, child_victim=True, victim_ref="V-42"), NOW)
    assert _kinds(plans) == [(TaskType.VICTIM_SUPPORT, victim_pseudonym("V-42"))]
    assert "V-42" not in str(plans)
    assert plans[0].reasons[0] == "victim is a child"


@pytest.mark.parametrize("priority", list(Priority))
def test_due_at_follows_priority(priority: Priority) -> None:
    plans = plan_tasks(CASE, _triaged(priority, content_online=True, platforms=["x"]), NOW)
    assert {p.due_at for p in plans} == {NOW + DUE_WITHIN[priority]}
    assert {p.priority for p in plans} == {priority}
    label = {"P1": "1 h", "P2": "24 h", "P3": "72 h", "P4": "7 days"}[priority.value]
    assert all(f"due within {label} for {priority.value}" in p.reasons for p in plans)


def test_task_ids_are_stable_and_follow_the_formula() -> None:
    first = plan_tasks(CASE, _triaged(Priority.P1, content_online=True, platforms=["x"]), NOW)
    again = plan_tasks(
        CASE, _triaged(Priority.P1, content_online=True, platforms=["x"]), NOW + timedelta(1)
    )
    assert [p.task_id for p in first] == [p.task_id for p in again]
    takedown = next(p for p in first if p.task_type == TaskType.TAKEDOWN_NOTICE)
    assert takedown.task_id == uuid5(TASK_NAMESPACE, f"{CASE}|takedown_notice|x")
    # The same across versions: an open task from before a deploy is found again by its id.
    # Written out, not from the code's constant, which a change would move along with it.
    assert takedown.task_id == UUID("4dde2460-ff69-5b12-9139-3abadf2c869f")


def test_task_ids_are_unique_and_differ_per_case() -> None:
    triaged = _triaged(Priority.P1, content_online=True, platforms=["x", "facebook"])
    plans = plan_tasks(CASE, triaged, NOW)
    assert len({p.task_id for p in plans}) == len(plans) == 7
    other = plan_tasks(uuid4(), triaged, NOW)
    assert not {p.task_id for p in plans} & {p.task_id for p in other}


def test_duplicate_platforms_do_not_duplicate_tasks() -> None:
    triaged = _triaged(content_online=True, platforms=["x", "x"])
    assert _kinds(plan_tasks(CASE, triaged, NOW)) == [
        (TaskType.PRESERVATION_REQUEST, "x"),
        (TaskType.TAKEDOWN_NOTICE, "x"),
    ]


def test_reasons_carry_task_reason_due_note_and_triage_reasons() -> None:
    (plan,) = plan_tasks(CASE, _triaged(Priority.P3, (H.GROOMING,)), NOW)
    assert plan.reasons == [
        "OCSEA category: grooming",
        "due within 72 h for P3",
        "triage says so",
    ]


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_tasks(CASE, _triaged(), datetime(2026, 11, 27))


def test_plan_converts_to_task_payload() -> None:
    (plan,) = plan_tasks(CASE, _triaged(Priority.P3, (H.CSAM,)), NOW)
    payload = plan.payload(CASE)
    assert (payload.case_id, payload.task_id, payload.agency) == (CASE, plan.task_id, Agency.PDRM)


def _plan(priority: Priority, due_at: datetime = NOW) -> TaskPlan:
    return TaskPlan(uuid4(), Agency.PDRM, TaskType.CRIMINAL_REFERRAL, "case", priority, due_at, [])


def test_merge_plan_raises_priority() -> None:
    new = _plan(Priority.P1, NOW + timedelta(hours=1))
    merged = merge_plan(Priority.P3, new)
    assert merged is not None
    assert merged.priority == Priority.P1
    assert merged.task_id == new.task_id
    assert merged.reasons[0] == "priority raised from P3 to P1"


@pytest.mark.parametrize("existing", [Priority.P1, Priority.P2])
def test_a_report_no_more_urgent_updates_the_task_naming_itself(existing: Priority) -> None:
    """It changed nothing before: a second child reported in danger on a case whose
    emergency task was open reached no agency."""
    new = _plan(Priority.P2, NOW + timedelta(hours=24))
    kept = merge_plan(existing, new, existing_due_at=NOW + timedelta(hours=1), report_id="r-2")
    assert (kept.priority, kept.due_at, kept.task_id) == (
        existing,
        NOW + timedelta(hours=1),
        new.task_id,
    )
    assert kept.reasons[0] == "report r-2 calls for this task too"


def test_merge_plan_keeps_the_earlier_due_time() -> None:
    new = _plan(Priority.P2, NOW + timedelta(hours=24))
    earlier = NOW + timedelta(hours=2)
    later = NOW + timedelta(hours=48)
    kept = merge_plan(Priority.P3, new, existing_due_at=earlier)
    assert kept is not None and kept.due_at == earlier
    moved = merge_plan(Priority.P3, new, existing_due_at=later)
    assert moved is not None and moved.due_at == new.due_at


def test_tasks_fall_due_from_the_reports_submission_not_its_linking() -> None:
    """A P1 received at 09:00 and linked at 12:00 (a graph outage waited out) was due at
    13:00, and its SLA alarms came three hours late."""
    received = NOW - timedelta(hours=3)
    plans = plan_tasks(CASE, _triaged(Priority.P1, (H.CSAM,), received_at=received), NOW)
    assert {p.due_at for p in plans} == {received + timedelta(hours=1)}


@pytest.mark.parametrize(
    ("received", "start"),
    [
        (None, NOW),
        (NOW + timedelta(hours=2), NOW),  # a producer's clock ahead: not in the future
        (NOW - timedelta(days=30), NOW - timedelta(days=7)),  # an incident time, not a wait
        (NOW - timedelta(minutes=5), NOW - timedelta(minutes=5)),
    ],
)
def test_a_submission_time_counts_within_bounds(received: datetime | None, start: datetime) -> None:
    assert due_from(received, NOW) == start


def test_a_note_keeps_the_tasks_own_reasons() -> None:
    """A P4 report noting a P1 task left it explained by the P4 report's reasons."""
    mine = ["OCSEA category: csam", "due within 1 h for P1", "child in imminent danger"]
    noted = merge_plan(Priority.P1, _plan(Priority.P4), NOW, "r-9", existing_reasons=mine)
    assert noted.reasons == ["report r-9 calls for this task too", *mine]
    many = merge_plan(Priority.P1, _plan(Priority.P4), NOW, "r-9", existing_reasons=["x"] * 40)
    assert len(many.reasons) == MAX_TASK_REASONS


def test_a_public_reports_takedowns_go_to_the_hosts_of_its_links() -> None:
    """A member of the public who gives 'youtu.be/...' and 'badsite.example/x' says where the
    content is: MCMC's notices go there, not to an unknown host."""
    triaged = _triaged(
        channel=Channel.PUBLIC, content_online=True, hosts=["youtube", "badsite.example"]
    )
    assert _kinds(plan_tasks(CASE, triaged, NOW)) == [
        (TaskType.PRESERVATION_REQUEST, "badsite.example"),
        (TaskType.PRESERVATION_REQUEST, "youtube"),
        (TaskType.TAKEDOWN_NOTICE, "badsite.example"),
        (TaskType.TAKEDOWN_NOTICE, "youtube"),
    ]


def test_a_referral_with_hosts_keeps_its_unknown_host_for_content_found_elsewhere() -> None:
    """Triaged before 2026-12-02 (no unlocated_content_online): a referral's online content
    may be elsewhere. Since then the event says whether any is."""
    triaged = _triaged(channel=Channel.NGO, content_online=True, hosts=["badhost"])
    assert _kinds(plan_tasks(CASE, triaged, NOW)) == [
        (TaskType.PRESERVATION_REQUEST, "badhost"),
        (TaskType.TAKEDOWN_NOTICE, "badhost"),
        (TaskType.TAKEDOWN_NOTICE, "unknown-host"),
    ]
    located = triaged.model_copy(update={"unlocated_content_online": False})
    assert _kinds(plan_tasks(CASE, located, NOW)) == [
        (TaskType.PRESERVATION_REQUEST, "badhost"),
        (TaskType.TAKEDOWN_NOTICE, "badhost"),
    ]


def test_a_p1_asks_child_protection_whatever_age_its_victim_is_given() -> None:
    """A P1 of a victim stated to be 24 gives KPWKM a task too: the description may name a
    child in danger beside the victim the form states ('my 12 year old sister is with him
    now'), and dropping the task for an adult's stated age left that child without one (a
    review of a change made and reverted on 2026-12-02)."""
    for stated in ({"victim_age": 24}, {"victim_age_range": "18-25"}, {}):
        plans = plan_tasks(CASE, _triaged(Priority.P1, **stated), NOW)
        assert TaskType.VICTIM_SUPPORT in {p.task_type for p in plans}


def test_an_email_or_phone_given_as_a_platform_is_no_tasks_target() -> None:
    """A reporter's own address in the platform field was a takedown notice's target, shown
    with the case to every agency; an IP address hosts files, and stays one."""
    triaged = _triaged(
        content_online=True,
        identifiers=[ACCOUNT],
        platforms=["siti.aminah@gmail.com", "+60 12-345 6789", "0123456789"],
        hosts=["203.0.113.5"],
    )
    assert _kinds(plan_tasks(CASE, triaged, NOW)) == [
        (TaskType.PRESERVATION_REQUEST, "203.0.113.5"),
        (TaskType.TAKEDOWN_NOTICE, "203.0.113.5"),
        (TaskType.TAKEDOWN_NOTICE, "unknown-host"),
    ]


def test_mcmc_is_not_told_the_age_a_description_gives() -> None:
    """Every task carried triage's reasons, and a takedown told MCMC 'victim is below 18
    (description: 'umur saya 14')': an age, which only KPWKM and PDRM may see."""
    quoted = "P3: victim is below 18 (description: 'umur saya 14') (rule child_victim)"
    triage = Triage(
        categories=[H.GROOMING], priority=Priority.P3, reasons=[quoted], rules_version="t"
    )
    triaged = TriagedPayload(
        report_id=uuid4(),
        channel=Channel.PLATFORM,
        triage=triage,
        content_online=True,
        child_victim=True,
        platforms=["x"],
        identifiers=[ACCOUNT],
    )
    reasons = {p.agency: p.reasons for p in plan_tasks(CASE, triaged, NOW)}
    assert set(reasons) == {Agency.MCMC, Agency.PDRM, Agency.KPWKM}
    assert reasons[Agency.MCMC][-1] == (
        "P3: victim is below 18 (as the description says) (rule child_victim)"
    )
    assert reasons[Agency.PDRM][-1] == quoted
    assert reasons[Agency.KPWKM][-1] == quoted


@pytest.mark.parametrize(
    ("description", "kpwkm_why"),
    [
        # Rules 2026-12-01.4: each was P3 with no criminal referral (or P4, with none at all).
        ("He raped my 13 year old daughter", "victim is a child"),
        ("an underage girl was raped by her tutor", "a child at risk"),
        ("Someone leaked a sex tape of my 15 year old daughter", "victim is a child"),
        # CSAM alone asks no victim support: PDRM's referral identifies the child.
        ("intimate video of an underage girl shared on telegram", None),
    ],
)
def test_sexual_abuse_or_intimate_material_of_a_named_child_reaches_pdrm(
    description: str, kpwkm_why: str | None
) -> None:
    facts = facts_of(PublicReport(description=description))
    triaged = TriagedPayload(
        report_id=uuid4(),
        channel=Channel.PUBLIC,
        triage=triage_of(facts),
        child_victim=facts.child_victim,
        child_at_risk=child_at_risk(facts),
    )
    plans = {p.task_type: p for p in plan_tasks(CASE, triaged, NOW)}
    referral = plans[TaskType.CRIMINAL_REFERRAL]
    assert (referral.agency, referral.priority) == (Agency.PDRM, Priority.P2)
    support = plans.get(TaskType.VICTIM_SUPPORT)
    if kpwkm_why is None:
        assert support is None
    else:
        assert support is not None and support.reasons[0].startswith(kpwkm_why)
