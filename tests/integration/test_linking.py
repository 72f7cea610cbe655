"""Case linking against the real Neo4j: open, link, merge, hubs, exclusions, replay, concurrency."""

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from neo4j import AsyncDriver

from contracts import topics
from contracts.cases import ReportTriaged
from contracts.enums import Agency
from contracts.reports import PublicReport, ReportPayload, ReportSubmitted
from graph.lifecycle import Action, get_task
from graph.linking import (
    case_id_for,
    link_batch,
    link_in_two_steps,
    link_report,
    prepare_batch,
)
from graph.outcome import CaseStatusChange, LinkOutcome
from streams.emit import events_for
from streams.fanout import plan_tasks
from streams.linker import _reconcile
from tests.factories import account, e164, malaysian_mobile, platform_report, triaged, unique
from tests.integration.locks import blocked_behind


async def link(
    driver: AsyncDriver, event: ReportTriaged, cap: int = 50, now: datetime | None = None
) -> LinkOutcome:
    """Link as the worker does: prepare and decide in two transactions."""
    (outcome,) = await link_in_two_steps(
        driver,
        "neo4j",
        [(event.payload, event.correlation_id)],
        now or datetime.now(UTC),
        cap,
        plan_tasks,
        _reconcile,
    )
    return outcome


async def link_in_one_transaction(driver: AsyncDriver, event: ReportTriaged) -> LinkOutcome:
    async with driver.session() as session:
        return await session.execute_write(
            link_report,
            event.payload,
            event.correlation_id,
            datetime.now(UTC),
            50,
            plan_tasks,
            _reconcile,
        )


async def query(driver: AsyncDriver, cypher: str, **params: Any) -> list[dict]:
    records, _, _ = await driver.execute_query(cypher, **params)
    return [r.data() for r in records]


async def test_a_new_report_opens_a_case_with_its_tasks(neo4j: AsyncDriver) -> None:
    event = triaged(
        platform_report(
            accounts=[account(unique("u"))], content=[{"md5": uuid4().hex, "still_online": True}]
        )
    )
    outcome = await link(neo4j, event)
    assert outcome.kind == "opened"
    rows = await query(
        neo4j,
        "MATCH (r:Report {id: $rid})-[:PART_OF]->(c:Case) OPTIONAL MATCH (c)-[:HAS_TASK]->(t:Task) "
        "RETURN c.id AS cid, c.status AS status, collect(t.task_type) AS tasks",
        rid=str(event.payload.report_id),
    )
    assert rows[0]["cid"] == outcome.case_id
    assert rows[0]["status"] == "open"
    assert "criminal_referral" in rows[0]["tasks"]
    assert sorted(rows[0]["tasks"]) == sorted(t.task_type for t in outcome.tasks)


async def test_a_shared_account_links_to_the_same_case_without_duplicate_tasks(
    neo4j: AsyncDriver,
) -> None:
    shared = account(unique("groomer"))
    first = await link(neo4j, triaged(platform_report(accounts=[shared])))
    second = await link(
        neo4j, triaged(platform_report(accounts=[shared, account(unique("other"))]))
    )
    assert second.kind == "linked"
    assert second.case_id == first.case_id
    assert any(k.startswith("account:") for k in second.shared_keys)
    rows = await query(
        neo4j,
        "MATCH (:Case {id: $cid})-[:HAS_TASK]->(t:Task {task_type: 'criminal_referral'}) RETURN count(t) AS n",
        cid=first.case_id,
    )
    assert rows[0]["n"] == 1
    # The open referral is updated, not duplicated: its agency hears of the second report.
    (referral,) = [t for t in second.tasks if t.task_type == "criminal_referral"]
    (first_referral,) = [t for t in first.tasks if t.task_type == "criminal_referral"]
    assert (referral.change, referral.task_id) == ("updated", first_referral.task_id)
    assert referral.reasons[0] == f"report {second.report_id} calls for this task too"


async def test_a_report_bridging_two_cases_merges_them_into_the_oldest(neo4j: AsyncDriver) -> None:
    a, b = account(unique("a")), account(unique("b"))
    older = await link(neo4j, triaged(platform_report(accounts=[a])))
    newer = await link(neo4j, triaged(platform_report(accounts=[b])))
    assert older.case_id != newer.case_id
    bridge = await link(neo4j, triaged(platform_report(accounts=[a, b])))
    assert bridge.kind == "merged"
    assert bridge.case_id == older.case_id
    assert bridge.merged_case_ids == [newer.case_id]
    rows = await query(
        neo4j,
        "MATCH (l:Case {id: $loser})-[m:MERGED_INTO]->(s:Case) "
        "OPTIONAL MATCH (r:Report)-[:PART_OF]->(s) "
        "RETURN l.status AS status, s.id AS survivor, m.reason AS reason, m.moved_reports AS moved, count(r) AS reports",
        loser=newer.case_id,
    )
    assert rows[0]["status"] == "merged"
    assert rows[0]["survivor"] == older.case_id
    assert "shares identifiers" in rows[0]["reason"]
    assert rows[0]["moved"] == [newer.report_id]
    assert rows[0]["reports"] == 3
    # Reports and tasks name their live case; linking finds cases through these names.
    names = await query(
        neo4j,
        "MATCH (s:Case {id: $survivor}) "
        "OPTIONAL MATCH (r:Report)-[:PART_OF]->(s) WITH s, collect(DISTINCT r.case_id) AS r_ids "
        "OPTIONAL MATCH (s)-[:HAS_TASK]->(t:Task) RETURN r_ids, collect(DISTINCT t.case_id) AS t_ids",
        survivor=older.case_id,
    )
    assert names == [{"r_ids": [older.case_id], "t_ids": [older.case_id]}]
    later = await link(neo4j, triaged(platform_report(accounts=[b])))
    assert (later.kind, later.case_id) == ("linked", older.case_id)


async def test_an_identifier_over_the_degree_cap_stops_linking_and_is_marked_hub(
    neo4j: AsyncDriver,
) -> None:
    viral = {"sha256": unique("").ljust(64, "a")[:64], "publicly_available": True}
    outcomes = [
        await link(neo4j, triaged(platform_report(content=[viral])), cap=2) for _ in range(4)
    ]
    assert outcomes[1].case_id == outcomes[0].case_id
    assert outcomes[2].kind == "opened" and outcomes[3].kind == "opened"
    rows = await query(
        neo4j,
        "MATCH (i:Identifier {key: $key}) RETURN i.hub AS hub, i.report_count AS n",
        key=f"content:sha256:{viral['sha256']}",
    )
    assert rows == [{"hub": True, "n": 4}]


async def test_an_excluded_identifier_never_links(neo4j: AsyncDriver) -> None:
    placeholder = unique("noreply") + "@example.com"
    await query(
        neo4j,
        "MERGE (r:ExclusionRule {key: $key}) SET r.reason = 'placeholder'",
        key=f"email:{placeholder}",
    )
    outcomes = [
        await link(neo4j, triaged(platform_report(accounts=[{"email": placeholder}])))
        for _ in range(2)
    ]
    assert outcomes[0].case_id != outcomes[1].case_id
    rows = await query(
        neo4j,
        "MATCH (i:Identifier {key: $key}) RETURN i.excluded AS excluded",
        key=f"email:{placeholder}",
    )
    assert rows == [{"excluded": True}]


async def test_replaying_a_report_changes_nothing(neo4j: AsyncDriver) -> None:
    event = triaged(platform_report(accounts=[account(unique("r"))]))
    first = await link(neo4j, event)
    count = "MATCH (r:Report {id: $rid})-[rel]-() RETURN count(rel) AS n"
    before = await query(neo4j, count, rid=first.report_id)
    again = await link(neo4j, event)
    assert again.replayed and not first.replayed
    assert (again.case_id, again.kind, again.tasks) == (first.case_id, first.kind, first.tasks)
    assert await query(neo4j, count, rid=first.report_id) == before
    # Its events, sent again, say the facts happened at the first decision.
    assert first.decided_at is not None and again.decided_at == first.decided_at


async def test_a_report_whose_outcome_was_stored_as_text_replays_it(neo4j: AsyncDriver) -> None:
    # Outcomes are stored compressed now; reports linked before kept them as JSON text, and
    # a redelivery of one of those must replay it, not link the report a second time.
    event = triaged(platform_report(accounts=[account(unique("legacy"))]))
    first = await link(neo4j, event)
    rows = await query(
        neo4j,
        "MATCH (r:Report {id: $rid}) RETURN r.outcome_zlib AS z, r.outcome_json AS text",
        rid=first.report_id,
    )
    assert rows[0]["text"] is None and LinkOutcome.from_stored(rows[0]["z"]) == replace(
        first, replayed=True
    )
    await query(
        neo4j,
        "MATCH (r:Report {id: $rid}) SET r.outcome_json = $text REMOVE r.outcome_zlib",
        rid=first.report_id,
        text=first.to_json(),
    )
    again = await link(neo4j, event)
    assert again == replace(first, replayed=True)


async def test_two_workers_racing_on_one_identifier_make_one_case(
    neo4j: AsyncDriver, settings
) -> None:
    from graph.driver import async_driver

    other_worker = async_driver(settings)
    shared = account(unique("race"))
    events = [
        triaged(platform_report(accounts=[shared, account(unique("own"))])) for _ in range(16)
    ]
    try:
        outcomes = await asyncio.gather(
            *(link(neo4j if i % 2 else other_worker, e) for i, e in enumerate(events))
        )
    finally:
        await other_worker.close()
    assert len({o.case_id for o in outcomes}) == 1
    assert sum(o.kind == "opened" for o in outcomes) == 1


async def test_concurrent_preparations_count_every_mention_of_a_shared_identifier(
    neo4j: AsyncDriver,
) -> None:
    # Each report's mention gets the next sequence number (the degree cap counts on it):
    # preparations racing on one identifier must not read the same count and lose one.
    shared = account(unique("count"))
    events = [triaged(platform_report(accounts=[shared])) for _ in range(16)]

    async def prepare(event: ReportTriaged) -> None:
        async with neo4j.session() as session:
            await session.execute_write(
                prepare_batch, [(event.payload, event.correlation_id)], datetime.now(UTC), 50
            )

    await asyncio.gather(*(prepare(e) for e in events))
    rows = await query(
        neo4j,
        "MATCH (r:Report)-[m:MENTIONS]->(i:Identifier) WHERE r.id IN $rids "
        "RETURN i.report_count AS count, collect(m.seq) AS seqs",
        rids=[str(e.payload.report_id) for e in events],
    )
    ((row),) = [r for r in rows if len(r["seqs"]) == len(events)]
    assert row["count"] == len(events)
    assert sorted(row["seqs"]) == list(range(len(events)))


async def test_suspects_sharing_a_phone_join_one_case_and_show_what_they_use(
    neo4j: AsyncDriver,
) -> None:
    phone = malaysian_mobile()
    first = await link(
        neo4j, triaged(platform_report(accounts=[account(unique("s1"), phone=phone)]))
    )
    second = await link(
        neo4j,
        triaged(platform_report(accounts=[account(unique("s2"), platform="chatapp", phone=phone)])),
    )
    assert second.case_id == first.case_id
    # The national number 012... is normalised to E.164 (+6012...): the only key they share.
    assert second.shared_keys == [f"phone:{e164(phone)}"]
    rows = await query(
        neo4j,
        "MATCH (su:Suspect)-[:USES]->(p:Identifier {kind: 'phone'})<-[:MENTIONS]-(r:Report) "
        "WHERE r.id IN $rids RETURN p.value AS phone, count(DISTINCT su) AS suspects",
        rids=[first.report_id, second.report_id],
    )
    assert rows == [{"phone": e164(phone), "suspects": 2}]


async def test_two_deliveries_of_one_report_at_once_are_one_report(neo4j: AsyncDriver) -> None:
    event = triaged(platform_report(accounts=[account(unique("dup"))]))
    outcomes = await asyncio.gather(*(link(neo4j, event) for _ in range(4)))
    assert len({(o.case_id, o.kind) for o in outcomes}) == 1
    assert sum(not o.replayed for o in outcomes) == 1
    rows = await query(
        neo4j, "MATCH (c:Case {id: $cid}) RETURN c.report_count AS n", cid=outcomes[0].case_id
    )
    assert rows == [{"n": 1}]


async def test_merges_racing_with_links_never_leave_a_report_in_a_merged_case(
    neo4j: AsyncDriver,
) -> None:
    # Each case has two accounts: bridges merge cases through one, while joiners reach the
    # same cases through the other, so no identifier lock orders a joiner after its merge.
    pairs = [(account(unique("p")), account(unique("q"))) for _ in range(12)]
    for p, q in pairs:
        await link(neo4j, triaged(platform_report(accounts=[p, q])))
    bridges = [triaged(platform_report(accounts=[pairs[i][0], pairs[i + 1][0]])) for i in range(11)]
    joiners = [triaged(platform_report(accounts=[q])) for _, q in pairs for _ in range(2)]
    events = bridges + joiners
    await asyncio.gather(*(link(neo4j, e) for e in events))
    rows = await query(
        neo4j,
        "MATCH (r:Report)-[:PART_OF]->(c:Case) WHERE r.id IN $rids "
        "RETURN collect(DISTINCT c.status) AS statuses, count(DISTINCT c) AS cases",
        rids=[str(e.payload.report_id) for e in events],
    )
    assert rows == [{"statuses": ["open"], "cases": 1}]


async def link_many(
    driver: AsyncDriver, events: list[ReportTriaged], cap: int = 50
) -> list[LinkOutcome]:
    async with driver.session() as session:
        return await session.execute_write(
            link_batch,
            [(e.payload, e.correlation_id) for e in events],
            datetime.now(UTC),
            cap,
            plan_tasks,
            _reconcile,
        )


async def test_a_batch_links_like_one_by_one(neo4j: AsyncDriver) -> None:
    a, b, c = account(unique("a")), account(unique("b")), account(unique("c"))
    old = await link(neo4j, triaged(platform_report(accounts=[b])))
    events = [
        triaged(platform_report(accounts=[a])),
        triaged(platform_report(accounts=[a, c])),
        triaged(platform_report(accounts=[c, b])),
        triaged(platform_report(accounts=[account(unique("alone"))])),
    ]
    events.append(events[0])  # the same report twice in one batch
    outcomes = await link_many(neo4j, events)
    # One by one, the first report would open a case that the third then merges into the
    # old one; in a batch that short-lived case is never opened. Every report ends in the
    # same case either way.
    assert [o.kind for o in outcomes] == ["linked", "linked", "linked", "opened", "linked"]
    assert {o.case_id for o in outcomes[:3]} == {old.case_id}
    assert outcomes[4].replayed
    assert outcomes[4].case_id == outcomes[0].case_id
    rows = await query(
        neo4j, "MATCH (c:Case {id: $cid}) RETURN c.report_count AS n", cid=old.case_id
    )
    assert rows == [{"n": 4}]
    again = await link_many(neo4j, events[:4])
    assert all(o.replayed for o in again)
    assert [o.case_id for o in again] == [o.case_id for o in outcomes[:4]]


async def test_the_degree_cap_counts_reports_inside_a_batch(neo4j: AsyncDriver) -> None:
    viral = {"sha256": uuid4().hex * 2}
    outcomes = await link_many(
        neo4j, [triaged(platform_report(content=[viral])) for _ in range(4)], cap=2
    )
    assert outcomes[1].case_id == outcomes[0].case_id
    assert outcomes[2].kind == "opened" and outcomes[3].kind == "opened"


async def test_a_merge_leaves_one_open_task_per_type_and_target(neo4j: AsyncDriver) -> None:
    a, b = account(unique("ta")), account(unique("tb"))
    older = await link(neo4j, triaged(platform_report(accounts=[a])))
    newer = await link(neo4j, triaged(platform_report(accounts=[b])))
    bridge_event = triaged(platform_report(accounts=[a, b]))
    bridge = await link(neo4j, bridge_event)
    assert bridge.kind == "merged"
    rows = await query(
        neo4j,
        "MATCH (:Case {id: $cid})-[:HAS_TASK]->(t:Task {task_type: 'criminal_referral', target: 'case'}) "
        "RETURN t.status AS status, t.superseded_by AS by ORDER BY t.created_at",
        cid=older.case_id,
    )
    (kept,) = [t for t in older.tasks if t.task_type == "criminal_referral"]
    assert rows == [
        {"status": "assigned", "by": None},
        {"status": "superseded", "by": kept.task_id},
    ]
    assert newer.case_id in bridge.merged_case_ids
    # The report that merged names every task its merge closed, so its agency is told
    # (streams.emit); a replay names them again.
    (closed,) = [t for t in newer.tasks if t.task_type == "criminal_referral"]
    closed_rows = await query(
        neo4j,
        "MATCH (t:Task {status: 'superseded', case_id: $cid}) RETURN t.id AS id",
        cid=older.case_id,
    )
    assert {r["id"] for r in closed_rows} == {t.task_id for t in bridge.superseded}
    assert closed.task_id in {t.task_id for t in bridge.superseded}
    assert {t.superseded_by for t in bridge.superseded} <= {t.task_id for t in older.tasks}
    assert all(t.case_id == older.case_id for t in bridge.superseded)
    replay = await link(neo4j, bridge_event)
    assert replay.replayed and replay.superseded == bridge.superseded


async def test_a_report_prepared_but_never_decided_links_once_when_redelivered(
    neo4j: AsyncDriver,
) -> None:
    # A crash between the two steps: the redelivery prepares nothing twice and decides once.
    shared = account(unique("crash"))
    first = await link(neo4j, triaged(platform_report(accounts=[shared])))
    event = triaged(platform_report(accounts=[shared]))
    async with neo4j.session() as session:
        await session.execute_write(
            prepare_batch, [(event.payload, event.correlation_id)], datetime.now(UTC), 50
        )
    again = await link(neo4j, event)
    assert (again.kind, again.case_id, again.replayed) == ("linked", first.case_id, False)
    (key,) = [i.key for i in event.payload.identifiers if i.kind == "account"]
    rows = await query(
        neo4j,
        "MATCH (i:Identifier {key: $key})<-[x:MENTIONS]-(r:Report) "
        "RETURN i.report_count AS n, collect(x.seq) AS seqs",
        key=key,
    )
    assert rows[0]["n"] == 2 and sorted(rows[0]["seqs"]) == [0, 1]


async def test_another_report_under_a_prepared_ids_undecided_report_is_refused(
    neo4j: AsyncDriver,
) -> None:
    """R is prepared, its batch waiting for the decision lock; R' comes under the same id
    (a platform reusing its reference) and decides first. It was decided with R's
    identifiers and its own triage and tasks, returned as linked, never dead-lettered."""
    ref = unique("CT-")
    mine = account(unique("mine"))
    r = triaged(platform_report(reference=ref, accounts=[mine], incident_type="csam"))
    other = account(unique("other"), platform="otherapp")
    r2 = triaged(
        platform_report(reference=ref, accounts=[other], escalate=True, incident_type="grooming")
    )
    assert r.payload.report_id == r2.payload.report_id
    assert r.payload.report_sha256 != r2.payload.report_sha256
    async with neo4j.session() as session:
        await session.execute_write(
            prepare_batch, [(r.payload, r.correlation_id)], datetime.now(UTC), 50
        )

    refused = await link(neo4j, r2)
    decided = await link(neo4j, r)

    assert refused.reused_id and refused.tasks == []
    assert (decided.kind, decided.reused_id, decided.priority) == ("opened", False, "P2")
    rows = await query(
        neo4j,
        "MATCH (:Case {id: $cid})-[:HAS_TASK]->(t) RETURN t.task_type AS type, t.target AS target",
        cid=decided.case_id,
    )
    assert sorted((row["type"], row["target"]) for row in rows) == [
        ("criminal_referral", "case"),
        ("preservation_request", "testgram"),
    ]


async def test_the_case_that_opened_first_survives_whenever_its_batch_started(
    neo4j: AsyncDriver,
) -> None:
    """A batch started earlier but decided later (its preparation waited on a lock) opened
    its case with the batch's start time: the case opened later survived their merge."""
    one, two = account(unique("first")), account(unique("second"))
    opened_first = await link(neo4j, triaged(platform_report(accounts=[one])))
    started_before = datetime.now(UTC) - timedelta(seconds=30)
    late = triaged(platform_report(accounts=[two]))
    (opened_later,) = await link_in_two_steps(
        neo4j, "neo4j", [(late.payload, late.correlation_id)], started_before, 50, plan_tasks,
        _reconcile,
    )  # fmt: skip
    bridge = await link(neo4j, triaged(platform_report(accounts=[one, two])))
    assert opened_later.case_id != opened_first.case_id
    assert (bridge.kind, bridge.case_id) == ("merged", opened_first.case_id)


async def test_of_cases_opened_in_one_batch_the_first_in_it_is_the_older(
    neo4j: AsyncDriver,
) -> None:
    """Opened at one time, the case a later merge kept was the one whose id sorts first."""
    while True:  # the second report's case id sorts first: the old tie-break's pick
        first, second = (triaged(platform_report(accounts=[account(unique("b"))])) for _ in "12")
        if case_id_for(str(second.payload.report_id)) < case_id_for(str(first.payload.report_id)):
            break
    outcomes = await link_in_two_steps(
        neo4j, "neo4j", [(e.payload, e.correlation_id) for e in (first, second)],
        datetime.now(UTC), 50, plan_tasks, _reconcile,
    )  # fmt: skip
    accounts = [
        {"platform": "testgram", "username": i.value.rpartition(":")[2]}
        for e in (first, second)
        for i in e.payload.identifiers
        if i.kind == "account"
    ]
    bridge = await link(neo4j, triaged(platform_report(accounts=accounts)))
    assert (bridge.kind, bridge.case_id) == ("merged", outcomes[0].case_id)


async def test_one_transaction_and_two_steps_link_alike(neo4j: AsyncDriver) -> None:
    shared = account(unique("alike"))
    first = await link_in_one_transaction(neo4j, triaged(platform_report(accounts=[shared])))
    second = await link(neo4j, triaged(platform_report(accounts=[shared])))
    third = await link_in_one_transaction(neo4j, triaged(platform_report(accounts=[shared])))
    assert first.kind == "opened"
    assert (second.kind, second.case_id) == ("linked", first.case_id)
    assert (third.kind, third.case_id) == ("linked", first.case_id)


async def test_mentions_past_the_degree_cap_never_pull_their_cases_in(neo4j: AsyncDriver) -> None:
    # q mentions the file second (linkable under a cap of 2) but is decided after r, the third
    # mention, which opened a case of its own: q joins the first case and merges nothing.
    viral = {"sha256": uuid4().hex * 2}
    first = await link(neo4j, triaged(platform_report(content=[viral])), cap=2)
    q = triaged(platform_report(content=[viral]))
    async with neo4j.session() as session:
        await session.execute_write(
            prepare_batch, [(q.payload, q.correlation_id)], datetime.now(UTC), 2
        )
    r = await link(neo4j, triaged(platform_report(content=[viral])), cap=2)
    assert r.kind == "opened"
    decided = await link(neo4j, q, cap=2)
    assert (decided.kind, decided.case_id, decided.merged_case_ids) == (
        "linked",
        first.case_id,
        [],
    )
    rows = await query(neo4j, "MATCH (c:Case {id: $cid}) RETURN c.status AS status", cid=r.case_id)
    assert rows == [{"status": "open"}]


async def test_a_slot_whose_task_was_closed_gets_a_new_task(neo4j: AsyncDriver) -> None:
    shared = account(unique("closed"))
    first = await link(neo4j, triaged(platform_report(accounts=[shared])))
    (referral,) = [t for t in first.tasks if t.task_type == "criminal_referral"]
    await query(neo4j, "MATCH (t:Task {id: $tid}) SET t.status = 'completed'", tid=referral.task_id)
    again = await link(neo4j, triaged(platform_report(accounts=[shared])))
    assert again.case_id == first.case_id
    (renewed,) = [t for t in again.tasks if t.task_type == "criminal_referral"]
    assert renewed.change == "assigned" and renewed.task_id != referral.task_id
    rows = await query(
        neo4j,
        "MATCH (:Case {id: $cid})-[:HAS_TASK]->(t:Task {task_type: 'criminal_referral'}) "
        "RETURN t.id AS id, t.status AS status ORDER BY t.created_at",
        cid=first.case_id,
    )
    assert rows == [
        {"id": referral.task_id, "status": "completed"},
        {"id": renewed.task_id, "status": "assigned"},
    ]


async def test_a_new_account_points_at_its_platform_once(neo4j: AsyncDriver) -> None:
    platform = unique("plat")
    a, b = account(unique("a"), platform=platform), account(unique("b"), platform=platform)
    # Two batches (one report each, then two at once) mention the accounts again.
    await link(neo4j, triaged(platform_report(accounts=[a])))
    await link_many(
        neo4j,
        [triaged(platform_report(accounts=[a, b])), triaged(platform_report(accounts=[b]))],
    )
    rows = await query(
        neo4j,
        "MATCH (i:Account)-[e:ON_PLATFORM]->(:Platform {name: $p}) "
        "RETURN i.value AS value, count(e) AS edges ORDER BY value",
        p=platform,
    )
    assert rows == [
        {"value": f"{platform}:u:{a['username']}", "edges": 1},
        {"value": f"{platform}:u:{b['username']}", "edges": 1},
    ]


async def two_cases_with_referrals(
    neo4j: AsyncDriver,
) -> tuple[dict, dict, LinkOutcome, str, str]:
    """Two cases, one account each; the older one's and the newer one's PDRM referral."""
    a, b = account(unique("a")), account(unique("b"))
    older = await link(neo4j, triaged(platform_report(accounts=[a])))
    newer = await link(neo4j, triaged(platform_report(accounts=[b])))
    (old_ref,) = [t.task_id for t in older.tasks if t.task_type == "criminal_referral"]
    (new_ref,) = [t.task_id for t in newer.tasks if t.task_type == "criminal_referral"]
    return a, b, older, old_ref, new_ref


async def test_a_merge_keeps_the_task_an_officer_works_on(neo4j: AsyncDriver) -> None:
    from graph.lifecycle import Action
    from tests.integration.test_lifecycle import act

    a, b, older, old_ref, new_ref = await two_cases_with_referrals(neo4j)
    await act(neo4j, new_ref, Action.CLAIM, Agency.PDRM)
    bridge = await link(neo4j, triaged(platform_report(accounts=[a, b])))
    # The newer case's referral is claimed: it stays, in the surviving (older) case, and the
    # unclaimed one closes, although it is older.
    assert [(t.task_id, t.superseded_by) for t in bridge.superseded if t.agency == "PDRM"] == [
        (old_ref, new_ref)
    ]
    rows = await query(
        neo4j,
        "MATCH (t:Task) WHERE t.id IN [$old, $new] RETURN t.id AS id, t.status AS status, "
        "t.case_id AS cid ORDER BY t.id",
        old=old_ref,
        new=new_ref,
    )
    assert {r["id"]: (r["status"], r["cid"]) for r in rows} == {
        old_ref: ("superseded", older.case_id),
        new_ref: ("claimed", older.case_id),
    }
    # The surviving case now holds an officer's work: it is in progress, and says so.
    assert bridge.case_status == CaseStatusChange(older.case_id, "open", "in_progress")
    assert await case_statuses(neo4j, older.case_id) == ["in_progress"]
    # Its timeline tells what closed, after what happened to it before, in order.
    timeline = await query(
        neo4j,
        "MATCH (:Case {id: $cid})-[:HAS_EVENT]->(e:TimelineEntry) "
        "RETURN e.seq AS seq, e.kind AS kind, e.task_id AS task, e.summary AS summary "
        "ORDER BY e.seq",
        cid=older.case_id,
    )
    closed = [e for e in timeline if e["kind"] == "TaskSuperseded"]
    assert sorted(e["task"] for e in closed) == sorted(t.task_id for t in bridge.superseded)
    assert f"PDRM superseded: criminal_referral (continued by task {new_ref})" in {
        e["summary"] for e in closed
    }
    assert [e["seq"] for e in timeline] == list(range(1, len(timeline) + 1))


async def test_superseded_entries_continue_the_survivors_timeline(neo4j: AsyncDriver) -> None:
    from graph.lifecycle import Action
    from tests.integration.test_lifecycle import act

    a, b, older, old_ref, _ = await two_cases_with_referrals(neo4j)
    await act(neo4j, old_ref, Action.CLAIM, Agency.PDRM)  # the surviving case's entry 1
    bridge = await link(neo4j, triaged(platform_report(accounts=[a, b])))
    timeline = await query(
        neo4j,
        "MATCH (:Case {id: $cid})-[:HAS_EVENT]->(e:TimelineEntry) "
        "RETURN e.seq AS seq, e.kind AS kind, e.task_id AS task ORDER BY e.seq",
        cid=older.case_id,
    )
    assert [(e["seq"], e["kind"], e["task"]) for e in timeline[:1]] == [(1, "TaskClaimed", old_ref)]
    assert [e["seq"] for e in timeline] == list(range(1, len(bridge.superseded) + 2))
    assert sorted(e["task"] for e in timeline[1:]) == sorted(t.task_id for t in bridge.superseded)
    assert {e["kind"] for e in timeline[1:]} == {"TaskSuperseded"}


async def case_statuses(neo4j: AsyncDriver, *case_ids: str) -> list[str]:
    rows = await query(
        neo4j,
        "UNWIND $ids AS id MATCH (c:Case {id: id}) RETURN c.status AS status",
        ids=list(case_ids),
    )
    return [r["status"] for r in rows]


async def test_a_report_joining_a_closed_case_reopens_it_with_new_tasks(
    neo4j: AsyncDriver,
) -> None:
    a = account(unique("a"))
    first = await link(neo4j, triaged(platform_report(accounts=[a])))
    again = await link(neo4j, triaged(platform_report(accounts=[a])))
    assert again.case_id == first.case_id and again.case_status is None
    # The agencies finished everything on the case (as officers' actions would leave it).
    await query(
        neo4j,
        "MATCH (c:Case {id: $cid})-[:HAS_TASK]->(t:Task) SET t.status = 'completed', "
        "c.status = 'closed'",
        cid=first.case_id,
    )
    reopened = await link(neo4j, triaged(platform_report(accounts=[a])))
    assert reopened.case_id == first.case_id
    assert [t.change for t in reopened.tasks] and {t.change for t in reopened.tasks} == {"assigned"}
    assert reopened.case_status == CaseStatusChange(first.case_id, "closed", "in_progress")
    assert await case_statuses(neo4j, first.case_id) == ["in_progress"]


OFFICERS_WORDS = "the child may be moved tonight: needs a supervisor now"


@pytest.mark.parametrize(
    ("old_status", "new_status", "new_claimed", "new_reason", "kept"),
    [
        # Received only says the queue saw it: between untouched tasks the oldest stays.
        ("assigned", "received", False, None, "old"),
        # Escalated by the officer who claimed it is that officer's work: it outranks a
        # task merely claimed in the other case.
        ("claimed", "escalated", True, OFFICERS_WORDS, "new"),
        # Escalated by the SLA check, unclaimed: still kept over one nobody picked up.
        ("received", "escalated", False, "unclaimed", "new"),
        # ... but not over a colleague's claim: someone has picked the work up.
        ("claimed", "escalated", False, "unclaimed", "old"),
        ("claimed", "escalated", False, "unclaimed; then overdue", "old"),
        # An officer's escalation of a task nobody claimed is an alarm: closed in favour of a
        # colleague's claim, it was gone with its reason (a review, 2026-12-02).
        ("claimed", "escalated", False, OFFICERS_WORDS, "new"),
        ("in_progress", "escalated", False, f"{OFFICERS_WORDS}; then overdue", "new"),
        # No reason: written by hand, ranked as the SLA check's.
        ("claimed", "escalated", False, None, "old"),
    ],
)
async def test_a_merge_keeps_the_task_furthest_along(
    neo4j: AsyncDriver,
    old_status: str,
    new_status: str,
    new_claimed: bool,
    new_reason: str | None,
    kept: str,
) -> None:
    a, b, _, old_ref, new_ref = await two_cases_with_referrals(neo4j)
    await query(
        neo4j,
        "MATCH (t:Task {id: $id}) SET t.status = $s, t.claimed_by = $by",
        id=old_ref,
        s=old_status,
        by="officer-2" if old_status in ("claimed", "in_progress") else None,
    )
    await query(
        neo4j,
        "MATCH (t:Task {id: $id}) SET t.status = $s, t.claimed_by = $by, t.reason = $reason",
        id=new_ref,
        s=new_status,
        by="officer-1" if new_claimed else None,
        reason=new_reason,
    )
    bridge = await link(neo4j, triaged(platform_report(accounts=[a, b])))
    keeper, closed = (old_ref, new_ref) if kept == "old" else (new_ref, old_ref)
    assert [(t.task_id, t.superseded_by) for t in bridge.superseded if t.agency == "PDRM"] == [
        (closed, keeper)
    ]


@pytest.mark.parametrize(
    ("old_status", "old_claimed", "old_by", "new_by", "new_reason", "kept"),
    [
        # An officer who typed the SLA check's word is still an officer (a review).
        ("claimed", True, None, "pdrm-officer-1", "overdue", "new"),
        # The SLA check's, told by who escalated: below a claim.
        ("claimed", True, None, "system", "unclaimed", "old"),
    ],
)
async def test_a_merge_ranks_an_escalation_by_who_escalated(
    neo4j: AsyncDriver,
    old_status: str,
    old_claimed: bool,
    old_by: str | None,
    new_by: str,
    new_reason: str,
    kept: str,
) -> None:
    a, b, _, old_ref, new_ref = await two_cases_with_referrals(neo4j)
    await query(
        neo4j,
        "MATCH (t:Task {id: $id}) SET t.status = $s, t.claimed_by = $by, t.escalated_by = $esc, "
        "t.reason = CASE WHEN $esc IS NULL THEN NULL ELSE 'overdue' END",
        id=old_ref,
        s=old_status,
        by="pdrm-officer-2" if old_claimed else None,
        esc=old_by,
    )
    await query(
        neo4j,
        "MATCH (t:Task {id: $id}) SET t.status = 'escalated', t.claimed_by = null, "
        "t.escalated_by = $esc, t.reason = $reason",
        id=new_ref,
        esc=new_by,
        reason=new_reason,
    )
    bridge = await link(neo4j, triaged(platform_report(accounts=[a, b])))
    keeper, closed = (new_ref, old_ref) if kept == "new" else (old_ref, new_ref)
    assert [(t.task_id, t.superseded_by) for t in bridge.superseded if t.agency == "PDRM"] == [
        (closed, keeper)
    ]


async def test_a_merge_keeps_an_escalation_with_a_claimant_over_an_older_unclaimed_one(
    neo4j: AsyncDriver,
) -> None:
    """The older task escalated by an officer and left unclaimed, the newer one claimed and
    then escalated: the claimant's stays (a review of the first version, which kept the
    older)."""
    a, b, _, old_ref, new_ref = await two_cases_with_referrals(neo4j)
    await query(
        neo4j,
        "MATCH (t:Task {id: $id}) SET t.status = 'escalated', t.escalated_by = 'pdrm-officer-1', "
        "t.reason = $reason",
        id=old_ref,
        reason=OFFICERS_WORDS,
    )
    await query(
        neo4j,
        "MATCH (t:Task {id: $id}) SET t.status = 'escalated', t.claimed_by = 'pdrm-officer-2', "
        "t.escalated_by = 'system', t.reason = 'overdue'",
        id=new_ref,
    )
    bridge = await link(neo4j, triaged(platform_report(accounts=[a, b])))
    assert [(t.task_id, t.superseded_by) for t in bridge.superseded if t.agency == "PDRM"] == [
        (old_ref, new_ref)
    ]


async def test_a_merge_never_supersedes_a_task_completed_while_it_ran(neo4j: AsyncDriver) -> None:
    a, b, older, old_ref, new_ref = await two_cases_with_referrals(neo4j)
    await query(neo4j, "MATCH (t:Task {id: $id}) SET t.status = 'claimed'", id=new_ref)
    # An officer completes the older case's referral; the merge reads it as open, then
    # waits for the officer's lock, and must see the completion once it has the lock.
    officer = neo4j.session()
    tag = unique("officer")
    tx = await officer.begin_transaction(metadata={"test": tag})
    await tx.run("MATCH (t:Task {id: $id}) SET t.status = 'completed'", id=old_ref)
    merging = asyncio.create_task(link(neo4j, triaged(platform_report(accounts=[a, b]))))
    try:
        # The race this test is about ran only if the merge waits for the officer's lock.
        assert await blocked_behind(neo4j, tag), "the merge never waited for the officer"
        assert not merging.done()
    finally:
        await tx.commit()
        await officer.close()
    bridge = await merging
    assert bridge.kind == "merged"
    assert old_ref not in {t.task_id for t in bridge.superseded}
    rows = await query(neo4j, "MATCH (t:Task {id: $id}) RETURN t.status AS status", id=old_ref)
    assert rows == [{"status": "completed"}]


async def test_facts_a_report_states_carry_first_seen_last_seen_and_the_report(
    neo4j: AsyncDriver,
) -> None:
    """Every relationship a report states about the world carries when it was first and
    last seen and which report said so (ON_PLATFORM and SUBMITTED_BY carried nothing)."""
    event = triaged(
        platform_report(
            accounts=[account(unique("u"), platform=unique("plat"))],
            content=[{"md5": uuid4().hex}],
            victim={"age": 12, "pseudonym_ref": unique("VIC-")},
        )
    )
    await link(neo4j, event)
    rows = await query(
        neo4j,
        "MATCH (r:Report {id: $rid})-[x]-(n) WHERE NOT type(x) IN ['PART_OF'] "
        "OPTIONAL MATCH (n)-[y:ON_PLATFORM]->(:Platform) "
        "RETURN type(x) AS type, properties(x) AS props, properties(y) AS platform_props",
        rid=str(event.payload.report_id),
    )
    types = {row["type"] for row in rows}
    assert {"MENTIONS", "NAMES", "CONCERNS", "SUBMITTED_BY"} <= types
    for row in rows:
        assert row["props"]["report_id"] == str(event.payload.report_id), row["type"]
        assert row["props"]["first_seen"] is not None and row["props"]["last_seen"] is not None
    on_platform = [row["platform_props"] for row in rows if row["platform_props"]]
    assert on_platform and all(p["report_id"] == str(event.payload.report_id) for p in on_platform)
    assert all(p["first_seen"] is not None and p["last_seen"] is not None for p in on_platform)


async def test_seen_times_never_go_back(neo4j: AsyncDriver) -> None:
    """A batch's time is taken when it starts: one that waited for an identifier's lock
    while a later batch linked wrote its earlier time over the later last_seen (a review)."""
    later = datetime.now(UTC)
    shared = account(unique("u"), platform=unique("plat"))
    first = triaged(platform_report(accounts=[shared]))
    await link(neo4j, first, now=later)
    await link(neo4j, triaged(platform_report(accounts=[shared])), now=later - timedelta(hours=1))
    rows = await query(
        neo4j,
        "MATCH (:Report {id: $rid})-[:MENTIONS]->(i:Identifier {kind: 'account'}) "
        "MATCH (s:Suspect)-[u:USES]->(i) "
        "RETURN i.last_seen AS identifier, s.last_seen AS suspect, u.last_seen AS uses",
        rid=str(first.payload.report_id),
    )
    assert rows and all(set(row.values()) == {later} for row in rows), rows


def _public(username: str, description: str) -> ReportTriaged:
    return _public_report(description=description, usernames=[username], platform="chatapp")


def _public_report(**fields: Any) -> ReportTriaged:
    report = PublicReport(**fields)
    rid = uuid4()
    return triaged(
        ReportSubmitted(
            occurred_at=datetime.now(UTC),
            producer="tests",
            correlation_id=rid,
            payload=ReportPayload(report_id=rid, report=report),
        )
    )


async def test_a_second_child_in_danger_updates_the_open_tasks_and_tells_their_agencies(
    neo4j: AsyncDriver,
) -> None:
    """Emergency response (target: the case) and support for a child the report does not
    name (target: unidentified-victim) are one task a case: a second child reported in
    danger on a case with both open, claimed and overdue, changed no task and sent no
    event, so no agency heard of it."""
    from tests.integration.test_lifecycle import act

    groomer = unique("uncle")
    first = await link(neo4j, _public(groomer, "my 9 year old daughter is in danger"))
    emergency = next(t for t in first.tasks if t.task_type == "emergency_response")
    await act(neo4j, emergency.task_id, Action.CLAIM, Agency.PDRM)
    second_event = _public(groomer, "my 11 year old son is in danger, same man")
    second = await link(neo4j, second_event)
    assert second.case_id == first.case_id
    changes = {t.task_type: t for t in second.tasks}
    assert {"emergency_response", "victim_support"} <= set(changes)
    assert changes["emergency_response"].change == "updated"
    assert changes["emergency_response"].task_id == emergency.task_id
    assert changes["emergency_response"].reasons[0] == (
        f"report {second.report_id} calls for this task too"
    )
    events = events_for(second, second_event, "tests", datetime.now(UTC))
    told = {(topic, type(e).__name__) for topic, _, e in events}
    assert (topics.AGENCY_TASKS[Agency.PDRM], "TaskUpdated") in told
    assert (topics.AGENCY_TASKS[Agency.KPWKM], "TaskUpdated") in told
    task = await get_task(neo4j, emergency.task_id)
    assert task is not None and task.status == "claimed"  # the officer keeps it
    assert task.updated_at is not None
    assert task.due_at == datetime.fromisoformat(emergency.due_at)  # a note moves no deadline
    rows = await query(
        neo4j, "MATCH (t:Task {id: $id}) RETURN t.reasons AS reasons", id=emergency.task_id
    )
    assert rows[0]["reasons"][0] == f"report {second.report_id} calls for this task too"
    assert rows[0]["reasons"][1:] == emergency.reasons  # the task's own reasons stay


async def test_another_report_under_a_used_id_is_not_answered_as_a_resend(
    neo4j: AsyncDriver,
) -> None:
    """A platform reusing a reference for a new incident got the first report's outcome, as
    a resend would: the new report was never linked and left no dead letter."""
    reference = unique("CT-")
    first_event = triaged(platform_report(reference=reference, accounts=[account(unique("a"))]))
    first = await link(neo4j, first_event)
    resend = await link(neo4j, first_event)
    assert resend.replayed and not resend.reused_id
    other = triaged(platform_report(reference=reference, accounts=[account(unique("b"))]))
    assert other.payload.report_id == first_event.payload.report_id  # derived from the reference
    again = await link(neo4j, other)
    assert again.reused_id
    assert again.case_id == first.case_id  # what the id already holds, for the dead letter
    rows = await query(
        neo4j,
        "MATCH (r:Report {id: $rid}) RETURN r.report_sha256 AS sha",
        rid=str(first_event.payload.report_id),
    )
    assert rows == [{"sha": first_event.payload.report_sha256}]


async def test_the_linker_stages_a_merges_lifecycle_events_with_its_decision(
    neo4j: AsyncDriver,
) -> None:
    """Tasks a merge superseded and the case's new status go through the graph's outbox,
    committed with the decision and ordered with officers' changes of the same tasks and
    cases: sent after the commit, straight to Kafka, they could arrive before an officer's
    earlier change, staged a moment before and relayed after."""
    from streams import linker
    from tests.integration.staged import Staged
    from tests.integration.test_lifecycle import act

    a, b, older, _, new_ref = await two_cases_with_referrals(neo4j)
    await act(neo4j, new_ref, Action.CLAIM, Agency.PDRM)  # stages the officer's own events
    staged = await Staged.from_now(neo4j)
    event = triaged(platform_report(accounts=[a, b]))
    (bridge,) = await linker.link(neo4j, [event])
    mine = [
        (t, k, e) for t, k, e in await staged.sent() if e.correlation_id == event.correlation_id
    ]

    assert bridge.superseded and bridge.case_status is not None
    # The merged case's end too (since 2026-12-02: told on the cases topic only).
    assert [c.case_id for c in bridge.merged_statuses] == bridge.merged_case_ids
    assert sorted((type(e).__name__, k) for _, k, e in mine) == sorted(
        [("TaskSuperseded", t.task_id) for t in bridge.superseded]
        + [("CaseStatusChanged", older.case_id)]
        + [("CaseStatusChanged", cid) for cid in bridge.merged_case_ids]
    )
    assert {t for t, _, _ in mine} == {topics.TASK_EVENTS}
    assert all(e.causation_id == event.event_id for _, _, e in mine)
    after_commit = events_for(bridge, event, linker.PRODUCER, datetime.now(UTC))
    assert {type(e).__name__ for _, _, e in after_commit}.isdisjoint(
        {"TaskSuperseded", "CaseStatusChanged"}
    )
    # A redelivery (or its dead letter sent back) answers from the stored outcome and stages
    # nothing: staged again, its events went out after officers' newer changes of the same
    # case ('closed -> open' last, on a case closed since: a bug hunt, 2026-12-01).
    again = await Staged.from_now(neo4j)
    (replayed,) = await linker.link(neo4j, [event])
    assert replayed.replayed
    assert [e for _, _, e in await again.sent() if e.correlation_id == event.correlation_id] == []
    # One decided before its events were staged with it (no mark), or whose events could
    # not be built then, gets them on its redelivery, with the same ids, once.
    await neo4j.execute_query(
        "MATCH (r:Report {id: $rid}) REMOVE r.lifecycle_staged", rid=bridge.report_id
    )
    for expected in (mine, []):
        once = await Staged.from_now(neo4j)
        await linker.link(neo4j, [event])
        mine_again = [
            e for _, _, e in await once.sent() if e.correlation_id == event.correlation_id
        ]
        assert sorted(str(e.event_id) for e in mine_again) == sorted(
            str(e.event_id) for _, _, e in expected
        )


async def test_a_report_whose_events_could_not_be_built_gets_them_on_its_redelivery(
    neo4j: AsyncDriver,
) -> None:
    """The decision marks its reports' events staged with their outcomes; a report whose
    events could not be built (kept as a dead letter) is unmarked, and staged when sent
    back, once."""
    from streams import linker
    from tests.integration.staged import Staged

    a, b, older, _, _ = await two_cases_with_referrals(neo4j)
    event = triaged(platform_report(accounts=[a, b]))
    (bridge,) = await link_in_two_steps(
        neo4j, "neo4j", [(event.payload, event.correlation_id)], datetime.now(UTC), 50,
        plan_tasks, _reconcile, announce=lambda outcome, now: None,
    )  # fmt: skip
    assert bridge.superseded
    rows = await query(
        neo4j,
        "MATCH (r:Report {id: $rid}) RETURN r.lifecycle_staged AS staged",
        rid=bridge.report_id,
    )
    assert rows == [{"staged": None}]
    # The superseded tasks (and the case's status, had it changed), then nothing.
    told = len(bridge.superseded) + len(bridge.merged_statuses) + (bridge.case_status is not None)
    for expected in (told, 0):
        once = await Staged.from_now(neo4j)
        (again,) = await linker.link(neo4j, [event])
        assert again.replayed
        mine = [e for _, _, e in await once.sent() if e.correlation_id == event.correlation_id]
        assert len(mine) == expected


async def test_a_decision_counts_the_time_it_held_the_decision_lock(neo4j: AsyncDriver) -> None:
    """ocsea_decision_lock_held_seconds: the serial part of linking, which the bench prints
    as a share of each phase."""
    from runtime.metrics import DECISION_LOCK_HELD

    before = DECISION_LOCK_HELD._value.get()
    await link(neo4j, triaged(platform_report(accounts=[account(unique("lock"))])))
    held = DECISION_LOCK_HELD._value.get() - before
    assert 0 < held < 30


async def test_reports_of_one_video_linked_two_ways_and_of_one_host_typed_two_ways_join(
    neo4j: AsyncDriver,
) -> None:
    """A video shared from the app ('youtu.be/ID?si=...') and from a browser ('watch?v=ID&
    t=42s'), a site typed with a Chinese input method ('ｅｘａｍｐｌｅ。com/...') and in ASCII:
    each pair is one identifier, so one case. They opened two cases each."""
    video, page = uuid4().hex[:11], f"p-{uuid4().hex}"
    for first, second in [
        (f"https://youtu.be/{video}?si=AbCdEf", f"https://www.youtube.com/watch?v={video}&t=42s"),
        (f"ｅｘａｍｐｌｅ。com/{page}", f"https://example.com/{page}"),
    ]:
        one = await link(neo4j, _public_report(description="a video", urls=[first]))
        other = await link(neo4j, _public_report(description="a video", urls=[second]))
        assert (one.kind, other.kind) == ("opened", "linked")
        assert other.case_id == one.case_id


async def test_a_childs_report_naming_an_account_in_its_words_joins_the_platforms_case(
    neo4j: AsyncDriver,
) -> None:
    """A platform reports an account; a child reports the same account by the link it wrote
    into the description (in Malay, no field filled in): one case. It opened a case of its
    own, linked to nothing."""
    handle = f"uncle_{uuid4().hex[:8]}"
    platform = await link(
        neo4j, triaged(platform_report(accounts=[account(handle, platform="Telegram")]))
    )
    words = f"Dia ajak saya hantar gambar. Akaun dia https://t.me/{handle}. Tolong saya."
    child = _public_report(description=words)
    assert f"account:telegram:u:{handle}" in [i.key for i in child.payload.identifiers]
    outcome = await link(neo4j, child)
    assert (outcome.kind, outcome.case_id) == ("linked", platform.case_id)


async def test_a_public_reports_takedown_goes_to_where_its_links_are(neo4j: AsyncDriver) -> None:
    """MCMC's notice for a video a child linked in their words goes to YouTube, not to an
    unknown host."""
    video = uuid4().hex[:11]
    outcome = await link(
        neo4j, _public_report(description=f"dia hantar video ini youtu.be/{video} semalam")
    )
    takedowns = [(t.agency, t.target) for t in outcome.tasks if t.task_type == "takedown_notice"]
    assert takedowns == [("MCMC", "youtube")]


async def test_the_drivers_debug_lines_do_not_spell_out_a_batchs_rows(
    neo4j: AsyncDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """For every statement the driver builds a debug line with repr() of its parameters,
    written or not (~4 % of the worker's time): the linker's batches give it a summary, so
    it costs little, and the line holds no identifier of a report."""
    handle = unique("debugline")
    event = triaged(platform_report(accounts=[account(handle)]))
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        outcome = await link(neo4j, event)
    assert outcome.kind == "opened"
    runs = [r.getMessage() for r in caplog.records if " C: RUN " in r.getMessage()]
    assert [line for line in runs if handle.lower() in line.lower()] == []
    # Each statement of the linker passes its batch as a summary: the reports' lock, the
    # preparation, the decision's read and its two writes.
    summarised = [line for line in runs if "'batch': <batch: " in line]
    assert len(summarised) == 5, runs
    assert any("<batch: reports (1), identifiers (" in line for line in summarised)


async def test_a_merge_keeps_the_most_urgent_priority_and_due_time_of_the_tasks_it_joins(
    neo4j: AsyncDriver,
) -> None:
    """An older P3 case merged with a newer P1 one: each slot's older task stays, and it
    was left at P3, due in days, while the P1 task it replaced closed as superseded."""
    a, b = account(unique("a")), account(unique("b"))
    c, d = account(unique("c"), platform="otherapp"), account(unique("d"), platform="otherapp")
    older = await link(neo4j, triaged(platform_report(accounts=[a, c], incident_type="grooming")))
    newer = await link(neo4j, triaged(platform_report(accounts=[b, d], escalate=True)))
    assert (older.priority, newer.priority) == ("P3", "P1")

    def slot(outcome: LinkOutcome, task_type: str, target: str) -> Any:
        (task,) = [t for t in outcome.tasks if (t.task_type, t.target) == (task_type, target)]
        return task

    # The bridge calls for the referral and testgram's preservation itself, not otherapp's.
    bridge = await link(neo4j, triaged(platform_report(accounts=[a, b], incident_type="grooming")))
    assert bridge.kind == "merged" and bridge.case_id == older.case_id
    for task_type, target in [("criminal_referral", "case"), ("preservation_request", "otherapp")]:
        kept, joined = slot(older, task_type, target), slot(newer, task_type, target)
        assert (joined.task_id, kept.task_id) in {
            (t.task_id, t.superseded_by) for t in bridge.superseded
        }
        rows = await query(
            neo4j,
            "MATCH (t:Task {id: $id}) RETURN t.status AS status, t.priority AS priority, "
            "t.due_at = datetime($due) AS due_joined, t.reasons AS reasons, "
            "t.claim_by < datetime($due) AS claim_before_due",
            id=kept.task_id,
            due=joined.due_at,
        )
        assert rows == [
            {
                "status": "assigned",
                "priority": "P1",
                "due_joined": True,
                "reasons": rows[0]["reasons"],
                "claim_before_due": True,
            }
        ]
        # Its agency is told, by the report whose merge raised it.
        told = slot(bridge, task_type, target)
        assert (told.change, told.task_id, told.priority) == ("updated", kept.task_id, "P1")
        assert datetime.fromisoformat(told.due_at) == datetime.fromisoformat(joined.due_at)
    assert slot(bridge, "preservation_request", "otherapp").reasons[0] == (
        "priority raised from P3 to P1: a merge joined a more urgent task of its type and target"
    )
    # The merge's record holds what undoing it must restore: the tasks it closed with the
    # status each had, the tasks it raised with the priority and due time each had, and the
    # survivor's priority and categories before.
    (record,) = await query(
        neo4j,
        "MATCH (:Case {id: $loser})-[m:MERGED_INTO]->(:Case {id: $survivor}) "
        "RETURN m.superseded_tasks AS superseded, m.superseded_statuses AS statuses, "
        "m.raised_tasks AS raised, m.raised_priorities AS priorities, "
        "[d IN m.raised_due_times | toString(d)] AS due_times, "
        "m.survivor_priority AS priority, m.survivor_categories AS categories",
        loser=newer.case_id,
        survivor=older.case_id,
    )
    closed = {t.task_id: "assigned" for t in bridge.superseded}
    assert dict(zip(record["superseded"], record["statuses"], strict=True)) == closed
    raised = zip(record["raised"], record["priorities"], record["due_times"], strict=True)
    before = {t: (p, datetime.fromisoformat(d)) for t, p, d in raised}
    assert set(before) <= {t.superseded_by for t in bridge.superseded}
    for task_type, target in [("criminal_referral", "case"), ("preservation_request", "otherapp")]:
        kept = slot(older, task_type, target)
        assert before[kept.task_id] == ("P3", datetime.fromisoformat(kept.due_at))
    assert record["priority"] == "P3"
    assert record["categories"] == list(older.categories)


async def test_the_case_opened_first_survives_a_merge_to_the_fraction_of_a_second(
    neo4j: AsyncDriver,
) -> None:
    """Compared as text, a case opened at a whole second ('...:00Z') sorted after one
    opened 0.3 s later ('...:00.3Z'), and the newer case survived."""
    a, b = account(unique("a")), account(unique("b"))
    first = await link(neo4j, triaged(platform_report(accounts=[a])))
    later = await link(neo4j, triaged(platform_report(accounts=[b])))
    for case_id, opened in [(first.case_id, "10:00:00Z"), (later.case_id, "10:00:00.3Z")]:
        await query(
            neo4j,
            "MATCH (c:Case {id: $id}) SET c.opened_at = datetime($at)",
            id=case_id,
            at=f"2026-11-30T{opened}",
        )
    bridge = await link(neo4j, triaged(platform_report(accounts=[a, b])))
    assert bridge.kind == "merged"
    assert (bridge.case_id, bridge.merged_case_ids) == (first.case_id, [later.case_id])


async def test_a_worker_whose_clock_is_behind_opens_its_cases_after_the_decisions_before(
    neo4j: AsyncDriver,
) -> None:
    """Two workers on hosts whose clocks differ: the one behind timed its case before the
    case the other had just opened, and a merge of the two kept the newer as the older. A
    decision's time is never before the one before it (the decision lock records it)."""
    a, b = account(unique("a")), account(unique("b"))
    # A worker whose clock is 30 s ahead (within MAX_CLOCK_LEAD): far enough that this host's
    # clock does not pass it while the test runs, which would hide the defect.
    ahead = datetime.now(UTC) + timedelta(seconds=30)
    try:
        first = await link(neo4j, triaged(platform_report(accounts=[a])), now=ahead)
        second = await link(neo4j, triaged(platform_report(accounts=[b])))  # this host's clock
        opened = {
            row["id"]: row["opened_at"].to_native()
            for row in await query(
                neo4j,
                "MATCH (c:Case) WHERE c.id IN $ids RETURN c.id AS id, c.opened_at AS opened_at",
                ids=[first.case_id, second.case_id],
            )
        }
        assert opened[first.case_id] >= ahead
        assert opened[second.case_id] > opened[first.case_id]
        bridge = await link(neo4j, triaged(platform_report(accounts=[a, b])))
        assert (bridge.kind, bridge.case_id) == ("merged", first.case_id)
        assert bridge.merged_case_ids == [second.case_id]
        # A decision that opens no case (the merge) is later than the one before it too.
        merged_at = await query(
            neo4j,
            "MATCH (:Case {id: $loser})-[m:MERGED_INTO]->(:Case {id: $survivor}) RETURN m.at AS at",
            loser=second.case_id,
            survivor=first.case_id,
        )
        assert [row["at"].to_native() > opened[second.case_id] for row in merged_at] == [True]
        again = await link(neo4j, triaged(platform_report(accounts=[b])))  # joins, opens none
        later = await query(
            neo4j,
            "MATCH (l:LinkDecisionLock {name: 'cases'}) RETURN l.decided_at AS at",
        )
        assert (
            again.kind == "linked" and later[0]["at"].to_native() > merged_at[0]["at"].to_native()
        )
    finally:  # the decisions of the tests after this one are timed by this host's clock
        await query(neo4j, "MATCH (l:LinkDecisionLock {name: 'cases'}) REMOVE l.decided_at")
