"""The audit trail against the real Neo4j and Kafka: chains, concurrency, tampering, purpose."""

import asyncio
import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4, uuid5

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from kafka import KafkaConsumer, TopicPartition
from neo4j import AsyncDriver
from starlette.datastructures import Headers

from api.app import create_app
from api.audit import Auditor
from api.errors import ApiError
from api.security.principal import Principal, Role
from contracts import topics
from contracts.audit import AuditRecorded
from contracts.enums import Agency
from contracts.registry import decode_event
from graph.audit import (
    GLOBAL_CHAIN,
    AuditEntry,
    ChainChecks,
    append_fields,
    audit_fields,
    audit_trail,
    chain_head,
    chain_is_intact,
    verify_chain,
)
from graph.outbox import relay
from runtime.produce import send_batched
from runtime.settings import Settings
from streams.provision import create_topics
from tests.e2e.conftest import bearer
from tests.factories import account, platform_report, triaged, unique
from tests.integration.staged import Staged
from tests.integration.test_linking import link_in_one_transaction

pytestmark = pytest.mark.integration
OFFICER = Principal(subject=f"subj-{uuid4().hex[:8]}", role=Role.OFFICER, agency=Agency.PDRM)


async def append(driver: AsyncDriver, case_id: str | None, action: str = "case.read") -> AuditEntry:
    fields = audit_fields(
        actor="subj-a1",
        role="officer",
        agency="PDRM",
        action=action,
        case_id=case_id,
        target=f"task:{uuid4()}",
        purpose="referral follow-up",
        now=datetime.now(UTC),
    )
    return await append_fields(driver, fields, "tests.audit")


class FakeRequest:
    """Only what Auditor.record reads from a request: its headers."""

    def __init__(self, headers: dict[str, str]):
        self.headers = Headers(headers)


async def test_appends_form_a_verifiable_chain(neo4j: AsyncDriver) -> None:
    case_id = str(uuid4())
    written = [await append(neo4j, case_id, f"case.read.{i}") for i in range(3)]
    trail = await audit_trail(neo4j, case_id)
    assert trail == written
    assert [e.prev_hash for e in trail] == ["", written[0].hash, written[1].hash]
    assert {e.chain for e in trail} == {case_id}
    assert verify_chain(trail, expected_head=await chain_head(neo4j, case_id))
    records, _, _ = await neo4j.execute_query(
        "MATCH (a:AuditRecord {chain: $c})-[:PREV]->(p:AuditRecord) RETURN a.id AS a, p.id AS p",
        c=case_id,
    )
    links = {r["a"]: r["p"] for r in records}
    assert links == {
        written[1].record_id: written[0].record_id,
        written[2].record_id: written[1].record_id,
    }


async def test_a_record_reads_back_at_the_instant_it_was_written_whatever_its_zone(
    neo4j: AsyncDriver,
) -> None:
    """The trail reads times as epoch seconds and microseconds (a driver DateTime cost three
    quarters of verifying a chain): the same instant, to the microsecond, and the same hash."""
    case_id = str(uuid4())
    written = datetime(2026, 11, 30, 18, 5, 7, 123456, tzinfo=timezone(timedelta(hours=8)))
    fields = audit_fields(
        actor="subj-a1",
        role="officer",
        agency=None,
        action="case.read",
        case_id=case_id,
        target=None,
        purpose=None,
        now=written,
    )
    entry = await append_fields(neo4j, fields, "tests.audit")
    (read,) = await audit_trail(neo4j, case_id)
    assert read.at == written and read.at.microsecond == 123456
    assert read.at.utcoffset() == timedelta(0)
    assert read == replace(entry, at=read.at)
    assert await chain_is_intact(neo4j, case_id)


async def test_twenty_concurrent_appends_form_one_chain(neo4j: AsyncDriver) -> None:
    case_id = str(uuid4())
    written = await asyncio.gather(*(append(neo4j, case_id, f"a{i}") for i in range(20)))
    trail = await audit_trail(neo4j, case_id)
    assert len(trail) == 20
    assert len({e.prev_hash for e in trail}) == 20
    assert {e.record_id for e in trail} == {e.record_id for e in written}
    assert verify_chain(trail, expected_head=await chain_head(neo4j, case_id))


async def test_tampering_with_a_stored_record_breaks_the_chain(neo4j: AsyncDriver) -> None:
    case_id = str(uuid4())
    written = [await append(neo4j, case_id) for _ in range(3)]
    assert verify_chain(await audit_trail(neo4j, case_id))
    # The attack: someone with database access rewrites why the data was read.
    await neo4j.execute_query(
        "MATCH (a:AuditRecord {id: $id}) SET a.purpose = 'routine check'",
        id=written[1].record_id,
    )
    tampered = await audit_trail(neo4j, case_id)
    assert tampered[1].purpose == "routine check"
    assert not verify_chain(tampered)


async def test_removed_reordered_or_truncated_records_fail_verification(neo4j: AsyncDriver) -> None:
    case_id = str(uuid4())
    trail = [await append(neo4j, case_id) for _ in range(4)]
    head = await chain_head(neo4j, case_id)
    assert verify_chain(trail, expected_head=head)
    assert not verify_chain(trail[:1] + trail[2:])  # one removed from the middle
    assert not verify_chain(trail[1:])  # the first removed
    assert not verify_chain([trail[1], trail[0], *trail[2:]])  # reordered
    assert not verify_chain(trail[:-1], expected_head=head)  # the last removed
    assert not verify_chain([replace(trail[0], actor="someone-else"), *trail[1:]])


async def test_a_long_chain_is_verified_whole_and_read_newest_first(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    """Read as its first 500 records and checked against the head, a sound chain of more
    was reported as tampered with, and its newest records (the reads that matter) were never
    shown. Pages of 4 here, for a chain of 11."""
    import graph.audit

    monkeypatch.setattr(graph.audit, "VERIFY_PAGE", 4)
    case_id = str(uuid4())
    written = [await append(neo4j, case_id, action=f"case.read.{i}") for i in range(11)]
    assert await chain_is_intact(neo4j, case_id)

    app = create_app(settings)
    app.state.settings, app.state.graph = settings, neo4j
    app.state.auditor = Auditor(neo4j, settings.neo4j_database)
    admin = bearer(Role.ADMIN, Agency.MCMC, "admin-audit-1")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        newest = (await client.get(f"/v1/cases/{case_id}/audit?limit=5", headers=admin)).json()
        first = await client.get(f"/v1/cases/{case_id}/audit?limit=5&after=0", headers=admin)
    assert newest["chain_valid"] is True and newest["length"] == 11
    # The newest five: the admin's own read of this page is appended after it was taken.
    assert [r["action"] for r in newest["records"]] == [f"case.read.{i}" for i in range(6, 11)]
    assert [r["seq"] for r in newest["records"]] == [7, 8, 9, 10, 11]
    assert newest["earlier_after"] == 1
    assert [r["record_id"] for r in first.json()["records"]] == [w.record_id for w in written[:5]]
    assert first.json()["length"] == 12  # the admin's first read is on the chain now

    # A record deleted shows as a gap in the page's seq, before any whole check finds it.
    await neo4j.execute_query(
        "MATCH (a:AuditRecord {id: $id}) DETACH DELETE a", id=written[7].record_id
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        after = await client.get(f"/v1/cases/{case_id}/audit?limit=5&after=5", headers=admin)
    assert [r["seq"] for r in after.json()["records"]][:3] == [6, 7, 9]

    await neo4j.execute_query(
        "MATCH (a:AuditRecord {id: $id}) SET a.purpose = 'routine check'",
        id=written[9].record_id,
    )
    assert not await chain_is_intact(neo4j, case_id)


async def test_an_audit_page_verifies_from_where_the_last_check_ended_and_whole_at_times(
    neo4j: AsyncDriver,
) -> None:
    """Verified whole at every read, an audit page cost ~15 µs a record of its chain (the
    global one grows with every queue listing): between whole checks, the records after the
    last check's end are verified, and the last checked record read back."""
    case_id = str(uuid4())
    written = [await append(neo4j, case_id) for _ in range(3)]
    checks = ChainChecks(whole_every_s=3600)
    valid, length, whole_at = await checks.check(neo4j, case_id)
    assert (valid, length) == (True, 3)
    written += [await append(neo4j, case_id) for _ in range(2)]
    assert (await checks.check(neo4j, case_id))[:2] == (True, 5)

    async def alter(record: AuditEntry) -> None:
        await neo4j.execute_query(
            "MATCH (a:AuditRecord {id: $id}) SET a.purpose = 'altered'", id=record.record_id
        )

    # A record after the last check's end, altered: found.
    written.append(await append(neo4j, case_id))
    await alter(written[5])
    assert (await checks.check(neo4j, case_id))[:2] == (False, 6)
    # A broken chain is not remembered: the next read checks it whole, and finds it again.
    assert case_id not in checks.checked
    assert (await checks.check(neo4j, case_id))[0] is False

    other = str(uuid4())
    kept = [await append(neo4j, other) for _ in range(4)]
    assert (await checks.check(neo4j, other))[0] is True
    # The last record checked, altered: read back, found.
    await alter(kept[3])
    assert (await checks.check(neo4j, other))[0] is False

    third = str(uuid4())
    early = [await append(neo4j, third) for _ in range(4)]
    assert (await checks.check(neo4j, third))[0] is True
    # A record before the last check's end, altered: left for the next whole check...
    await alter(early[1])
    valid, _, since = await checks.check(neo4j, third)
    assert valid is True and since == checks.checked[third][2]
    # ...which finds it.
    checks.whole_every_s = 0
    assert (await checks.check(neo4j, third))[0] is False
    assert whole_at <= since


async def test_a_search_is_recorded_with_what_was_sought_and_in_each_case_it_showed(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """Graph reads went to the global chain only, which no API reads, and a search recorded
    only its kind: a case's trail did not show the analyst who found it by a phone number,
    nor which number was looked up."""
    digits = str(uuid4().int)[:7]
    outcome = await link_in_one_transaction(
        neo4j,
        triaged(platform_report(accounts=[account(unique("u"), phone=f"012-{digits}")])),
    )
    app = create_app(settings)
    app.state.settings, app.state.graph = settings, neo4j
    app.state.auditor = Auditor(neo4j, settings.neo4j_database)
    analyst = bearer(Role.ANALYST, Agency.MCMC, "analyst-audit-1")
    global_before = await chain_head(neo4j, GLOBAL_CHAIN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        found = await client.get(
            "/v1/search", params={"kind": "phone", "value": f"012 {digits}"}, headers=analyst
        )
        nothing = await client.get(
            "/v1/search", params={"kind": "phone", "value": "012-0000001"}, headers=analyst
        )
    assert found.status_code == 200 and nothing.status_code == 200
    assert found.json()["results"][0]["cases"] == [outcome.case_id]
    (record,) = await audit_trail(neo4j, outcome.case_id)
    assert (record.actor, record.action) == ("analyst-audit-1", "graph.search")
    assert record.target == f"phone:+6012{digits}"
    # Both searches in the global chain, the one that found nothing too.
    records = await audit_trail(neo4j, GLOBAL_CHAIN, limit=100_000)
    mine = [r for r in records if r.actor == "analyst-audit-1"]
    assert [r.target for r in mine[-2:]] == [
        f"phone:+6012{digits} [1 case(s)]",
        "phone:+60120000001 [0 case(s)]",
    ]
    assert await chain_head(neo4j, GLOBAL_CHAIN) != global_before
    # An auditor reads them over the API (no case's page would show the one that found none).
    admin = bearer(Role.ADMIN, Agency.MCMC, "admin-audit-2")
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        page = (await client.get("/v1/audit/global?limit=10", headers=admin)).json()
        refused = await client.get("/v1/audit/global", headers=analyst)
    assert page["chain_valid"] is True
    assert [r["target"] for r in page["records"] if r["actor"] == "analyst-audit-1"][-2:] == [
        r.target for r in mine[-2:]
    ]
    assert refused.status_code == 403


async def test_two_cases_have_separate_chains(neo4j: AsyncDriver) -> None:
    first, second = str(uuid4()), str(uuid4())
    for _ in range(2):
        await append(neo4j, first)
        await append(neo4j, second)
    trail_a, trail_b = await audit_trail(neo4j, first), await audit_trail(neo4j, second)
    assert len(trail_a) == len(trail_b) == 2
    assert trail_a[0].prev_hash == trail_b[0].prev_hash == ""
    assert {e.chain for e in trail_a} == {first} and {e.chain for e in trail_b} == {second}
    assert verify_chain(trail_a) and verify_chain(trail_b)


async def test_records_without_a_case_go_to_the_global_chain(neo4j: AsyncDriver) -> None:
    before = await chain_head(neo4j, GLOBAL_CHAIN)
    entry = await append(neo4j, None, "search.run")
    assert entry.chain == GLOBAL_CHAIN and entry.case_id is None
    assert entry.prev_hash == before
    assert await chain_head(neo4j, GLOBAL_CHAIN) == entry.hash


@pytest.mark.parametrize("headers", [{}, {"X-Purpose": "   "}], ids=["missing", "blank"])
async def test_auditor_requires_a_purpose(
    neo4j: AsyncDriver, settings: Settings, headers: dict[str, str]
) -> None:
    auditor = Auditor(neo4j, settings.neo4j_database)
    staged = await Staged.from_now(neo4j)
    case_id = str(uuid4())
    with pytest.raises(ApiError) as caught:
        await auditor.record(FakeRequest(headers), OFFICER, "case.read", case_id=case_id)  # type: ignore[arg-type]
    assert caught.value.status == 400
    assert caught.value.errors[0].model_dump() == {
        "code": "purpose_required",
        "field": "X-Purpose",
        "message": "say why you need this data in X-Purpose",
    }
    assert await audit_trail(neo4j, case_id) == []
    assert await staged.sent() == []


async def test_auditor_records_and_stages_the_copy_for_the_topic(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    auditor = Auditor(neo4j, settings.neo4j_database)
    staged = await Staged.from_now(neo4j)
    case_id = str(uuid4())
    request = FakeRequest({"x-purpose": " victim support follow-up "})
    entry = await auditor.record(request, OFFICER, "case.read", case_id=case_id, target="timeline")  # type: ignore[arg-type]
    assert (entry.actor, entry.role, entry.agency) == (OFFICER.subject, "officer", "PDRM")
    assert entry.purpose == "victim support follow-up" and entry.chain == case_id
    assert await audit_trail(neo4j, case_id) == [entry]
    # Staged in the record's own transaction: the relay publishes it once committed.
    [(topic, key, event)] = await staged.sent()
    assert (topic, key) == (topics.AUDIT, case_id)
    assert isinstance(event, AuditRecorded)
    assert event.event_id == uuid5(UUID(entry.record_id), "AuditRecorded")
    assert event.payload.hash == entry.hash and str(event.payload.record_id) == entry.record_id
    assert str(event.correlation_id) == case_id
    # Without a purpose where none is required (e.g. listing one's own queue).
    listed = await auditor.record(FakeRequest({}), OFFICER, "tasks.list", purpose_required=False)  # type: ignore[arg-type]
    assert listed.purpose is None and listed.chain == GLOBAL_CHAIN


async def test_auditor_refuses_a_case_id_that_is_not_a_uuid(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    auditor = Auditor(neo4j, settings.neo4j_database)
    request = FakeRequest({"X-Purpose": "check"})
    with pytest.raises(ApiError) as caught:
        await auditor.record(request, OFFICER, "case.read", case_id="global")  # type: ignore[arg-type]
    assert caught.value.errors[0].code == "invalid_case_id"


def _read_from(consumer: KafkaConsumer, record_id: str, seconds: float = 30) -> tuple[bytes, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            for record in records:
                if json.loads(record.value)["payload"]["record_id"] == record_id:
                    return record.key, record.value
    raise AssertionError(f"AuditRecorded {record_id} not on {topics.AUDIT} within {seconds}s")


async def test_the_relay_publishes_the_record_to_the_real_audit_topic(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    spec = next(s for s in topics.all_topics() if s.name == topics.AUDIT)
    await asyncio.to_thread(create_topics, settings, [spec])  # no-op when provisioned
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False, group_id=None
    )
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        partitions = [
            TopicPartition(topics.AUDIT, p)
            for p in sorted(consumer.partitions_for_topic(topics.AUDIT) or [])
        ]
        consumer.assign(partitions)
        consumer.seek_to_end(*partitions)
        for tp in partitions:
            consumer.position(tp)  # resolve the seek now, before the record is produced
        case_id = str(uuid4())
        entry = await Auditor(neo4j, settings.neo4j_database).record(
            FakeRequest({"X-Purpose": "criminal referral review"}),  # type: ignore[arg-type]
            OFFICER,
            "case.read",
            case_id=case_id,
        )
        await relay(neo4j, lambda records: send_batched(producer, records))
        key, value = await asyncio.to_thread(_read_from, consumer, entry.record_id)
    finally:
        await producer.stop()
        consumer.close()
    event = decode_event(value, (AuditRecorded,))
    assert isinstance(event, AuditRecorded)
    assert key == case_id.encode()
    assert event.payload.hash == entry.hash and event.payload.prev_hash == ""
    assert (
        event.payload.purpose == "criminal referral review"
        and event.payload.actor == OFFICER.subject
    )


async def test_a_page_shows_no_record_past_the_head_it_verified(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """Read to `limit`, a page showed a record forged after the chain's head (its chain node
    untouched) under chain_valid: true: the check had stopped at the head."""

    async def forged_chain() -> tuple[str, list[AuditEntry]]:
        case_id = str(uuid4())
        written = [await append(neo4j, case_id) for _ in range(3)]
        await neo4j.execute_query(
            "CREATE (:AuditRecord {id: $id, chain: $chain, seq: 4, actor: 'forged',"
            " role: 'admin', agency: 'PDRM', action: 'case.read', case_id: $chain,"
            " purpose: 'forged', at: datetime(), prev_hash: $prev, hash: 'not a hash'})",
            id=str(uuid4()),
            chain=case_id,
            prev=written[-1].hash,
        )
        return case_id, written

    app = create_app(settings)
    app.state.settings, app.state.graph = settings, neo4j
    app.state.auditor = Auditor(neo4j, settings.neo4j_database)
    admin = bearer(Role.ADMIN, Agency.MCMC, "admin-audit-2")
    transport = httpx.ASGITransport(app=app)
    # A chain each: every read of a page is appended to the chain it shows.
    (newest_case, written), (paged_case, _) = await forged_chain(), await forged_chain()
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        newest = (await client.get(f"/v1/cases/{newest_case}/audit", headers=admin)).json()
        paged = (await client.get(f"/v1/cases/{paged_case}/audit?after=2", headers=admin)).json()
    assert newest["chain_valid"] is True and newest["length"] == 3
    assert [r["record_id"] for r in newest["records"]] == [w.record_id for w in written]
    assert (paged["length"], [r["seq"] for r in paged["records"]]) == (3, [3])


def _api(settings: Settings, neo4j: AsyncDriver) -> httpx.AsyncClient:
    app = create_app(settings)
    app.state.settings, app.state.graph = settings, neo4j
    app.state.auditor = Auditor(neo4j, settings.neo4j_database)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


async def test_graph_walks_record_the_identifier_as_read_not_as_typed(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """'phone:012-777 1234' and 'phone:+6012 777 1234' were two targets in the trail for one
    number (a search recorded it normalised): who looked a number up meant guessing every
    spelling of it."""
    digits = str(uuid4().int)[:7]
    outcome = await link_in_one_transaction(
        neo4j,
        triaged(platform_report(accounts=[account(unique("u"), phone=f"012-{digits}")])),
    )
    analyst = bearer(Role.ANALYST, Agency.MCMC, "analyst-audit-walks")
    typed = [f"phone:012-{digits[:3]} {digits[3:]}", f"phone:+6012 {digits}"]
    async with _api(settings, neo4j) as client:
        for entity in typed:
            shared = await client.get(
                "/v1/graph/shared-cases", params={"entity": entity}, headers=analyst
            )
            around = await client.get(
                "/v1/graph/neighbourhood", params={"entity": entity, "depth": 1}, headers=analyst
            )
            assert shared.status_code == around.status_code == 200
    records = await audit_trail(neo4j, outcome.case_id)
    assert {r.target for r in records} == {f"phone:+6012{digits}"}
    assert len(records) == 4


async def test_task_reads_by_analysts_and_admins_say_why_and_analysts_see_no_notes(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """Task reads were recorded without a purpose, for any role; a KPWKM analyst read a
    caseworker's decline reason naming the mother's phone, withheld from analysts elsewhere."""
    outcome = await link_in_one_transaction(
        neo4j,
        triaged(
            platform_report(
                incident_type="sextortion",
                accounts=[account(unique("u"))],
                victim={"age_range": "12-14", "pseudonym_ref": unique("VIC-")},
            )
        ),
    )
    support = next(t.task_id for t in outcome.tasks if t.agency == "KPWKM")
    caseworker = bearer(Role.CASEWORKER, Agency.KPWKM, "cw-audit-1")
    analyst = bearer(Role.ANALYST, Agency.KPWKM, "analyst-audit-2")
    no_purpose = {"Authorization": analyst["Authorization"]}
    async with _api(settings, neo4j) as client:
        declined = await client.post(
            f"/v1/tasks/{support}/decline", json={"reason": "mother's phone 017-111 2222"},
            headers=caseworker,
        )  # fmt: skip
        assert declined.status_code == 200, declined.text
        own = await client.get(f"/v1/tasks/{support}", headers=caseworker)
        read = await client.get(f"/v1/tasks/{support}", headers=analyst)
        unsaid = await client.get(f"/v1/tasks/{support}", headers=no_purpose)
        listed = await client.get("/v1/tasks?agency=KPWKM", headers=no_purpose)
        quiet = await client.get(
            f"/v1/tasks/{support}", headers={"Authorization": caseworker["Authorization"]}
        )
    assert own.json()["reason"] == "mother's phone 017-111 2222"
    assert read.status_code == 200 and read.json()["reason"] is None
    assert [r.status_code for r in (unsaid, listed)] == [400, 400]
    assert unsaid.json()["errors"][0]["code"] == "purpose_required"
    assert quiet.status_code == 200  # a caseworker at their own queue is not asked each time
    reads = [r for r in await audit_trail(neo4j, outcome.case_id) if r.action == "task.read"]
    assert [(r.actor, r.purpose) for r in reads if r.actor == "analyst-audit-2"] == [
        ("analyst-audit-2", "e2e walk-through")
    ]


async def test_a_cases_audit_names_the_cases_merged_into_it(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """A merged case keeps its own trail; the survivor's answered nothing of it, and an
    administrator found the merged case only by walking the graph."""
    first, second = (account(unique("m")) for _ in range(2))
    older = await link_in_one_transaction(neo4j, triaged(platform_report(accounts=[first])))
    newer = await link_in_one_transaction(neo4j, triaged(platform_report(accounts=[second])))
    bridge = await link_in_one_transaction(
        neo4j, triaged(platform_report(accounts=[first, second]))
    )
    assert bridge.case_id == older.case_id != newer.case_id
    admin = bearer(Role.ADMIN, Agency.MCMC, "admin-audit-3")
    async with _api(settings, neo4j) as client:
        survivor = (await client.get(f"/v1/cases/{older.case_id}/audit", headers=admin)).json()
        merged = (await client.get(f"/v1/cases/{newer.case_id}/audit", headers=admin)).json()
    assert survivor["merged_from"] == [newer.case_id]
    assert merged["merged_from"] == []


async def test_a_case_id_no_case_has_is_404_and_opens_no_audit_chain(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """/graph answered 200 with an empty graph where the case's detail answered 404, and
    both audited the read first: every made-up id opened an audit chain (a helper's hunt)."""
    made_up = str(uuid4())
    analyst = bearer(Role.ANALYST, Agency.MCMC, "analyst-audit-3") | {"X-Purpose": "check"}
    async with _api(settings, neo4j) as client:
        graph = await client.get(f"/v1/cases/{made_up}/graph", headers=analyst)
        detail = await client.get(f"/v1/cases/{made_up}", headers=analyst)
        report = await client.get(f"/v1/cases/{made_up}/reports/{uuid4()}", headers=analyst)
        unsaid = await client.get(f"/v1/cases/{made_up}/graph", headers=analyst | {"X-Purpose": ""})
        admin = bearer(Role.ADMIN, Agency.MCMC, "admin-audit-4")
        trail = await client.get(f"/v1/cases/{made_up}/audit", headers=admin)
    assert [r.status_code for r in (graph, detail, report, trail)] == [404, 404, 404, 404]
    assert graph.json()["errors"][0]["code"] == "not_found"
    assert unsaid.status_code == 400  # the purpose is asked first, as for any read
    found, _, _ = await neo4j.execute_query(
        "MATCH (c:AuditChain {id: $id}) RETURN count(c) AS n", id=made_up
    )
    assert found[0]["n"] == 0


async def test_the_oldest_audit_page_ends_where_the_next_begins(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """Paged back by earlier_after alone, the oldest page overlapped the one after it:
    records 201-500 of a chain of 1,200 were shown twice (a helper's hunt). 7 and pages of 3."""
    case_id = str(uuid4())
    for i in range(7):
        await append(neo4j, case_id, action=f"case.read.{i}")
    admin = bearer(Role.ADMIN, Agency.MCMC, "admin-audit-3")
    seen: list[int] = []
    async with _api(settings, neo4j) as client:
        page = (await client.get(f"/v1/cases/{case_id}/audit?limit=3", headers=admin)).json()
        seen += [r["seq"] for r in page["records"]]
        while page["earlier_after"] is not None:
            query = f"after={page['earlier_after']}&limit={page['earlier_limit']}"
            page = (await client.get(f"/v1/cases/{case_id}/audit?{query}", headers=admin)).json()
            seen = [r["seq"] for r in page["records"]] + seen
    assert seen == list(range(1, 8))  # the admin's reads are appended after the pages taken


async def test_a_photodna_search_is_recorded_with_the_whole_hash(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """A PhotoDNA key is 305 characters: cut at the 300 a target held, no record named the
    whole hash that was sought (a review)."""
    value = uuid4().hex * 9  # 288 hex digits: 144 bytes
    actor = f"analyst-audit-{uuid4().hex[:8]}"
    analyst = bearer(Role.ANALYST, Agency.MCMC, actor)
    async with _api(settings, neo4j) as client:
        found = await client.get(
            "/v1/search", params={"kind": "hash", "value": value}, headers=analyst
        )
    assert found.status_code == 200 and found.json()["results"] == []
    records = await audit_trail(neo4j, GLOBAL_CHAIN, limit=100_000)
    (mine,) = [r for r in records if r.actor == actor]
    assert mine.target == f"content:photodna:{value} [0 case(s)]"
