"""Times every part of the system can hold: in UTC within years 1 to 9999, and with a UTC
offset Neo4j takes (whole minutes, at most 18 hours).

pydantic takes any ISO 8601 time: '9999-12-31T23:59:59-14:00' is past year 9999 in UTC,
'2026-11-30T10:00:00+23:59' has an offset Neo4j refuses. Taken at a door, the first made
the worker's triage raise (the report was dead-lettered as triage_failed after the reporter
had a 202), and both gave HTTP 500s where they were stored or compared.
"""

import numbers
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

MAX_OFFSET = timedelta(hours=18)
_MINUTE = timedelta(minutes=1)


# A number, or text that is one: pydantic reads either as seconds (or milliseconds) since 1970.
_NUMBER_TEXT = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")


def iso_text_only(value: Any) -> Any:
    """A time is ISO 8601 text, as the published schemas say (format date-time). pydantic
    also took a number as seconds since 1970: a platform's compact date '20261127' (or
    20261127) was an incident on 1970-08-23, and 1700000000 went through as a time no one
    sent in that form. Refused with pydantic's own code for a value that is no time."""
    if isinstance(value, bytes | bytearray):  # a Python caller's; JSON gives text
        value = value.decode("utf-8", "replace")
    number = isinstance(value, numbers.Number) and not isinstance(value, bool)  # Decimal too
    if number or (isinstance(value, str) and _NUMBER_TEXT.fullmatch(value)):
        raise PydanticCustomError(
            "datetime_type",
            "a time is ISO 8601 text, such as 2026-11-27T10:00:00Z; a number is not read as "
            "a time (20261127 was read as seconds since 1970)",
        )
    return value


def storable_time(value: datetime) -> datetime:
    """`value`, if the system can hold it; ValueError saying why not. A time without its
    offset passes as it is (read_as_utc, or its reader, decides what it means)."""
    offset = value.utcoffset()
    if offset:  # not in UTC (or naive): every UTC time a datetime holds is storable
        if abs(offset) > MAX_OFFSET or offset % _MINUTE:
            raise ValueError("a UTC offset must be whole minutes, at most 18 hours")
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValueError("a time must fall within the years 1 to 9999 in UTC") from None
    return value


def read_as_utc(value: datetime) -> datetime:
    """A storable time, one without its offset read as UTC, as the README tells producers:
    taken as it was, a resend that said 'Z' was another report (its fingerprint differed),
    and Neo4j stored a local time that no other time compares with. (Refused instead, the
    records older versions kept on the topics would no longer read.)"""
    if value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    return storable_time(value)


# A datetime field of the contract (and of the API's own bodies).
Time = Annotated[datetime, BeforeValidator(iso_text_only), AfterValidator(read_as_utc)]
# A time a person types into an action, whose missing offset is theirs to give: refused with
# a reason of its own where the action is checked (graph.lifecycle: removed_at_without_zone).
TypedTime = Annotated[datetime, BeforeValidator(iso_text_only), AfterValidator(storable_time)]
