"""Decode bytes into the current event model, upcasting older versions on the way."""

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter, ValidationError

from contracts.audit import AuditRecorded
from contracts.cases import CaseOpened, CasesMerged, ReportLinkedToCase, ReportTriaged
from contracts.deadletters import DeadLetterRecorded, DeadLetterReplayed, FieldError
from contracts.enums import Channel
from contracts.envelope import Event, is_version, not_a_version
from contracts.lifecycle import LIFECYCLE_EVENTS
from contracts.media import MEDIA_REFUSED
from contracts.reports import ReportSubmitted
from contracts.tasks import TaskAssigned, TaskReceived, TaskUpdated

_MODELS: tuple[type[Event], ...] = (
    ReportSubmitted,
    ReportTriaged,
    CaseOpened,
    ReportLinkedToCase,
    CasesMerged,
    TaskAssigned,
    TaskUpdated,
    TaskReceived,
    *LIFECYCLE_EVENTS,
    AuditRecorded,
    DeadLetterRecorded,
    DeadLetterReplayed,
)
EVENT_TYPES: dict[str, type[Event]] = {m.model_fields["event_type"].default: m for m in _MODELS}

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
# (event_type, from_version) -> function returning the next version's dict.
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class ContractError(ValueError):
    """Bytes that are not a valid event; carries field-level errors."""

    def __init__(self, reason: str, errors: list[FieldError]):
        super().__init__(reason)
        self.reason = reason
        self.errors = errors


# pydantic names an enum member by its Python repr ("Input should be <Channel.PUBLIC:
# 'public'>"): callers see the value they should send instead.
_ENUM_REPR = re.compile(r"<[A-Za-z_][\w.]*: ('[^'<>]*')>")


# A report's channel, which pydantic puts in an error's location as the union's tag
# ('payload.report.platform.accounts.0.platform'): no path in the message, and for a public
# report's own `platform` field ('payload.report.public.platform') a misleading one.
_REPORT_TAGS = frozenset(c.value for c in Channel)


def _path(loc: Sequence[Any]) -> str:
    parts = list(loc)
    if parts[:2] == ["payload", "report"] and len(parts) > 2 and parts[2] in _REPORT_TAGS:
        del parts[2]
    return ".".join(str(part) for part in parts)


# At most so many errors a refusal lists, then one 'too_many_errors' that counts the rest.
# A body of many short unknown keys gave one error each: a 65 kB public report made a 650 kB
# answer and a 738 kB dead letter (kept for ever), and a 2 MB keyed one a dead letter past the
# topic's record limit, which Kafka refused: the refused message was then kept nowhere.
MAX_FIELD_ERRORS = 50


def to_field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Pydantic error dicts in the one stable shape (code, field, message), at most
    MAX_FIELD_ERRORS of them and one that says how many more there were."""
    out: list[FieldError] = []
    more = 0
    media_listed = False
    for err in errors:
        message = str(err.get("msg", ""))
        media = MEDIA_REFUSED in message
        # A media refusal is listed past the limit too (once): the dead letter withholds
        # the bytes of a refusal that names one.
        if len(out) >= MAX_FIELD_ERRORS and not (media and not media_listed):
            more += 1
            continue
        media_listed |= media
        code = MEDIA_REFUSED if media else str(err.get("type", "invalid"))
        field = _path(err.get("loc", ()))
        out.append(FieldError(code=code, field=field, message=_ENUM_REPR.sub(r"\1", message)))
    if more:
        message = f"{more} more errors not listed: mend these and send again to see the rest"
        out.append(FieldError(code="too_many_errors", field="", message=message))
    return out


def _version(data: dict[str, Any]) -> int:
    version = data.get("schema_version", 1)
    if not is_version(version):
        message = not_a_version(version)
        error = FieldError(code="invalid_schema_version", field="schema_version", message=message)
        raise ContractError("invalid_event", [error])
    return int(version)  # its digits as text too, as the model's validation takes them


def upcast(data: dict[str, Any]) -> dict[str, Any]:
    """Apply upcasters until the event reaches the version its model expects; ContractError
    for a version that is not an integer (int() of it raised TypeError or ValueError, which
    stopped the worker that read it)."""
    step = (str(data.get("event_type")), _version(data))
    while step in UPCASTERS:
        data = UPCASTERS[step](data)
        step = (step[0], _version(data))
    return data


@cache
def _one_pass(expected: tuple[type[Event], ...]) -> Callable[[bytes], Event]:
    """Validate JSON bytes as one of `expected`, chosen by its event_type (a topic of task
    assignments and updates, or of receipts and lifecycle events)."""
    if len(expected) == 1:
        return expected[0].model_validate_json
    # Built at run time from the tuple, which no static type describes.
    union: Any = Annotated[Union[expected], Field(discriminator="event_type")]  # noqa: UP007
    adapter: TypeAdapter[Event] = TypeAdapter(union)
    return adapter.validate_json


NESTED_TOO_DEEPLY = "the JSON is nested deeper than this service parses"


def decode_event(raw: bytes | None, expected: tuple[type[Event], ...] = ()) -> Event:
    """Parse and validate one message; raise ContractError with the reason if it is not valid."""
    if raw is None:
        # A record with no value (a tombstone, or a producer that sent none) is not an event.
        message = "the message has no value (a tombstone?); an event is a JSON object"
        raise ContractError(
            "empty_message", [FieldError(code="empty_message", field="", message=message)]
        )
    if expected:
        # The event types a topic carries: pydantic's JSON parser validates in one pass (about
        # a third of the time). Anything it refuses, or an older version, takes the path
        # below, which names the reason and upcasts.
        try:
            event = _one_pass(expected)(raw)
        except ValidationError:
            pass
        else:
            if event.schema_version == type(event).SCHEMA_VERSION:
                return event
    try:
        # UTF-8 only (a byte order mark allowed), as the HTTP doors read a body: json.loads
        # reads UTF-16 and UTF-32 too, so the Kafka door took what the HTTP door refused.
        data = json.loads(raw.decode("utf-8-sig"))
    # ValueError: a JSON number of more digits than Python converts (4,300) raised it past
    # this handler, and the message was dead-lettered as a failed triage. RecursionError:
    # 5 kB of '[' raised it past every consumer's handler, and stopped the agency queues.
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        message = str(exc) if not isinstance(exc, RecursionError) else NESTED_TOO_DEEPLY
        raise ContractError(
            "not_json", [FieldError(code="not_json", field="", message=message)]
        ) from exc
    if not isinstance(data, dict):
        raise ContractError(
            "not_object",
            [FieldError(code="not_object", field="", message="expected a JSON object")],
        )
    event_type = data.get("event_type")
    model = EVENT_TYPES.get(event_type) if isinstance(event_type, str) else None
    if model is None or (expected and model not in expected):
        allowed = ", ".join(m.__name__ for m in expected) or ", ".join(EVENT_TYPES)
        message = f"event_type {event_type!r} is not one of: {allowed}"
        raise ContractError(
            "unknown_event_type",
            [FieldError(code="unknown_event_type", field="event_type", message=message)],
        )
    data = upcast(data)
    if _version(data) != model.SCHEMA_VERSION:
        # A version this service has no upcaster from, or one newer than it reads: its fields
        # may mean something else, so it is not read as the current one.
        message = (
            f"{model.__name__} schema_version {_version(data)} is not one this service reads "
            f"(it reads {model.SCHEMA_VERSION}, and upcasts older versions it knows)"
        )
        error = FieldError(
            code="unsupported_schema_version", field="schema_version", message=message
        )
        raise ContractError("unsupported_schema_version", [error])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContractError(
            "invalid_event", to_field_errors(exc.errors(include_url=False))
        ) from exc


def encode_event(event: Event) -> bytes:
    return event.model_dump_json().encode()
