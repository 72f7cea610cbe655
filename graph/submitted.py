"""What a reporter submitted, as the Report keeps it, and the view of it people may read.

The graph's other facts about a report are derived (identifiers, categories, priority); this
is the report itself: the description, incident time, accounts, content hashes and URLs,
hosting information and, where given, the reporter's contact and the victim's details.
"""

import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import AsyncDriver

from graph import queries_cypher as q
from graph.queries import iso_time, read

# Personal data inside a report, shown only to those who may see victim details
# (docs/permissions.md): the victim's age and reference, and the reporter's own contact.
PERSONAL_FIELDS = ("victim", "reporter")


def to_stored(text: str | None) -> bytes | None:
    """The message compressed as the Report keeps it (level 1, as the stored link outcome:
    ~1.3 kB of JSON to ~0.6 kB, ~15 µs a report)."""
    return zlib.compress(text.encode(), 1) if text is not None else None


@dataclass(frozen=True)
class StoredReport:
    report_id: str
    case_id: str
    channel: str
    received_at: datetime
    message: bytes | None  # None: linked before reports' content was kept


async def read_stored(
    driver: AsyncDriver, case_id: str, report_id: str, database: str = "neo4j"
) -> StoredReport | None:
    """The report if it is part of this case (after a merge, of the surviving case), or None."""
    rows = await read(driver, q.REPORT_SUBMITTED, database, cid=case_id, rid=report_id)
    if not rows:
        return None
    row = rows[0]
    return StoredReport(
        report_id=report_id,
        case_id=case_id,
        channel=row["channel"],
        received_at=row["received_at"].to_native(),
        message=row["submitted"],
    )


def read_message(stored: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The stored message and its report; ValueError if it cannot be read."""
    try:
        message = json.loads(zlib.decompress(stored))
        return message, dict(message["payload"]["report"])
    except (zlib.error, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"stored message unreadable: {type(exc).__name__}") from exc


def submitted_view(stored: StoredReport, reveal_personal: bool) -> dict[str, Any]:
    """The report as submitted; the victim's details and the reporter's contact are withheld
    (and named in `withheld`) unless the reader may see them. ValueError if the stored
    message cannot be read."""
    if stored.message is None:
        raise ValueError("no stored message")
    message, report = read_message(stored.message)
    withheld = []
    if not reveal_personal:
        for name in PERSONAL_FIELDS:
            if report.get(name) is not None:
                report[name] = None
                withheld.append(name)
    return {
        "report_id": stored.report_id,
        "case_id": stored.case_id,
        "channel": stored.channel,
        "received_at": iso_time(stored.received_at),
        # When the door took it: the envelope's recorded_at. Its occurred_at is the incident's
        # time (api.intake), which was shown here: a report of an incident 400 days ago read
        # as submitted then.
        "submitted_at": message.get("recorded_at"),
        "report": report,
        "withheld": withheld,
    }
