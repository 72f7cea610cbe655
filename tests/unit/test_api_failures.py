"""What the API did not answer itself, in its one error format: a graph read past its
timeout, Neo4j unreachable, any other failure (Starlette's plain-text 500 before)."""

from typing import Any

import httpx
import pytest
from neo4j.exceptions import ServiceUnavailable

from api import cases
from api import tasks as task_routes
from api.app import create_app
from api.audit import Auditor
from api.security.principal import Role
from api.security.tokens import mint_token
from contracts.enums import Agency
from graph import analyst
from graph.queries import ReadTimedOut
from graph.tasks import QUEUE_TOO_WIDE
from runtime.settings import Settings

CASE = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
PATH = f"/v1/graph/path?from=case:{CASE}&to=phone:0123456789"


class Failing:
    """Stands in for the Neo4j driver: every query fails with `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def execute_query(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error


def _client(graph: object) -> tuple[httpx.AsyncClient, dict[str, str]]:
    settings = Settings()
    app = create_app(settings)
    app.state.settings, app.state.graph = settings, graph
    app.state.auditor = Auditor(graph, settings.neo4j_database)  # type: ignore[arg-type]
    # The app's 500 handler answers, then Starlette raises the error on for the server's log.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    token = mint_token("analyst-1", Role.ANALYST, Agency.MCMC, settings)
    headers = {"Authorization": f"Bearer {token}", "X-Purpose": "case 12 review"}
    return httpx.AsyncClient(transport=transport, base_url="http://api"), headers


async def test_a_graph_read_past_its_timeout_is_a_504_saying_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def too_wide(*args: Any) -> Any:
        raise ReadTimedOut("the read took longer than 5 s")

    monkeypatch.setattr(analyst, "shortest_path", too_wide)
    client, headers = _client(Failing(AssertionError("no other read")))
    async with client:
        answer = await client.get(PATH, headers=headers)
    assert answer.status_code == 504
    [error] = answer.json()["errors"]
    assert (error["code"], error["field"]) == ("graph_read_timeout", "")
    assert "narrower" in error["message"]
    assert cases._graph_reads == {}  # the caller's read slot is given back


async def test_a_queue_listing_past_its_timeout_is_a_504_saying_what_to_list_instead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A listing of every status sorts every task the agency ever closed: it ran with no
    timeout, holding a Neo4j thread; stopped, it tells the officer what to ask instead."""

    async def too_wide(*args: Any) -> Any:
        raise ReadTimedOut("the read took longer than 5 s", QUEUE_TOO_WIDE)

    monkeypatch.setattr(task_routes, "list_tasks", too_wide)
    client, headers = _client(Failing(AssertionError("no other read")))
    async with client:
        answer = await client.get("/v1/tasks?agency=MCMC&status=completed", headers=headers)
    assert answer.status_code == 504
    [error] = answer.json()["errors"]
    assert error["code"] == "graph_read_timeout"
    assert "fewer statuses" in error["message"] and "hops" not in error["message"]


async def test_neo4j_unreachable_is_a_503_to_retry() -> None:
    client, headers = _client(Failing(ServiceUnavailable("Couldn't connect to 127.0.0.1:7687")))
    async with client:
        answer = await client.get(PATH, headers=headers)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert [e["code"] for e in answer.json()["errors"]] == ["graph_unavailable"]
    assert "7687" not in answer.text  # the driver's own words stay out of the answer


async def test_any_other_failure_is_a_500_in_the_error_format() -> None:
    client, headers = _client(Failing(RuntimeError("a value from the query: +60123456789")))
    async with client:
        answer = await client.get(PATH, headers=headers)
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/json"
    assert [e["code"] for e in answer.json()["errors"]] == ["internal_error"]
    assert "60123456789" not in answer.text


@pytest.mark.parametrize("path", ["/v1/audit/global", f"/v1/cases/{CASE}/audit"])
async def test_an_audit_read_without_a_purpose_is_refused_before_the_chain_is_read(
    path: str,
) -> None:
    # The whole chain was verified (seconds on a long one), then the request refused.
    client, headers = _client(Failing(AssertionError("the chain was read")))
    token = mint_token("admin-1", Role.ADMIN, Agency.MCMC, Settings())
    async with client:
        answer = await client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400
    assert [e["code"] for e in answer.json()["errors"]] == ["purpose_required"]
