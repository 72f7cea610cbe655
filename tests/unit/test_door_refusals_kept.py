"""Refusals at the intake doors that were lost or answered as faults (found by a review of
the API): each is answered in the one error format and kept as a dead letter. Through the
real app; a recording publisher stands in for Kafka and a small fake for the key lookup."""

import hashlib
from typing import Any

import httpx
import pytest
from aiokafka.errors import KafkaTimeoutError
from neo4j.exceptions import ServiceUnavailable

from api.app import create_app
from api.auth import OrganisationKeys
from api.ratelimit import RateLimiter
from contracts import topics
from contracts.deadletters import DeadLetterRecorded
from contracts.envelope import Event
from runtime.settings import Settings
from tests.unit.test_public_door_limits import Recorded

KEYS = {"key-a": ("plat-a", "platform"), "key-b": ("plat-b", "platform")}
JSON = {"Content-Type": "application/json"}


class KeysOnly:
    """Answers the key lookup (by the key's hash) and finds no earlier report."""

    def __init__(self) -> None:
        self.hashes = {hashlib.sha256(k.encode()).hexdigest(): v for k, v in KEYS.items()}
        self.down = False

    async def execute_query(self, query: str, **kwargs: Any) -> Any:
        if self.down:
            raise ServiceUnavailable("Couldn't connect to 127.0.0.1:7687")
        if "key_hash" in kwargs:
            found = self.hashes.get(kwargs["key_hash"])
            return ([{"id": found[0], "kind": found[1]}] if found else []), None, None
        return [], None, None


def _client() -> tuple[httpx.AsyncClient, Recorded, KeysOnly]:
    settings = Settings()
    app = create_app(settings)
    published, graph = Recorded(), KeysOnly()
    app.state.settings, app.state.publisher, app.state.graph = settings, published, graph
    app.state.public_limiter = RateLimiter(10_000)
    app.state.keys = OrganisationKeys(graph, settings.neo4j_database)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5555))
    return httpx.AsyncClient(transport=transport, base_url="http://api"), published, graph


def _letters(published: Recorded) -> list[DeadLetterRecorded]:
    letters = [e for topic, _, e in published.sent if topic == topics.DEAD_LETTERS]
    assert all(isinstance(letter, DeadLetterRecorded) for letter in letters)
    return letters  # type: ignore[return-value]


def _platform_report(organisation: str) -> dict[str, Any]:
    return {
        "organisation_id": organisation,
        "reference": "CT-1",
        "incident_type": "csam",
        "incident_time": "2026-12-02T00:00:00Z",
    }


async def test_json_nested_deep_is_refused_and_kept() -> None:
    """Nested just so deep, the body passed the parser and overflowed the dead letter's walk
    of its strings: 500, nothing kept. Where depends on the frames around the request (928
    under pytest, 966 from a script): every depth around it, and far past it."""
    client, published, _ = _client()
    async with client:
        for depth in [*range(850, 1050), 5_000]:
            body = '{"description": ' + "[" * depth + "]" * depth + "}"
            answer = await client.post("/v1/reports", content=body.encode(), headers=JSON)
            assert answer.status_code == 422, (depth, answer.text)
            assert set(answer.json()["errors"][0]) == {"code", "field", "message"}
    letters = _letters(published)
    assert len(letters) == 201
    assert {letter.payload.source for letter in letters} == {"http:POST /v1/reports"}


async def test_a_report_under_another_organisations_name_is_refused_and_kept() -> None:
    client, published, _ = _client()
    async with client:
        answer = await client.post(
            "/v1/reports/platform", json=_platform_report("plat-a"), headers={"X-API-Key": "key-b"}
        )
    assert answer.status_code == 403
    [error] = answer.json()["errors"]
    assert (error["code"], error["field"]) == ("organisation_mismatch", "organisation_id")
    [letter] = _letters(published)
    assert letter.payload.reason == "organisation_mismatch"
    assert letter.payload.source == "http:POST /v1/reports/platform key=plat-b"
    assert not [e for topic, _, e in published.sent if topic != topics.DEAD_LETTERS]


async def test_a_valid_report_refused_for_its_size_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topics, "RECORD_MAX_BYTES", 200)
    client, published, _ = _client()
    async with client:
        answer = await client.post(
            "/v1/reports/platform", json=_platform_report("plat-a"), headers={"X-API-Key": "key-a"}
        )
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["code"] == "report_too_large"
    [letter] = _letters(published)
    assert letter.payload.reason == "report_too_large"
    assert letter.payload.source.endswith("key=plat-a")
    assert len(published.sent) == 1  # the dead letter only: nothing on the intake topic


async def test_a_keyed_door_with_the_graph_down_answers_503_to_retry() -> None:
    """The key lookup runs in the body guard, outside the app's handlers: 500 before."""
    client, published, graph = _client()
    graph.down = True
    async with client:
        answer = await client.post(
            "/v1/reports/platform", json=_platform_report("plat-a"), headers={"X-API-Key": "key-a"}
        )
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.json()["errors"][0]["code"] == "graph_unavailable"
    assert published.sent == []  # nothing was read of the report: the platform sends it again


def test_the_media_checks_walk_json_of_any_depth() -> None:
    """Where the HTTP door's stack runs out depends on the frames around it (964-966 under
    the test client when this was found): the walks themselves must not recurse."""
    from contracts.media import refuse_media_in, strings_in

    nested: list[Any] = []
    innermost = nested
    for _ in range(100_000):
        innermost.append([])
        innermost = innermost[0]
    innermost.append({"key": "text"})
    assert list(strings_in(nested)) == ["key", "text"]
    refuse_media_in(nested)  # walks to the end, raising nothing for plain text
    assert list(strings_in({"a": ["b", {"c": "d"}], "e": "f"})) == ["a", "b", "c", "d", "e", "f"]


class KafkaDown:
    """A publisher whose every send times out, as aiokafka's does with the broker down."""

    async def publish(self, topic: str, key: str, event: Event) -> None:
        raise KafkaTimeoutError()

    async def publish_encoded(self, topic: str, key: str, value: bytes) -> None:
        raise KafkaTimeoutError()


async def test_with_kafka_down_a_door_says_send_again_and_never_drops_a_refusal() -> None:
    """A refused report whose dead letter Kafka could not take was answered 422 and kept
    nowhere; a valid report Kafka could not take was answered 500. Both are 503 now, the
    refusal's reasons beside it."""
    client, _, _ = _client()
    client._transport.app.state.publisher = KafkaDown()  # type: ignore[attr-defined]
    async with client:
        refused = await client.post("/v1/reports", json={"language": "xx"})
        valid = await client.post("/v1/reports", json={"description": "a stranger asks my son"})
        keyed = await client.post(
            "/v1/reports/platform", json=_platform_report("plat-b"), headers={"X-API-Key": "key-a"}
        )
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    codes = [e["code"] for e in refused.json()["errors"]]
    assert codes[0] == "refusal_not_kept" and len(codes) > 1  # and why it was refused
    assert {e["field"] for e in refused.json()["errors"][1:]} == {"language"}
    assert valid.status_code == 503 and valid.headers["Retry-After"] == "5"
    assert [e["code"] for e in valid.json()["errors"]] == ["intake_unavailable"]
    assert keyed.status_code == 503  # a 403 whose letter could not be kept
    assert [e["code"] for e in keyed.json()["errors"]] == [
        "refusal_not_kept",
        "organisation_mismatch",
    ]


async def test_a_publish_kafka_never_acks_is_given_up_and_answered_503(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An idempotent producer never gives up a batch it sent: with Kafka down a report
    waited for ever while its caller held the connection. The door waits PUBLISH_WAIT_S."""
    import asyncio

    from api import publisher

    class NeverAcked:
        async def send_and_wait(self, *args: object, **kwargs: object) -> None:
            await asyncio.sleep(3600)

    monkeypatch.setattr(publisher, "PUBLISH_WAIT_S", 0.05)
    waiting = publisher.Publisher("127.0.0.1:1")
    waiting._producer = NeverAcked()
    client, _, _ = _client()
    client._transport.app.state.publisher = waiting  # type: ignore[attr-defined]
    async with client:
        answer = await asyncio.wait_for(
            client.post("/v1/reports", json={"description": "a stranger asks my son"}), 5
        )
    assert answer.status_code == 503
    assert [e["code"] for e in answer.json()["errors"]] == ["intake_unavailable"]
