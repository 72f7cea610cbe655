"""The three doors over HTTP and Kafka: auth, idempotency, field errors and dead letters."""

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any
from uuid import uuid4

import pytest
from kafka import KafkaProducer

from api.security.principal import Role
from contracts import topics
from contracts.enums import Agency, Channel
from contracts.ids import organisation_report_id
from contracts.registry import encode_event
from contracts.reports import PublicReport, ReportPayload, ReportSubmitted
from graph.driver import sync_driver
from graph.organisations import issue_key
from runtime.settings import get_settings
from tests.e2e.conftest import System, bearer
from tests.e2e.http import get, post, wait_in_case
from tests.e2e.kafka_probe import TopicWatch
from tests.factories import unique

LETTER = "DeadLetterRecorded"  # not the records of replays beside them


@pytest.fixture(scope="module")
def platform_key() -> tuple[str, dict[str, str]]:
    org = unique("platform-")
    with sync_driver(get_settings()) as driver:
        return org, {"X-API-Key": issue_key(driver, org, "platform")}


def platform_body(org: str, reference: str) -> dict:
    return {
        "organisation_id": org,
        "reference": reference,
        "incident_type": "sextortion",
        "incident_time": datetime.now(UTC).isoformat(),
        "accounts": [{"platform": "chatapp", "username": unique("extorter")}],
        "victim": {"age": 15, "pseudonym_ref": unique("VIC-")},
    }


def post_to_dead_letters(
    url: str,
    body: dict[str, Any],
    headers: dict[str, str],
    kept: Callable[[dict[str, Any], bytes], bool],
) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """Post `body`; the answer, and the dead letter `kept` (event, original bytes) picks."""
    watch = TopicWatch(topics.DEAD_LETTERS, event_type=LETTER)
    try:
        code, answer = post(url, body, headers)
        letter = watch.wait_for(
            lambda e: kept(e, base64.b64decode(e["payload"]["original_b64"] or ""))
        )
    finally:
        watch.close()
    return code, answer, letter


def test_a_platform_resend_is_the_same_report(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    org, headers = platform_key
    body = platform_body(org, unique("CT-"))
    watch = TopicWatch(topics.CASE_EVENTS)
    try:
        code, first = post(f"{system.api}/v1/reports/platform", body, headers)
        assert code == 202, first
        code, again = post(f"{system.api}/v1/reports/platform", body, headers)
        assert code == 202 and again["report_id"] == first["report_id"]
        rid = first["report_id"]
        opened = [watch.wait_for(lambda e: e["correlation_id"] == rid) for _ in range(2)]
    finally:
        watch.close()
    # The resend is replayed: the same event, not a second case.
    assert opened[0]["event_id"] == opened[1]["event_id"]
    status = wait_in_case(system.api, rid, headers)
    with sync_driver(get_settings()) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (c:Case {id: $cid}) RETURN c.report_count AS n", cid=status["case_id"]
        )
    assert records[0]["n"] == 1


def test_another_report_under_a_used_reference_is_refused_at_the_door(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    """It was answered 202, then dead-lettered by the linker unseen, and its status showed
    the first report's case as if it were this one's. A resend of the same report is still
    accepted."""
    org, headers = platform_key
    reference = unique("CT-")
    first = platform_body(org, reference)
    code, accepted = post(f"{system.api}/v1/reports/platform", first, headers)
    assert code == 202, accepted
    wait_in_case(system.api, accepted["report_id"], headers)
    other = {**first, "incident_type": "grooming", "accounts": [{"platform": "chatapp",
             "username": unique("groomer")}]}  # fmt: skip
    code, body, letter = post_to_dead_letters(
        f"{system.api}/v1/reports/platform",
        other,
        headers,
        lambda e, original: (
            e["payload"]["reason"] == "report_id_reused"
            and b"groomer" in original
            and reference.encode() in original
        ),
    )
    assert code == 409
    assert [(e["code"], e["field"]) for e in body["errors"]] == [("report_id_reused", "reference")]
    assert accepted["report_id"] in body["errors"][0]["message"]
    assert [e["code"] for e in letter["payload"]["errors"]] == ["report_id_reused"]
    assert letter["payload"]["source"] == f"http:POST /v1/reports/platform key={org}"
    code, again = post(f"{system.api}/v1/reports/platform", first, headers)  # a resend
    assert code == 202 and again["report_id"] == accepted["report_id"]


def test_an_organisations_report_status_says_nothing_to_anyone_else(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    """A platform report's id is derived from (organisation, reference): anyone can compute
    it. Without the key it answered 401 for a report that exists and 404 for one that does
    not, telling anyone whether that platform had filed that reference."""
    org, headers = platform_key
    body = platform_body(org, unique("CT-"))
    code, accepted = post(f"{system.api}/v1/reports/platform", body, headers)
    assert code == 202, accepted
    rid = accepted["report_id"]
    assert wait_in_case(system.api, rid, headers)["status"] == "in_case"
    with sync_driver(get_settings()) as driver:
        other = {"X-API-Key": issue_key(driver, unique("platform-"), "platform")}
    missing = get(f"{system.api}/v1/reports/{organisation_report_id('platform', org, 'none')}")
    assert missing[0] == 404
    for who in ({}, other):
        assert get(f"{system.api}/v1/reports/{rid}", who) == missing


def test_a_sextortion_report_with_a_child_gives_pdrm_and_kpwkm_tasks(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    org, headers = platform_key
    kpwkm = TopicWatch(topics.AGENCY_TASKS[Agency.KPWKM])
    try:
        code, accepted = post(
            f"{system.api}/v1/reports/platform", platform_body(org, unique("CT-")), headers
        )
        assert code == 202
        task = kpwkm.wait_for(lambda e: e["correlation_id"] == accepted["report_id"])
    finally:
        kpwkm.close()
    assert task["payload"]["task_type"] == "victim_support"
    assert task["payload"]["priority"] in {"P1", "P2"}


def test_doors_for_organisations_need_their_own_key(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    org, headers = platform_key
    code, body = post(f"{system.api}/v1/reports/platform", platform_body(org, "r1"))
    assert code == 401 and body["errors"][0]["code"] == "missing_api_key"
    code, body = post(
        f"{system.api}/v1/reports/platform", platform_body(org, "r1"), {"X-API-Key": "ocsea_wrong"}
    )
    assert code == 401 and body["errors"][0]["code"] == "invalid_api_key"
    code, body = post(
        f"{system.api}/v1/reports/platform", platform_body("someone-else", "r1"), headers
    )
    assert code == 403 and body["errors"][0] == {
        "code": "organisation_mismatch",
        "field": "organisation_id",
        "message": body["errors"][0]["message"],
    }
    code, body = post(
        f"{system.api}/v1/reports/ngo",
        {**platform_body(org, "r1"), "classification": "csam"},
        headers,
    )
    assert code == 403 and body["errors"][0]["code"] == "wrong_organisation_kind"


def test_invalid_report_gets_field_errors_and_a_dead_letter(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    org, headers = platform_key
    bad = {
        "organisation_id": org,
        "reference": unique("bad-"),
        "incident_type": "not-a-category",
        "incident_time": "yesterday",
    }
    code, body, letter = post_to_dead_letters(
        f"{system.api}/v1/reports/platform",
        bad,
        headers,
        lambda e, original: (
            # The key's organisation named: the report may name another one.
            e["payload"]["source"] == f"http:POST /v1/reports/platform key={org}"
            and bad["reference"].encode() in original
        ),
    )
    assert code == 422
    fields = {e["field"]: e for e in body["errors"]}
    assert set(fields) == {"incident_type", "incident_time"}
    assert all(set(e) == {"code", "field", "message"} for e in body["errors"])
    assert letter["payload"]["reason"] == "invalid_report"
    assert {e["field"] for e in letter["payload"]["errors"]} == set(fields)


def test_media_bytes_are_refused(system: System) -> None:
    code, body = post(
        f"{system.api}/v1/reports",
        raw=b"\xff\xd8\xff\xe0fakejpeg",
        headers={"Content-Type": "image/jpeg"},
    )
    assert code == 415 and body["errors"][0]["code"] == "media_bytes_refused"
    # curl's default form type is no media: said as the wrong type, with the header to send.
    code, body = post(
        f"{system.api}/v1/reports",
        raw=b'{"description": "x"}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    (error,) = body["errors"]
    assert (code, error["code"]) == (415, "unsupported_media_type")
    assert "Content-Type: application/json" in error["message"]
    blob = "data:image/jpeg;base64," + base64.b64encode(b"\x00" * 3000).decode()
    code, body = post(f"{system.api}/v1/reports", {"description": blob})
    assert code == 422 and body["errors"][0]["code"] == "media_bytes_refused"


def test_oversized_public_report_is_refused(system: System) -> None:
    code, body = post(f"{system.api}/v1/reports", {"description": "x " * 40_000})
    assert code == 413 and body["errors"][0]["code"] == "body_too_large"


def test_garbage_on_an_intake_topic_is_dead_lettered_with_its_source(system: System) -> None:
    marker = unique("garbage-").encode()
    watch = TopicWatch(topics.DEAD_LETTERS, event_type=LETTER)
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka_bootstrap)
    try:
        producer.send(topics.INTAKE[Channel.NGO], key=b"k", value=b"{not json " + marker).get(
            timeout=10
        )
        letter = watch.wait_for(
            lambda e: marker in base64.b64decode(e["payload"]["original_b64"] or "")
        )
    finally:
        producer.close()
        watch.close()
    assert letter["payload"]["reason"] == "not_json"
    assert letter["payload"]["source"].startswith(topics.INTAKE[Channel.NGO] + "/")


def test_a_message_with_no_value_on_any_consumed_topic_is_dead_lettered(system: System) -> None:
    """A tombstone (null value) on a topic a worker or agent consumes used to crash it (a
    TypeError in the decoder, and again in the dead-letter fallback of the intake)."""
    consumed = [
        topics.INTAKE[Channel.PUBLIC],
        topics.REPORTS_TRIAGED,
        topics.AGENCY_TASKS[Agency.PDRM],
        topics.TASK_EVENTS,
    ]
    watch = TopicWatch(topics.DEAD_LETTERS, event_type=LETTER)
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka_bootstrap)
    try:
        sources = []
        for topic in consumed:
            sent = producer.send(topic, key=unique("tomb-").encode(), value=None).get(timeout=10)
            sources.append(f"{topic}/{sent.partition}@{sent.offset}")
        letters = [watch.wait_for(lambda e: e["payload"]["source"] in sources) for _ in sources]
        # Still consuming afterwards: the next bad message on the intake is dead-lettered too.
        marker = unique("after-tombstone-").encode()
        producer.send(topics.INTAKE[Channel.PUBLIC], key=b"k", value=b"{" + marker).get(timeout=10)
        watch.wait_for(lambda e: marker in base64.b64decode(e["payload"]["original_b64"] or ""))
    finally:
        producer.close()
        watch.close()
    assert sorted(letter["payload"]["source"] for letter in letters) == sorted(sources)
    assert [letter["payload"]["reason"] for letter in letters] == ["empty_message"] * 4


def test_an_ngo_referral_for_content_still_online_gives_an_mcmc_takedown(system: System) -> None:
    org = unique("hotline-")
    with sync_driver(get_settings()) as driver:
        headers = {"X-API-Key": issue_key(driver, org, "ngo")}
    referral = {
        "organisation_id": org,
        "reference": unique("HL-"),
        "classification": "csam",
        "hosting_country": "NL",
        "accounts": [{"platform": "imageboard", "username": unique("poster")}],
        "content": [
            {
                "sha256": uuid4().hex * 2,
                "url": f"https://img.example.net/{uuid4().hex}.jpg",
                "still_online": True,
            }
        ],
    }
    mcmc = TopicWatch(topics.AGENCY_TASKS[Agency.MCMC])
    try:
        code, accepted = post(f"{system.api}/v1/reports/ngo", referral, headers)
        assert code == 202, accepted

        def task_to(task_type: str, target: str, seconds: float = 30) -> dict[str, Any]:
            return mcmc.wait_for(
                lambda e: (
                    e["correlation_id"] == accepted["report_id"]
                    and e["payload"]["task_type"] == task_type
                    and e["payload"]["target"] == target
                ),
                seconds,
            )

        # To the host its content's URL is on (since 2026-12-01: the referral lists its URL
        # there only), each with a preservation request, and one to the platform of its
        # accounts; since 2026-12-02 no takedown to that platform, where the content is not.
        tasks = [
            task_to("takedown_notice", "img.example.net"),
            task_to("preservation_request", "img.example.net"),
            task_to("preservation_request", "imageboard"),
        ]
        # Sent with the others (one batch, keyed by case: one partition, in order).
        with pytest.raises(AssertionError, match="no matching message"):
            task_to("takedown_notice", "imageboard", seconds=3)
    finally:
        mcmc.close()
    assert all(task["payload"]["agency"] == "MCMC" for task in tasks)


def test_a_merge_tells_each_agency_which_of_its_tasks_are_superseded(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    org, headers = platform_key
    older, newer = (platform_body(org, unique("CT-")) for _ in range(2))
    cases = []
    for body in (older, newer):
        code, accepted = post(f"{system.api}/v1/reports/platform", body, headers)
        assert code == 202
        cases.append(wait_in_case(system.api, accepted["report_id"], headers)["case_id"])
    bridge = platform_body(org, unique("CT-"))
    bridge["accounts"] = older["accounts"] + newer["accounts"]
    lifecycle = TopicWatch(topics.TASK_EVENTS)
    try:
        code, accepted = post(f"{system.api}/v1/reports/platform", bridge, headers)
        assert code == 202
        events = [
            lifecycle.wait_for(
                lambda e: (
                    e["correlation_id"] == accepted["report_id"]
                    and e["event_type"] == "TaskSuperseded"
                )
            )["payload"]
            for _ in range(2)
        ]
    finally:
        lifecycle.close()
    # Both cases had a PDRM referral and an MCMC preservation request for the same platform;
    # the newer case's two close, each pointing at the older case's task. Victim support is
    # per victim, so both victims keep theirs.
    assert sorted(e["agency"] for e in events) == ["MCMC", "PDRM"]
    assert {e["case_id"] for e in events} == {cases[0]}
    with sync_driver(get_settings()) as driver:
        for event in events:
            records, _, _ = driver.execute_query(
                "MATCH (t:Task {id: $tid}) RETURN t.status AS status, t.superseded_by AS by",
                tid=event["task_id"],
            )
            assert records[0]["status"] == "superseded"
            assert records[0]["by"] == event["superseded_by"]
    # The officer who opens or acts on a closed task is told where its work goes on.
    police = next(e for e in events if e["agency"] == "PDRM")
    officer = bearer(Role.OFFICER, Agency.PDRM)
    code, task = get(f"{system.api}/v1/tasks/{police['task_id']}", officer)
    assert code == 200 and task["superseded_by"] == police["superseded_by"]
    code, body = post(f"{system.api}/v1/tasks/{police['task_id']}/claim", {}, officer)
    assert code == 409
    assert body["errors"][0]["message"].endswith(
        f"its work goes on in task {police['superseded_by']}"
    )


def test_a_message_too_large_for_a_plain_dead_letter_is_kept_and_its_batch_goes_on(
    system: System,
) -> None:
    """A 900 kB bad message on an intake topic makes a 1.2 MB dead letter. Over the producer's
    old 1 MB limit, its send raised, Faust restarted the intake with the batch acknowledged,
    and neither the message nor the reports sent behind it in that batch were seen again."""
    marker = unique("big-bad-")
    # Words, not one long run of letters (which the dead letter withholds as media-like).
    raw = json.dumps({"note": marker, "words": "ab cd, " * 130_000}).encode()
    report_id = uuid4()
    valid = ReportSubmitted(
        occurred_at=datetime.now(UTC),
        producer="tests",
        correlation_id=report_id,
        payload=ReportPayload(
            report_id=report_id, report=PublicReport(description=f"after the big one {marker}")
        ),
    )
    watch = TopicWatch(topics.DEAD_LETTERS, event_type=LETTER)
    producer = KafkaProducer(
        bootstrap_servers=get_settings().kafka_bootstrap, max_request_size=2_000_000
    )
    try:
        # One key, one partition: the valid report is right behind the big one.
        producer.send(topics.INTAKE[Channel.PUBLIC], key=b"big", value=raw).get(timeout=10)
        producer.send(topics.INTAKE[Channel.PUBLIC], key=b"big", value=encode_event(valid)).get(
            timeout=10
        )
        letter = watch.wait_for(
            lambda e: e["payload"]["original_sha256"] == sha256(raw).hexdigest()
        )
    finally:
        producer.close()
        watch.close()
    assert letter["payload"]["reason"] == "unknown_event_type"
    assert base64.b64decode(letter["payload"]["original_b64"]) == raw  # kept whole
    assert wait_in_case(system.api, str(report_id))["status"] == "in_case"


def test_a_report_near_the_record_limit_is_linked_not_dead_lettered(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    """~930 kB: accepted at the door, and what is derived from it (~2.5 MB) used to be over
    Kafka's default record limit, so it was accepted and then dead-lettered."""
    org, headers = platform_key
    body = platform_body(org, unique("large-"))
    body["accounts"] = [
        {
            "platform": "chatapp",
            "username": unique(f"user{i}-"),
            # Not all base64 characters: 2,000 such strings of 224 would be a file's pieces
            # to the media check across fields.
            "device_ids": [f"{i}.{j}:" + "d" * 220 for j in range(20)],
            "payment_handles": [f"{i}.{j}:" + "p" * 220 for j in range(20)],
        }
        for i in range(100)
    ]
    code, accepted = post(f"{system.api}/v1/reports/platform", body, headers)
    assert code == 202, accepted
    assert wait_in_case(system.api, accepted["report_id"], headers, seconds=60)["case_id"]


def test_a_platform_report_too_large_for_kafka_is_refused_with_a_clear_error(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    """Valid, under the door's 2 MiB body limit, but over Kafka's 1 MB record limit as an
    event: the broker would refuse it, and the API answered 500."""
    org, headers = platform_key
    body = platform_body(org, unique("huge-"))
    body["accounts"] = [
        {
            "platform": "chatapp",
            "username": f"user{i}",
            "device_ids": [f"{i}.{j}:" + "d" * 245 for j in range(20)],  # no file's pieces
            "payment_handles": [f"{i}.{j}:" + "p" * 245 for j in range(20)],
        }
        for i in range(100)
    ]
    code, answer = post(f"{system.api}/v1/reports/platform", body, headers)
    assert code == 413, answer
    (error,) = answer["errors"]
    assert error["code"] == "report_too_large" and "1,000,000" in error["message"]


def test_identifiers_that_cannot_be_read_are_named_in_the_acceptance(
    system: System, platform_key: tuple[str, dict[str, str]]
) -> None:
    """A malformed hash (31 hex digits, an MD5 in the SHA-256 field) was dropped in silence:
    the report was accepted, its content linked nothing, and the integrator never knew. A
    hash written after its algorithm's name or '0x' is read."""
    org, headers = platform_key
    body = platform_body(org, unique("CT-"))
    labelled = uuid4().hex
    body["content"] = [
        {"md5": f"MD5:{labelled.upper()}", "sha1": "0x" + "ab" * 20},
        {"md5": "a" * 31, "sha256": uuid4().hex},
    ]
    code, accepted = post(f"{system.api}/v1/reports/platform", body, headers)
    assert code == 202, accepted
    assert [(w["code"], w["field"]) for w in accepted["warnings"]] == [
        ("unreadable_hash", "content.1.md5"),
        ("unreadable_hash", "content.1.sha256"),
    ]
    assert accepted["warnings"][1]["message"].endswith("64 hex digits or 44 base64 characters")
    status = wait_in_case(system.api, accepted["report_id"], headers)
    with sync_driver(get_settings()) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (:Report {id: $rid})-[:MENTIONS]->(i:Identifier {kind: 'content'}) "
            "RETURN collect(i.key) AS keys",
            rid=accepted["report_id"],
        )
    assert sorted(records[0]["keys"]) == [f"content:md5:{labelled}", "content:sha1:" + "ab" * 20]
    assert status["case_id"]
