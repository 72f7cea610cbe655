"""The FastAPI application: intake doors, report status, `/metrics`, OpenAPI at `/openapi.json`."""

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from aiokafka.errors import KafkaError
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import cases, intake, status, tasks
from api.audit import Auditor
from api.auth import OrganisationKeys
from api.errors import ApiError, api_error_handler, error_response, validation_errors
from api.publisher import Publisher
from api.ratelimit import RateLimiter
from api.security.tokens import signing_key
from contracts.deadletters import FieldError
from graph.audit import ChainChecks
from graph.driver import async_driver
from graph.queries import NARROWER, TIMEOUT_S, ReadTimedOut
from runtime.logs import configure_logging, get_logger
from runtime.pseudonyms import key_check
from runtime.settings import Settings, get_settings

log = get_logger(__name__)
# Platforms send up to 500 content items; the public form is small and open to anyone.
MAX_BODY = {"/v1/reports/platform": 2 * 1024 * 1024, "/v1/reports/ngo": 2 * 1024 * 1024}
# Every other route's body (an officer's action: a reason, an outcome of a note and a time).
OTHER_MAX_BODY = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    if not settings.oidc_jwks_url:
        signing_key(settings)  # a key too short refuses the start, not each request later
    key_check()  # likewise the pseudonym key (runtime.secrets)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.publisher = Publisher(settings.kafka_bootstrap)
        await app.state.publisher.start()
        app.state.graph = async_driver(settings)
        app.state.keys = OrganisationKeys(app.state.graph, settings.neo4j_database)
        app.state.public_limiter = RateLimiter(settings.public_rate_per_minute)
        app.state.auditor = Auditor(app.state.graph, settings.neo4j_database)
        log.info("api_started", port=settings.api_port)
        yield
        await app.state.publisher.stop()
        await app.state.graph.close()

    app = FastAPI(title="ocsea-hub", version="1.0.0", lifespan=lifespan)
    # Outside the lifespan: it holds no connection, and tests that set the state themselves
    # get it too.
    app.state.chain_checks = ChainChecks()
    app.include_router(intake.router)
    app.include_router(status.router)
    app.include_router(tasks.router)
    app.include_router(cases.router)
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(RequestValidationError, _refused)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ReadTimedOut, _read_timed_out)
    for unavailable in (ServiceUnavailable, SessionExpired, TransientError):
        app.add_exception_handler(unavailable, _graph_unavailable)
    app.add_exception_handler(KafkaError, _kafka_unavailable)
    app.add_exception_handler(Exception, _internal_error)
    app.middleware("http")(_guard_body)

    @app.get("/metrics", include_in_schema=False)
    async def metrics_page() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok", "time": datetime.now(UTC).isoformat()}

    return app


_WRITES = ("POST", "PUT", "PATCH")
# The officers' actions, which take a JSON body: any other path is left to the router (an
# unknown route with a text body was answered 415, not 404).
_TASK_ACTION = re.compile(r"^/v1/tasks/[^/]+/(?:claim|start|complete|decline|escalate)$")


async def _guard_body(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Count the public door's requests against its limit, then refuse non-JSON bodies (media
    bytes) and oversized bodies, before anything parses them."""
    if request.method == "POST" and request.url.path in intake.PUBLIC_DOORS:
        try:
            intake.public_limit(request)
        except ApiError as refused:
            return await api_error_handler(request, refused)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if _is_report(request):
        door_key = _DOOR_KEYS.get(request.url.path)
        if door_key is not None:
            # The key before the body: a keyed door read and parsed up to 2 MiB from anyone
            # before its key was checked (~0.1 s of the event loop each, with no rate limit:
            # twenty at once held a public report 1.4 s). The route's own check finds the key
            # cached. Before the body's type too: a caller without a key is answered 401
            # alone, as the README says (it was told 415 first).
            try:
                await door_key(request)
            except ApiError as refused:
                return await api_error_handler(request, refused)
            except (ServiceUnavailable, SessionExpired, TransientError) as unavailable:
                # Middleware runs outside the app's exception handlers: a key lookup with
                # Neo4j down answered 500, and platforms took it for a fault, not a retry.
                return await _graph_unavailable(request, unavailable)
        if content_type != "application/json":
            return error_response(415, [_not_json_content(content_type)])
        limit = MAX_BODY.get(request.url.path, request.app.state.settings.public_max_body_bytes)
        if await _over_limit(request, limit):
            message = f"the body is over the {limit}-byte limit of this door"
            return error_response(
                413, [FieldError(code="body_too_large", field="", message=message)]
            )
        if _not_utf8(request._body):
            # json.loads reads UTF-16 and UTF-32 too: such a body was taken, where the doors
            # (and the Kafka doors) take UTF-8 JSON text only.
            return await _keep_refused(request, [_not_json()])
    elif request.method in _WRITES and await _over_limit(request, OTHER_MAX_BODY):
        # Officers' actions take a short body. Any other write route was read whole before
        # its token was checked: 200 MB sent with no token were read, then answered 401.
        message = f"the body is over the {OTHER_MAX_BODY}-byte limit of this route"
        return error_response(413, [FieldError(code="body_too_large", field="", message=message)])
    elif (
        request.method == "POST"
        and _TASK_ACTION.match(request.url.path)
        and request._body
        and content_type != "application/json"
    ):
        # An officer's `curl -d '{"reason": "..."}'` (curl's form type) was answered 422
        # "expected a JSON object" of the JSON object it sent. A body-less claim stays fine.
        return error_response(415, [_not_json_content(content_type)])
    return await call_next(request)


def _not_utf8(body: bytes) -> bool:
    if b"\x00" in body:
        # UTF-16 or UTF-32 without a byte order mark: ASCII text in them is valid UTF-8 too,
        # and json.loads reads them. A NUL is never in JSON text (strings escape it).
        return True
    try:
        body.decode("utf-8")  # a UTF-8 byte order mark is UTF-8 too (and JSON may skip it)
    except UnicodeDecodeError:
        return True
    return False


def _not_json() -> FieldError:
    message = "the body is not JSON text (UTF-8, nested no deeper than JSON parsers allow)"
    return FieldError(code="not_json", field="", message=message)


async def _over_limit(request: Request, limit: int) -> bool:
    """True once the body is known to pass `limit`, without reading more than that: a
    declared length is believed, and a body sent without one is read only up to the limit
    (it used to be read whole first, however large). A body within the limit is kept for
    the route, as Request.body() keeps it (Starlette replays `_body` downstream)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return True
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return True
        chunks.append(chunk)
    request._body = b"".join(chunks)
    return False


# Starlette's own answers (no such route, a method the route does not take) in the API's one
# error format, instead of {"detail": ...}.
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and _is_report(request):
        # FastAPI answers a body it cannot parse as JSON text (not UTF-8, nested too deep)
        # with a 400 of its own, before validation: it was answered http_400 and not kept.
        # Refused like any invalid report (the Kafka doors call the same bytes not_json).
        return await _keep_refused(request, [_not_json()])
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    message = str(exc.detail) if exc.detail else code.replace("_", " ")
    return error_response(
        exc.status_code,
        [FieldError(code=code, field="", message=message)],
        dict(exc.headers) if exc.headers else None,
    )


# What the API did not answer itself came as Starlette's plain-text "Internal Server Error":
# a graph read past its timeout (a path between two large cases), Neo4j down. In the one
# error format too, saying which it was; the exception's text stays out of the answer and
# the log (a driver's message may quote the query's values).
async def _read_timed_out(request: Request, exc: Exception) -> Response:
    hint = exc.hint if isinstance(exc, ReadTimedOut) else NARROWER
    message = f"the graph read took longer than {TIMEOUT_S:g} s: {hint}"
    return error_response(504, [FieldError(code="graph_read_timeout", field="", message=message)])


async def _graph_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("graph_unavailable", error=type(exc).__name__)
    message = "the graph database cannot answer now; try again shortly"
    errors = [FieldError(code="graph_unavailable", field="", message=message)]
    return error_response(503, errors, {"Retry-After": "5"})


async def _kafka_unavailable(request: Request, exc: Exception) -> Response:
    """A report Kafka could not take (down, or not answering in time): not accepted, and
    the sender told to send it again (it was answered 500, as if the report were at fault)."""
    log.warning("kafka_unavailable", error=type(exc).__name__)
    message = "the report could not be taken in now; send it again shortly"
    errors = [FieldError(code="intake_unavailable", field="", message=message)]
    return error_response(503, errors, {"Retry-After": "5"})


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("internal_error", error=type(exc).__name__, route=_route_of(request))
    message = "the request failed on our side; it has been logged"
    return error_response(500, [FieldError(code="internal_error", field="", message=message)])


def _route_of(request: Request) -> str:
    """The route's template ('/v1/cases/{case_id}'), never the path: it may hold an id."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "unknown"))


# The keyed doors' own key checks (the dependencies of their routes).
_DOOR_KEYS = {"/v1/reports/platform": intake.platform_key, "/v1/reports/ngo": intake.ngo_key}
REPORT_DOORS = intake.PUBLIC_DOORS | _DOOR_KEYS.keys()


async def _refused(request: Request, exc: Exception) -> Response:
    """422 with field errors; a refused report is kept as a dead letter with the same reasons
    (other requests, such as a query parameter out of range, are answered, not kept)."""
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(exc)
    if not _is_report(request):
        return error_response(422, errors)
    return await _keep_refused(request, errors)


# Content types that carry files: refused as media (a form's default type is only wrong).
_MEDIA_TYPES = ("image/", "video/", "audio/", "multipart/", "application/octet-stream")


def _not_json_content(content_type: str) -> FieldError:
    """A report's body of another type: a file's type is media refused; any other (curl's
    default form type) was answered media_bytes_refused too, which read as if it held media."""
    if content_type.startswith(_MEDIA_TYPES):
        message = (
            "only application/json is accepted: send hashes and URLs, never the material itself"
        )
        return FieldError(code="media_bytes_refused", field="Content-Type", message=message)
    message = (
        f"only application/json is accepted, not {content_type or 'no type'}: "
        "send the body as JSON with 'Content-Type: application/json'"
    )
    return FieldError(code="unsupported_media_type", field="Content-Type", message=message[:300])


def _is_report(request: Request) -> bool:
    """A POST to one of the report doors. Only those: any path under /v1/reports was, and
    a body that was no UTF-8 sent to '/v1/reports/<anything>' was kept as a dead letter,
    with no key and no rate limit, its path (unchecked for media) as the letter's source."""
    return request.method == "POST" and request.url.path in REPORT_DOORS


async def _keep_refused(request: Request, errors: list[FieldError]) -> Response:
    """422 for a refused report, kept as a dead letter with the same errors."""
    door_key = _DOOR_KEYS.get(request.url.path)
    organisation = None
    if door_key is not None:
        # Only a caller with a valid key may leave a dead letter at a keyed door: FastAPI
        # refuses a malformed body before the key is checked, and anyone could fill the
        # dead-letter topic with megabytes.
        try:
            organisation = await door_key(request)
        except ApiError as refused:
            return await api_error_handler(request, refused)
    try:
        await intake.keep_refused(request, "invalid_report", errors, organisation)
    except ApiError as unkept:  # Kafka could not take the dead letter: send again
        return await api_error_handler(request, unkept)
    return error_response(422, errors)
