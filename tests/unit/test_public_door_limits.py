"""The public door's limits, through the real app (no services: the door only publishes,
and a recording publisher stands in for Kafka's)."""

import base64
from collections.abc import AsyncIterator

import httpx
import pytest

from api import ratelimit
from api.app import OTHER_MAX_BODY, create_app
from api.auth import OrganisationKeys
from api.ratelimit import RateLimiter
from contracts.deadletters import DeadLetterRecorded
from contracts.envelope import Event
from contracts.registry import decode_event
from runtime.settings import Settings

CHUNK = 16 * 1024


class Recorded:
    """Stands in for the API's Kafka publisher: keeps what was published."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, Event]] = []

    async def publish(self, topic: str, key: str, event: Event) -> None:
        self.sent.append((topic, key, event))

    async def publish_encoded(self, topic: str, key: str, value: bytes) -> None:
        self.sent.append((topic, key, decode_event(value)))


def _client(per_minute: int = 30) -> tuple[httpx.AsyncClient, Recorded]:
    settings = Settings()
    app = create_app(settings)
    published = Recorded()
    app.state.settings, app.state.publisher = settings, published
    app.state.public_limiter = RateLimiter(per_minute)
    # No key store needed: these tests send no key, which is refused before any lookup.
    app.state.keys = OrganisationKeys(None, settings.neo4j_database)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5555))
    return httpx.AsyncClient(transport=transport, base_url="http://api"), published


async def test_invalid_bodies_count_against_the_public_limit() -> None:
    """The limit ran after the body was validated: invalid bodies were answered, and each
    kept as a dead letter, without limit."""
    client, published = _client(per_minute=3)
    invalid = {"suspected_categories": ["not-a-category"]}
    async with client:
        codes = [(await client.post("/v1/reports", json=invalid)).status_code for _ in range(2)]
        # No JSON at all: FastAPI refuses it before any dependency runs, so a limit kept as
        # a dependency did not count it (found by a review).
        garbage = {"content": b"{not json", "headers": {"Content-Type": "application/json"}}
        malformed = await client.post("/v1/reports", **garbage)  # type: ignore[arg-type]
        codes.append(malformed.status_code)
        codes += [(await client.post("/v1/reports", **garbage)).status_code for _ in range(2)]  # type: ignore[arg-type]
        valid = await client.post("/v1/reports", json={"description": "a stranger asks my son"})
    assert codes == [422, 422, 422, 429, 429]
    assert [e["field"] for e in malformed.json()["errors"]] == [""]  # not the offset "1"
    assert valid.status_code == 429 and valid.json()["errors"][0]["code"] == "rate_limited"
    assert len(published.sent) == 3  # the three dead letters, nothing after the limit


class Huge:
    """A 6.4 MB body sent without a declared length, counting the chunks read."""

    def __init__(self) -> None:
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(400):
            self.read += 1
            yield b" " * CHUNK


async def test_a_body_without_a_declared_length_is_read_only_up_to_the_limit() -> None:
    huge = Huge()
    client, published = _client()
    async with client:
        answer = await client.post(
            "/v1/reports", content=huge, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["code"] == "body_too_large"
    assert huge.read <= Settings().public_max_body_bytes // CHUNK + 2  # it stopped reading
    assert published.sent == []


async def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    read = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal read
        read += 1
        yield b"{}"

    client, _ = _client()
    headers = {"Content-Type": "application/json", "Content-Length": "10000000"}
    async with client:
        answer = await client.post("/v1/reports", content=body(), headers=headers)
    assert answer.status_code == 413 and read == 0


async def test_a_body_within_the_limit_still_reaches_the_route() -> None:
    client, published = _client()
    async with client:
        answer = await client.post("/v1/reports", json={"description": "grooming on a game chat"})
    assert answer.status_code == 202, answer.text
    assert len(published.sent) == 1


def test_the_limiter_forgets_the_least_recent_client_not_every_client() -> None:
    """A flood of new addresses used to clear every bucket, giving the client that had used
    its allowance a full one again."""
    limiter = RateLimiter(per_minute=2, max_clients=3)
    assert [limiter.allow("heavy") for _ in range(3)] == [True, True, False]
    for n in range(2):
        limiter.allow(f"other-{n}")
    limiter.allow("heavy")  # seen again: now the most recent
    limiter.allow("another")  # one over the bound: the least recent (other-0) goes
    assert limiter.allow("heavy") is False
    assert len(limiter.buckets) == 3


def test_an_emptied_bucket_refills_at_its_rate_per_minute_and_no_further(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing checked the refill: a bucket refilled per second (60 times the limit) or
    never passed every test."""
    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    limiter = RateLimiter(per_minute=3)
    assert [limiter.allow("c") for _ in range(4)] == [True, True, True, False]
    clock[0] += 20  # a third of a minute: one token back
    assert [limiter.allow("c") for _ in range(2)] == [True, False]
    clock[0] += 600  # ten minutes: a full bucket, never more than the limit
    assert [limiter.allow("c") for _ in range(4)] == [True, True, True, False]


async def test_no_such_route_or_method_answers_in_the_one_error_format() -> None:
    client, _ = _client()
    async with client:
        missing = await client.get("/v1/nothing-here")
        wrong = await client.delete("/v1/reports")
    assert missing.status_code == 404
    assert [e["code"] for e in missing.json()["errors"]] == ["not_found"]
    assert wrong.status_code == 405
    assert [e["code"] for e in wrong.json()["errors"]] == ["method_not_allowed"]
    assert all(set(e) == {"code", "field", "message"} for e in wrong.json()["errors"])


async def test_a_read_refused_by_validation_is_not_kept_as_a_dead_letter() -> None:
    """Only refused reports are dead letters; a bad path parameter on a read is answered."""
    client, published = _client()
    async with client:
        answer = await client.get("/v1/reports/not-a-uuid")
    assert answer.status_code == 422
    assert published.sent == []


async def test_a_malformed_body_at_a_keyed_door_without_a_key_leaves_no_dead_letter() -> None:
    """Anyone could post megabytes of broken JSON to the platform door and have each kept on
    the dead-letter topic: a body is refused before the key is checked."""
    client, published = _client()
    async with client:
        answer = await client.post(
            "/v1/reports/platform",
            content=b"{broken",
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["code"] == "missing_api_key"
    assert published.sent == []


async def test_a_body_that_is_not_utf8_is_refused_and_kept_like_any_invalid_report() -> None:
    """FastAPI answers such a body with a 400 of its own before validation: it was answered
    'http_400' and never dead-lettered, while the Kafka doors kept the same bytes."""
    client, published = _client()
    body = '{"description": "café: un homme demande des photos"}'.encode("latin-1")
    async with client:
        answer = await client.post(
            "/v1/reports", content=body, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 422
    assert [e["code"] for e in answer.json()["errors"]] == ["not_json"]
    ((topic, _, letter),) = published.sent
    assert topic == "ocsea.deadletter.all.v1" and isinstance(letter, DeadLetterRecorded)
    assert letter.payload.reason == "invalid_report"
    assert base64.b64decode(letter.payload.original_b64 or "") == body  # the bytes as sent


def test_an_ipv6_client_counts_by_its_64_and_an_ipv4_one_by_its_address() -> None:
    """One host holds a whole IPv6 /64: counted address by address, it was never limited."""
    from api.intake import limited_as

    one_host = [f"2001:db8:1:2::{n:x}" for n in range(1, 50)]
    assert {limited_as(a) for a in one_host} == {"2001:db8:1:2::/64"}
    assert limited_as("2001:db8:1:3::1") != limited_as("2001:db8:1:2::1")
    assert limited_as("203.0.113.7") == "203.0.113.7"
    assert limited_as("::ffff:203.0.113.7") == "203.0.113.7"  # the same IPv4 client
    assert limited_as("testclient") == "testclient"  # not an address: as it is


async def test_a_keyed_door_accepts_a_report_when_the_graph_cannot_say_if_its_reference_was_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reuse check asks the graph briefly: down or slow, the door stays open (the linker
    still refuses a reused reference, after the 202)."""
    import asyncio
    from types import SimpleNamespace
    from uuid import uuid4

    from api import intake
    from contracts.reports import PlatformReport

    report = PlatformReport(
        organisation_id="p",
        reference="r",
        incident_type="csam",
        incident_time="2026-11-30T00:00:00Z",
    )

    async def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("neo4j is down")

    async def slow(*args: object, **kwargs: object) -> None:
        await asyncio.sleep(60)

    monkeypatch.setattr(intake, "REUSE_CHECK_TIMEOUT_S", 0.1)
    for query in (down, slow):
        state = SimpleNamespace(graph=SimpleNamespace(execute_query=query), settings=Settings())
        request = SimpleNamespace(app=SimpleNamespace(state=state))
        # Returns (no 409, no error), and within its own short wait, not the query's minute.
        check = intake.refuse_a_reused_reference(request, report, uuid4())  # type: ignore[arg-type]
        await asyncio.wait_for(check, 5)


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-32", "utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le"]
)
async def test_a_body_in_another_unicode_encoding_is_refused_and_kept(encoding: str) -> None:
    """json.loads reads UTF-16 and UTF-32 too: such a body was taken (202), where the doors
    take UTF-8 JSON text only. Without a byte order mark, ASCII text in them is valid UTF-8
    too (its NULs are), and was taken still (a review)."""
    client, published = _client()
    body = '{"description": "grooming on a game chat"}'.encode(encoding)
    async with client:
        answer = await client.post(
            "/v1/reports", content=body, headers={"Content-Type": "application/json"}
        )
        with_bom = await client.post(
            "/v1/reports",
            content='{"description": "grooming on a game chat"}'.encode("utf-8-sig"),
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 422
    assert [e["code"] for e in answer.json()["errors"]] == ["not_json"]
    assert with_bom.status_code == 202, with_bom.text  # UTF-8 with its byte order mark
    letter = published.sent[0][2]
    assert isinstance(letter, DeadLetterRecorded) and letter.payload.reason == "invalid_report"


async def test_a_large_body_at_any_other_route_is_refused_before_its_token_is_read() -> None:
    """A task action's body was read whole before its token was checked (200 MB with no
    token: read, then 401)."""
    huge = Huge()
    client, _ = _client()
    task = "/v1/tasks/00000000-0000-4000-8000-000000000001/complete"
    async with client:
        answer = await client.post(task, content=huge, headers={"Content-Type": "application/json"})
        small = await client.post(task, json={"outcome": {"code": "content_removed"}})
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["code"] == "body_too_large"
    assert huge.read <= OTHER_MAX_BODY // CHUNK + 2  # it stopped reading
    assert small.status_code == 401  # a small body goes on to the token check


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/reports/anything", 405),  # GET /v1/reports/{report_id} is the route there
        ("/v1/reports/" + "QUJD" * 2000, 405),
        ("/v1/reports/platform/", 307),  # to the door itself, which then checks the key
    ],
)
async def test_a_post_under_the_doors_path_that_is_no_door_leaves_no_dead_letter(
    path: str, status: int
) -> None:
    """Any path under /v1/reports was a door to the dead letters: a body that was no UTF-8
    was kept there without a key or a limit, its path (unchecked for media) as the source."""
    client, published = _client(per_minute=3)
    not_utf8 = {"content": b"\xff\xfe{}", "headers": {"Content-Type": "application/json"}}
    async with client:
        answers = [await client.post(path, **not_utf8) for _ in range(5)]  # type: ignore[arg-type]
    assert published.sent == []
    assert [a.status_code for a in answers] == [status] * 5
    if status == 307:
        assert answers[0].headers["location"] == "http://api/v1/reports/platform"
    else:
        assert answers[0].json()["errors"][0]["code"] == "method_not_allowed"


class OneKey:
    """Stands in for the key store: every key is organisation org-b's platform key."""

    async def organisation(self, request: object, kind: str) -> str:
        return "org-b"


async def test_a_refused_report_at_a_keyed_door_names_the_keys_organisation() -> None:
    """The dead letter said only 'http:POST /v1/reports/platform': org B's key leaving an
    invalid report that names org A left no trace of B."""
    client, published = _client()
    client._transport.app.state.keys = OneKey()  # type: ignore[attr-defined]
    body = {"organisation_id": "org-a", "reference": "CT-1", "incident_type": "nonsense"}
    async with client:
        answer = await client.post(
            "/v1/reports/platform", json=body, headers={"X-API-Key": "ocsea_x"}
        )
    assert answer.status_code == 422
    [(_, _, letter)] = published.sent
    assert isinstance(letter, DeadLetterRecorded)
    assert letter.payload.source == "http:POST /v1/reports/platform key=org-b"


async def test_a_refusal_names_the_value_to_send_not_its_python_repr() -> None:
    # pydantic's message was "Input should be <Channel.PUBLIC: 'public'>".
    client, _ = _client()
    async with client:
        answer = await client.post("/v1/reports", json={"channel": "platform"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"code": "literal_error", "field": "channel", "message": "Input should be 'public'"}
    ]


class CountedBody:
    """A request body sent in chunks, counting how many were read."""

    def __init__(self, chunks: int) -> None:
        self.chunks, self.read = chunks, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"description": "'
        for _ in range(self.chunks):
            self.read += 1
            yield b"x" * CHUNK
        yield b'"}'


@pytest.mark.parametrize("door", ["/v1/reports/platform", "/v1/reports/ngo"])
@pytest.mark.parametrize("key", [None, ""])
async def test_a_keyed_door_refuses_a_caller_without_a_key_before_reading_the_body(
    door: str, key: str | None
) -> None:
    """A keyed door read and parsed up to 2 MiB from anyone before its key was checked, with
    no rate limit: twenty such posts at once held a public report 1.4 s (a review)."""
    client, published = _client()
    body = CountedBody(chunks=100)  # 1.6 MB, under the door's limit
    headers = {"Content-Type": "application/json"} | ({} if key is None else {"X-API-Key": key})
    async with client:
        answer = await client.post(door, content=body, headers=headers)
    assert answer.status_code == 401
    assert [e["code"] for e in answer.json()["errors"]] == ["missing_api_key"]
    assert body.read == 0
    assert published.sent == []


@pytest.mark.parametrize("door", ["/v1/reports/platform", "/v1/reports/ngo"])
@pytest.mark.parametrize("content_type", ["image/png", "text/plain"])
async def test_a_keyed_door_answers_a_caller_without_a_key_401_whatever_the_bodys_type(
    door: str, content_type: str
) -> None:
    """The README says a keyed door refuses a body's type only to a caller with a valid key;
    one without a key was answered 415 (media_bytes_refused, unsupported_media_type)."""
    client, published = _client()
    async with client:
        answer = await client.post(door, content=b"x", headers={"Content-Type": content_type})
    assert answer.status_code == 401
    assert [e["code"] for e in answer.json()["errors"]] == ["missing_api_key"]
    assert published.sent == []


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain"])
async def test_an_officers_json_body_sent_as_another_type_is_told_the_type_not_the_shape(
    content_type: str,
) -> None:
    """`curl -d '{"reason": "x"}'` (curl's form type) was answered 422 'expected a JSON
    object' of the JSON object it sent; a body-less claim still reaches the token check."""
    client, _ = _client()
    task = "/v1/tasks/00000000-0000-4000-8000-000000000001"
    async with client:
        typed = await client.post(
            f"{task}/decline", content=b'{"reason": "x"}', headers={"Content-Type": content_type}
        )
        bare = await client.post(f"{task}/claim")
    assert typed.status_code == 415
    (error,) = typed.json()["errors"]
    assert (error["code"], error["field"]) == ("unsupported_media_type", "Content-Type")
    assert "Content-Type: application/json" in error["message"]
    assert bare.status_code == 401


async def test_a_text_body_to_no_route_is_answered_404_not_415() -> None:
    """The officers' JSON check ran before routing: an unknown route with a text body was
    answered 415 where the README promises 404 (a review)."""
    client, _ = _client()
    async with client:
        answer = await client.post("/v1/nope", content=b"x", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["code"] == "not_found"


async def test_a_text_body_to_an_action_with_another_method_is_answered_405() -> None:
    """The JSON check ran for PUT and PATCH too: 415 where the README promises 405."""
    client, _ = _client()
    task = "/v1/tasks/00000000-0000-4000-8000-000000000001/claim"
    async with client:
        answer = await client.put(task, content=b"x", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 405


async def test_an_ipv6_site_taking_a_new_64_for_each_report_is_limited_as_a_site() -> None:
    """Counted by /64 alone, a /48 (a tunnel broker's, a VPS's) sent 300 reports of 300 a
    minute at a limit of 30 by taking a new /64 for each: it may send as many as
    IPV6_SITE_HOSTS of its hosts, and each /64 no more than one."""
    from api.intake import IPV6_SITE_HOSTS, ipv6_site

    async def codes(hosts: list[str], limiter: RateLimiter) -> list[int]:
        answers = []
        for host in hosts:
            app = create_app(Settings())
            app.state.settings, app.state.publisher = Settings(), Recorded()
            app.state.public_limiter = limiter
            app.state.keys = OrganisationKeys(None, Settings().neo4j_database)
            transport = httpx.ASGITransport(app=app, client=(host, 5555))
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
                answer = await client.post("/v1/reports", json={"description": "a report"})
            answers.append(answer.status_code)
        return answers

    site = [f"2001:db8:aa:{n:x}::1" for n in range(1, 3 * IPV6_SITE_HOSTS + 1)]
    answered = await codes(site, RateLimiter(2))
    assert answered.count(202) == 2 * IPV6_SITE_HOSTS and answered[-1] == 429
    one_host = [f"2001:db8:bb:1::{n:x}" for n in range(1, 6)]
    assert await codes(one_host, RateLimiter(2)) == [202, 202, 429, 429, 429]
    # A /64 refused by its own bucket uses up none of its site's: one flooding subscriber
    # of a carrier's /48 shut out every other (a review).
    flood = [f"2001:db8:dd:1::{n:x}" for n in range(1, 41)]
    neighbours = [f"2001:db8:dd:{n:x}::1" for n in range(2, 12)]
    shared = RateLimiter(2)
    assert (await codes(flood, shared)).count(202) == 2
    assert await codes(neighbours, shared) == [202] * 10
    # Another site, and IPv4 clients, are counted apart.
    assert await codes(["2001:db8:cc:1::1", "203.0.113.9"], RateLimiter(2)) == [202, 202]
    assert ipv6_site("2001:db8:aa:ffff::1") == "2001:db8:aa::/48"
    assert ipv6_site("::ffff:203.0.113.7") is None and ipv6_site("testclient") is None
