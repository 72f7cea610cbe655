"""Times every part of the system can hold: in UTC within years 1 to 9999, and with a UTC
offset Neo4j takes (whole minutes, at most 18 hours).

pydantic takes any ISO 8601 time: '9999-12-31T23:59:59-14:00' is past year 9999 in UTC,
'2026-11-30T10:00:00+23:59' has an offset Neo4j refuses. Taken at a door, the first made
the worker's triage raise (the report was dead-lettered as triage_failed after the reporter
had a 202), and both gave HTTP 500s where they were stored or compared.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator

MAX_OFFSET = timedelta(hours=18)
_MINUTE = timedelta(minutes=1)


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
Time = Annotated[datetime, AfterValidator(read_as_utc)]
# A time a person types into an action, whose missing offset is theirs to give: refused with
# a reason of its own where the action is checked (graph.lifecycle: removed_at_without_zone).
TypedTime = Annotated[datetime, AfterValidator(storable_time)]
