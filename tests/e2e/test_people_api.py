"""The README walk-through over HTTP: two reports sharing an account make one case; PDRM
claims and completes its referral; KPWKM sees its task; an analyst queries the graph; and
every look at the case is in its tamper-evident audit trail."""

from datetime import UTC, datetime
from urllib.parse import quote
from uuid import uuid4

import pytest

from api.security.principal import Role
from contracts.enums import Agency
from graph.driver import sync_driver
from graph.organisations import issue_key
from runtime.pseudonyms import unkeyed_pseudonym
from runtime.settings import get_settings
from tests.e2e.conftest import System, bearer
from tests.e2e.http import get, post, wait_in_case
from tests.factories import unique


def _task(api: str, headers: dict[str, str], case_id: str, task_type: str) -> dict:
    """The case's task of that type, found the way an officer does: through the case."""
    code, case = get(f"{api}/v1/cases/{case_id}", headers)
    assert code == 200, case
    (task,) = [t for t in case["tasks"] if t["task_type"] == task_type]
    code, detail = get(f"{api}/v1/tasks/{task['id']}", headers)
    assert code == 200, detail
    return detail


@pytest.fixture(scope="module")
def referrals_by_priority(system: System) -> dict[str, str]:
    """Three cases of their own, P1, P2 and P3, each with a PDRM referral: its task id by
    priority. With the shared case's one referral alone, the queue's order and its paging
    were checked on a list of one (a helper's audit)."""
    org = unique("platform-")
    with sync_driver(get_settings()) as driver:
        key = {"X-API-Key": issue_key(driver, org, "platform")}
    officer = bearer(Role.OFFICER, Agency.PDRM)
    found = {}
    for priority, fields in (
        ("P1", {"incident_type": "grooming", "escalate": True}),
        ("P2", {"incident_type": "csam"}),
        ("P3", {"incident_type": "grooming"}),
    ):
        body = {
            "organisation_id": org,
            "reference": unique("CT-"),
            "incident_time": datetime.now(UTC).isoformat(),
            "accounts": [{"platform": "chatapp", "username": unique("queue-")}],
            **fields,
        }
        code, accepted = post(f"{system.api}/v1/reports/platform", body, key)
        assert code == 202, accepted
        case_id = wait_in_case(system.api, accepted["report_id"], key)["case_id"]
        referral = _task(system.api, officer, case_id, "criminal_referral")
        assert referral["priority"] == priority, referral
        found[priority] = referral["task_id"]
    return found


def test_the_queue_is_the_agencys_own_most_urgent_first(
    system: System, referrals_by_priority: dict[str, str]
) -> None:
    """Read page after page until the three referrals are seen: an earlier run's open tasks
    may come before them."""
    officer = bearer(Role.OFFICER, Agency.PDRM)
    queue, after = [], ""
    for _ in range(100):
        code, page = get(f"{system.api}/v1/tasks?limit=200{after}", officer)
        assert code == 200 and 0 < len(page["items"]) <= 200, page
        queue += page["items"]
        if set(referrals_by_priority.values()) <= {t["task_id"] for t in queue}:
            break
        if page["next_after"] is None:
            break
        after = f"&after={page['next_after']}"
    listed = {t["task_id"] for t in queue}
    assert set(referrals_by_priority.values()) <= listed, "a referral missing from the queue"
    assert {t["agency"] for t in queue} == {"PDRM"}
    # Times compared as times: as text '...:01Z' sorts after '...:01.5Z' (a whole second
    # has no fraction).
    order = [(t["priority"], datetime.fromisoformat(t["due_at"])) for t in queue]
    assert order == sorted(order)
    position = {t["task_id"]: n for n, t in enumerate(queue)}
    p1, p2, p3 = (position[referrals_by_priority[p]] for p in ("P1", "P2", "P3"))
    assert p1 < p2 < p3


def test_the_queue_pages_on_after_the_last_task_seen(
    system: System, referrals_by_priority: dict[str, str]
) -> None:
    officer = bearer(Role.OFFICER, Agency.PDRM)
    code, whole = get(f"{system.api}/v1/tasks?limit=3", officer)
    assert code == 200 and len(whole["items"]) == 3, whole  # three at least: the fixture's
    seen, after = [], ""
    for _ in whole["items"]:
        code, page = get(f"{system.api}/v1/tasks?limit=1{after}", officer)
        assert code == 200 and len(page["items"]) == 1, page
        seen.append(page["items"][0]["task_id"])
        after = f"&after={page['next_after']}"
    assert seen == [t["task_id"] for t in whole["items"]]
    # A page read by cursor offers no offset to go on from, and the two together are
    # refused: a client sending back both of a page's next values skipped a page.
    code, first = get(f"{system.api}/v1/tasks?limit=1", officer)
    assert code == 200 and first["next_offset"] == 1 and first["next_after"], first
    code, by_cursor = get(f"{system.api}/v1/tasks?limit=1&after={first['next_after']}", officer)
    assert code == 200 and by_cursor["next_offset"] is None, by_cursor
    assert by_cursor["items"][0]["task_id"] == seen[1]
    both = f"limit=1&after={first['next_after']}&offset=1"
    code, refused = get(f"{system.api}/v1/tasks?{both}", officer)
    assert code == 400 and refused["errors"][0]["code"] == "conflicting_paging", refused
    assert refused["errors"][0]["field"] == "offset"
    # An offset of 0 is the default a generated client may send beside a cursor: harmless.
    code, same = get(f"{system.api}/v1/tasks?limit=1&after={first['next_after']}&offset=0", officer)
    assert code == 200 and same["items"] == by_cursor["items"], same
    code, refused = get(f"{system.api}/v1/tasks?after=nonsense", officer)
    assert code == 400 and refused["errors"][0]["code"] == "invalid_cursor", refused
    assert refused["errors"][0]["field"] == "after"
    # A query parameter the framework refuses is named as the API names its own: 'limit'.
    code, refused = get(f"{system.api}/v1/tasks?limit=0", officer)
    assert code == 422 and [e["field"] for e in refused["errors"]] == ["limit"], refused


def test_pdrm_claims_and_completes_its_referral(system: System, shared_case: dict) -> None:
    officer = bearer(Role.OFFICER, Agency.PDRM, "pdrm-officer-1")
    referral = _task(system.api, officer, shared_case["case_id"], "criminal_referral")
    code, claimed = post(f"{system.api}/v1/tasks/{referral['task_id']}/claim", {}, officer)
    assert (
        code == 200 and claimed["status"] == "claimed" and claimed["claimed_by"] == "pdrm-officer-1"
    )
    code, again = post(f"{system.api}/v1/tasks/{referral['task_id']}/claim", {}, officer)
    assert code == 409 and again["errors"][0]["code"] == "invalid_transition"
    code, done = post(
        f"{system.api}/v1/tasks/{referral['task_id']}/complete",
        {"outcome": {"code": "arrest"}},
        officer,
    )
    assert code == 200 and done["status"] == "completed"
    code, case = get(f"{system.api}/v1/cases/{shared_case['case_id']}", officer)
    assert code == 200
    assert any(e["kind"] == "TaskCompleted" for e in case["timeline"])
    assert case["victims"][0]["ref"] == shared_case["victim_ref"]  # PDRM may see victim details


def test_kpwkm_sees_its_task_and_mcmc_cannot_act_on_it(system: System, shared_case: dict) -> None:
    caseworker = bearer(Role.CASEWORKER, Agency.KPWKM)
    support = _task(system.api, caseworker, shared_case["case_id"], "victim_support")
    assert shared_case["victim_ref"] not in support["target"]
    # The worker (task target) and the API (case view) make the same keyed pseudonym.
    code, case = get(f"{system.api}/v1/cases/{shared_case['case_id']}", caseworker)
    assert code == 200 and support["target"] == case["victims"][0]["pseudonym"]
    assert support["target"] != unkeyed_pseudonym(shared_case["victim_ref"])
    mcmc = bearer(Role.OFFICER, Agency.MCMC)
    code, body = post(f"{system.api}/v1/tasks/{support['task_id']}/claim", {}, mcmc)
    assert code == 404 and body["errors"][0]["code"] == "not_found"
    code, body = get(f"{system.api}/v1/tasks?agency=KPWKM", mcmc)
    assert code == 403


def test_an_analyst_explores_the_graph_with_victims_pseudonymised(
    system: System, shared_case: dict
) -> None:
    analyst = bearer(Role.ANALYST, Agency.MCMC)
    code, found = get(
        f"{system.api}/v1/search?kind=username&value=@{shared_case['groomer'].upper()}", analyst
    )
    assert code == 200 and found["results"][0]["cases"] == [shared_case["case_id"]]
    code, found = get(
        f"{system.api}/v1/search?kind=phone&value={quote(shared_case['phone'])}", analyst
    )
    assert code == 200 and shared_case["case_id"] in found["results"][0]["cases"]
    code, around = get(
        f"{system.api}/v1/graph/neighbourhood?entity={quote(found['results'][0]['key'])}&depth=2",
        analyst,
    )
    assert code == 200 and f"case:{shared_case['case_id']}" in {n["ref"] for n in around["nodes"]}
    code, case = get(f"{system.api}/v1/cases/{shared_case['case_id']}", analyst)
    assert code == 200 and "ref" not in case["victims"][0]
    assert shared_case["victim_ref"] not in str(case)


def test_officers_read_a_report_as_submitted_and_the_read_is_audited(
    system: System, shared_case: dict
) -> None:
    case_id, report_id = shared_case["case_id"], shared_case["report_ids"][0]
    url = f"{system.api}/v1/cases/{case_id}/reports/{report_id}"
    code, police = get(url, bearer(Role.OFFICER, Agency.PDRM, "pdrm-reader"))
    assert code == 200, police
    assert police["report"]["description"] == shared_case["description"]
    assert police["report"]["accounts"][0]["username"] == shared_case["groomer"]
    assert police["report"]["victim"]["pseudonym_ref"] == shared_case["reporter_victim_ref"]
    assert police["withheld"] == []
    code, regulator = get(url, bearer(Role.OFFICER, Agency.MCMC))
    assert code == 200 and regulator["report"]["description"] == shared_case["description"]
    assert regulator["report"]["victim"] is None and regulator["withheld"] == ["victim"]
    assert shared_case["reporter_victim_ref"] not in str(regulator)
    code, body = get(
        f"{system.api}/v1/cases/{case_id}/reports/{uuid4()}", bearer(Role.ANALYST, Agency.MCMC)
    )
    assert code == 404 and body["errors"][0]["code"] == "not_found"
    code, trail = get(f"{system.api}/v1/cases/{case_id}/audit", bearer(Role.ADMIN, Agency.MCMC))
    assert code == 200 and trail["chain_valid"] is True
    reads = [
        r for r in trail["records"] if r["action"] == "report.read" and r["actor"] == "pdrm-reader"
    ]
    assert [r["target"] for r in reads] == [f"report:{report_id}"]


def test_a_public_reporters_contact_is_shown_only_to_those_who_may_see_victim_details(
    system: System,
) -> None:
    phone = f"012-{str(uuid4().int)[:7]}"
    body = {
        "description": f"a stranger asks my daughter for photos ({uuid4()})",
        "usernames": [f"stranger_{uuid4().hex[:8]}"],
        "platform": "instagram",
        "child_in_danger": True,  # P1: PDRM and KPWKM get tasks
        "reporter": {"name": "Aminah", "phone": phone},
    }
    code, accepted = post(f"{system.api}/v1/reports", body)
    assert code == 202, accepted
    case_id = wait_in_case(system.api, accepted["report_id"])["case_id"]
    url = f"{system.api}/v1/cases/{case_id}/reports/{accepted['report_id']}"
    code, police = get(url, bearer(Role.OFFICER, Agency.PDRM))
    assert code == 200 and police["report"]["reporter"]["phone"] == phone
    code, analyst = get(url, bearer(Role.ANALYST, Agency.MCMC))
    assert code == 200 and analyst["report"]["description"] == body["description"]
    assert analyst["report"]["reporter"] is None and analyst["withheld"] == ["reporter"]
    assert phone not in str(analyst) and "Aminah" not in str(analyst)


def test_the_api_log_holds_no_searched_value_and_no_client_address(
    system: System, shared_case: dict
) -> None:
    """Search values are personal data (a phone, a username) and so is the caller's address:
    an access log line per request (uvicorn's, on by default) printed both."""
    analyst = bearer(Role.ANALYST, Agency.MCMC)
    digits = shared_case["phone"].replace("-", "").replace(" ", "")
    code, _ = get(f"{system.api}/v1/search?kind=phone&value={digits}", analyst)
    assert code == 200
    log = (system.logs / "api.log").read_text()
    assert "/v1/search" not in log and digits not in log
    assert "127.0.0.1:" not in log.replace(f"127.0.0.1:{system.api.rsplit(':', 1)[1]}", "")


def test_reading_a_case_needs_a_purpose_and_is_audited(system: System, shared_case: dict) -> None:
    analyst = bearer(Role.ANALYST, Agency.MCMC)
    code, body = get(
        f"{system.api}/v1/cases/{shared_case['case_id']}",
        {"Authorization": analyst["Authorization"]},
    )
    assert code == 400 and body["errors"][0]["code"] == "purpose_required"
    code, _ = get(f"{system.api}/v1/cases/{shared_case['case_id']}", analyst)
    assert code == 200
    admin = bearer(Role.ADMIN, Agency.MCMC)
    code, trail = get(f"{system.api}/v1/cases/{shared_case['case_id']}/audit", admin)
    assert code == 200 and trail["chain_valid"] is True
    actions = [r["action"] for r in trail["records"]]
    assert "case.read" in actions
    assert all(r["purpose"] for r in trail["records"] if r["action"] == "case.read")
    code, _ = get(f"{system.api}/v1/cases/{shared_case['case_id']}/audit", analyst)
    assert code == 403


def test_without_a_token_people_routes_answer_401(system: System) -> None:
    code, body = get(f"{system.api}/v1/tasks")
    assert code == 401 and body["errors"][0]["code"] == "missing_token"
