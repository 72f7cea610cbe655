"""Every cell of the permission matrix, through the real API on real Kafka and Neo4j.

The expected answer of each cell comes from api.security.permissions (the documented
matrix); the actual answer is the HTTP status the running API gives.
"""

import pytest

from api.security.permissions import Permission, allowed
from api.security.principal import Principal, Role
from api.security.tokens import mint_token
from contracts.enums import Agency
from runtime.settings import get_settings
from tests.e2e.conftest import System
from tests.e2e.http import get, post
from tests.factories import unique

PRINCIPALS = [
    Principal("m-officer", Role.OFFICER, Agency.MCMC),
    Principal("p-officer", Role.OFFICER, Agency.PDRM),
    Principal("k-caseworker", Role.CASEWORKER, Agency.KPWKM),
    Principal("p-caseworker", Role.CASEWORKER, Agency.PDRM),
    Principal("m-analyst", Role.ANALYST, Agency.MCMC),
    Principal("k-analyst", Role.ANALYST, Agency.KPWKM),
    Principal("m-admin", Role.ADMIN, Agency.MCMC),
    Principal("p-admin", Role.ADMIN, Agency.PDRM),
    Principal("platform", Role.PLATFORM, None, "some-platform"),
    Principal("ngo", Role.NGO, None, "some-ngo"),
]
IDS = [f"{p.role.value}-{p.agency.value if p.agency else p.organisation_id}" for p in PRINCIPALS]


def headers(p: Principal) -> dict[str, str]:
    token = mint_token(
        unique(p.subject), p.role, p.agency, get_settings(), organisation_id=p.organisation_id
    )
    return {"Authorization": f"Bearer {token}", "X-Purpose": "permission matrix test"}


@pytest.fixture(scope="module")
def case_tasks(system: System, shared_case: dict) -> dict[str, str]:
    """The case's task id per agency, read by an admin."""
    code, case = get(
        f"{system.api}/v1/cases/{shared_case['case_id']}",
        headers(Principal("a", Role.ADMIN, Agency.PDRM)),
    )
    assert code == 200, case
    return {t["agency"]: t["id"] for t in case["tasks"]}


@pytest.mark.parametrize("principal", PRINCIPALS, ids=IDS)
@pytest.mark.parametrize("agency", list(Agency))
def test_reading_a_task_queue(system: System, principal: Principal, agency: Agency) -> None:
    code, _ = get(f"{system.api}/v1/tasks?agency={agency.value}&limit=1", headers(principal))
    assert code == (200 if allowed(principal, Permission.TASKS_READ, agency) else 403)


@pytest.mark.parametrize("principal", PRINCIPALS, ids=IDS)
@pytest.mark.parametrize("agency", list(Agency))
def test_acting_on_a_task(
    system: System, case_tasks: dict[str, str], principal: Principal, agency: Agency
) -> None:
    # Completing a task nobody claimed is never a valid transition, so an allowed caller gets
    # 409 and nothing changes; a refused one gets 403 (role) or 404 (another agency's task).
    body = {"outcome": {"code": "arrest"}}
    code, _ = post(
        f"{system.api}/v1/tasks/{case_tasks[agency.value]}/complete", body, headers(principal)
    )
    if allowed(principal, Permission.TASKS_ACT, agency):
        assert code == 409
    elif Permission.TASKS_ACT in _role_permissions(principal):
        assert code == 404
    else:
        assert code == 403


@pytest.mark.parametrize("principal", PRINCIPALS, ids=IDS)
def test_reading_the_case_and_its_victims(
    system: System, shared_case: dict, principal: Principal
) -> None:
    code, case = get(f"{system.api}/v1/cases/{shared_case['case_id']}", headers(principal))
    if not allowed(principal, Permission.CASES_READ):
        assert code == 403
        return
    assert code == 200  # every agency has a task on this case
    revealed = "ref" in case["victims"][0]
    assert revealed == allowed(principal, Permission.VICTIMS_READ, principal.agency)
    assert (shared_case["victim_ref"] in str(case)) == revealed


@pytest.mark.parametrize("principal", PRINCIPALS, ids=IDS)
def test_reading_a_report_as_submitted(
    system: System, shared_case: dict, principal: Principal
) -> None:
    case_id, report_id = shared_case["case_id"], shared_case["report_ids"][0]
    code, found = get(f"{system.api}/v1/cases/{case_id}/reports/{report_id}", headers(principal))
    if not allowed(principal, Permission.CASES_READ):
        assert code == 403
        return
    assert code == 200 and found["report"]["description"] == shared_case["description"]
    revealed = found["report"]["victim"] is not None
    assert revealed == allowed(principal, Permission.VICTIMS_READ, principal.agency)
    assert (shared_case["reporter_victim_ref"] in str(found)) == revealed


@pytest.mark.parametrize("principal", PRINCIPALS, ids=IDS)
def test_exploring_the_graph(system: System, shared_case: dict, principal: Principal) -> None:
    code, _ = get(
        f"{system.api}/v1/search?kind=username&value={shared_case['groomer']}", headers(principal)
    )
    assert code == (200 if allowed(principal, Permission.GRAPH_READ) else 403)


@pytest.mark.parametrize("principal", PRINCIPALS, ids=IDS)
def test_reading_the_audit_trail(system: System, shared_case: dict, principal: Principal) -> None:
    code, _ = get(f"{system.api}/v1/cases/{shared_case['case_id']}/audit", headers(principal))
    assert code == (200 if allowed(principal, Permission.AUDIT_READ) else 403)


@pytest.mark.parametrize("principal", PRINCIPALS, ids=IDS)
def test_reading_the_global_audit_chain(system: System, principal: Principal) -> None:
    code, _ = get(f"{system.api}/v1/audit/global?limit=1", headers(principal))
    assert code == (200 if allowed(principal, Permission.AUDIT_READ) else 403)


def _role_permissions(principal: Principal) -> frozenset[Permission]:
    from api.security.permissions import MATRIX

    return MATRIX[principal.role]
