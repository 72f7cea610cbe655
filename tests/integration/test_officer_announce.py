"""An officer's action is announced before its commit: if Kafka refuses the event, the action
is rolled back (the officer gets a 503 and can try again) instead of staying in the graph
with its lifecycle event never published."""

from datetime import UTC, datetime
from uuid import UUID, uuid4, uuid5

import httpx
from aiokafka.errors import KafkaConnectionError
from neo4j import AsyncDriver

from api.app import create_app
from api.security.principal import Role
from api.tasks import OfficerAction, act_and_announce
from contracts.enums import Agency
from contracts.envelope import Event
from contracts.lifecycle import CaseStatusChanged, TaskClaimed
from graph.lifecycle import Action
from graph.tasks import get_task
from runtime.settings import Settings
from tests.e2e.conftest import bearer
from tests.integration.test_lifecycle import case_status_of, make_case

PDRM = Agency.PDRM


class Sent:
    """Stands in for the publisher: keeps what was sent, or refuses as a downed broker does."""

    def __init__(self, refuse: bool = False):
        self.refuse = refuse
        self.events: list[Event] = []

    async def publish_all(self, items: list[tuple[str, str, Event]]) -> None:
        if self.refuse:
            raise KafkaConnectionError(f"refused {items[0][0]}")
        self.events.extend(event for _, _, event in items)


async def _claim(driver: AsyncDriver, change: OfficerAction, sent: Sent) -> None:
    async with driver.session() as session:
        await session.execute_write(act_and_announce, change, sent.publish_all)


async def _timeline_kinds(driver: AsyncDriver, case_id: str) -> list[str]:
    records, _, _ = await driver.execute_query(
        "MATCH (:Case {id: $cid})-[:HAS_EVENT]->(e) RETURN e.kind AS kind ORDER BY e.seq",
        cid=case_id,
    )
    return [r["kind"] for r in records]


async def test_a_claim_kafka_refused_is_rolled_back_and_can_be_made_again(
    neo4j: AsyncDriver,
) -> None:
    case_id, tasks = await make_case(neo4j)
    task_id = tasks[PDRM]
    change = OfficerAction(
        task_id, Action.CLAIM, "pdrm-officer-3", PDRM, datetime.now(UTC), uuid4()
    )

    refused = Sent(refuse=True)
    try:
        await _claim(neo4j, change, refused)
    except KafkaConnectionError:
        pass
    else:
        raise AssertionError("the refused send did not reach the action")
    # Announced after the commit, the task was claimed here and its event lost for good.
    task = await get_task(neo4j, task_id)
    assert task is not None and task.status == "assigned" and task.claimed_by is None
    assert "TaskClaimed" not in await _timeline_kinds(neo4j, case_id)
    assert await case_status_of(neo4j, case_id) == "open"

    again = Sent()
    await _claim(neo4j, change, again)
    assert [type(e) for e in again.events] == [TaskClaimed, CaseStatusChanged]
    claimed = again.events[0]
    assert claimed.event_id == uuid5(UUID(task_id), f"TaskClaimed@{change.at.isoformat()}")
    assert again.events[1].causation_id == claimed.event_id
    task = await get_task(neo4j, task_id)
    assert task is not None and task.status == "claimed" and task.claimed_by == "pdrm-officer-3"
    assert (await _timeline_kinds(neo4j, case_id)).count("TaskClaimed") == 1


async def test_a_rerun_of_the_same_action_announces_the_same_ids(neo4j: AsyncDriver) -> None:
    """A commit that fails after the send runs the transaction again: consumers dedupe the
    repeat only if its ids are the ones already sent."""
    _, tasks = await make_case(neo4j)
    change = OfficerAction(
        tasks[PDRM], Action.CLAIM, "pdrm-officer-4", PDRM, datetime.now(UTC), uuid4()
    )
    first, second = Sent(), Sent()
    async with neo4j.session() as session:
        tx = await session.begin_transaction()
        await act_and_announce(tx, change, first.publish_all)  # type: ignore[arg-type]
        await tx.rollback()  # as a commit that failed
    await _claim(neo4j, change, second)
    assert [e.event_id for e in second.events] == [e.event_id for e in first.events]
    assert len(first.events) == 2


async def test_the_api_answers_503_and_changes_nothing_when_kafka_refuses(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    case_id, tasks = await make_case(neo4j)
    task_id = tasks[PDRM]
    app = create_app(settings)
    # The lifespan would connect a real producer; this one refuses every send instead.
    app.state.settings, app.state.graph, app.state.publisher = settings, neo4j, Sent(refuse=True)
    officer = bearer(Role.OFFICER, PDRM, "pdrm-officer-5")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        answer = await client.post(f"/v1/tasks/{task_id}/claim", json={}, headers=officer)
    assert answer.status_code == 503, answer.text
    (error,) = answer.json()["errors"]
    assert error["code"] == "events_unavailable" and "try again" in error["message"]
    task = await get_task(neo4j, task_id)
    assert task is not None and task.status == "assigned" and task.claimed_by is None
    assert "TaskClaimed" not in await _timeline_kinds(neo4j, case_id)
