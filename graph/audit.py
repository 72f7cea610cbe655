"""The audit trail: who read or changed case data, when and why, as a SHA-256 hash chain.

Each case has its own chain (records without a case go to the 'global' chain). A record's
hash covers its fields and the previous record's hash, so altering, removing or reordering
any record breaks every link after it.

Each record is copied to topics.AUDIT as an AuditRecorded event, staged in the graph's
outbox in the record's own transaction (graph.outbox): every record committed reaches the
topic, the independent witness of the chain, and none that was not.
"""

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4, uuid5

from neo4j import AsyncDriver, AsyncManagedTransaction

from contracts import topics
from contracts.audit import AuditPayload, AuditRecorded
from contracts.envelope import Event, Outgoing
from graph import audit_cypher as q
from graph.driver import counting_retries
from graph.outbox import stage

GLOBAL_CHAIN = "global"


@dataclass(frozen=True)
class AuditEntry:
    record_id: str
    chain: str
    actor: str
    role: str
    agency: str | None
    action: str
    case_id: str | None
    target: str | None
    purpose: str | None
    at: datetime
    prev_hash: str
    hash: str
    # Its place in its chain as stored (1, 2, ...), when read back: not hashed nor compared
    # (a record is the same written or read), and shown so that a record deleted shows as a
    # gap (a page numbered by position hid it).
    seq: int | None = field(default=None, compare=False)


def _canonical_time(at: datetime) -> str:
    """One spelling of an instant, whatever timezone object the driver hands back."""
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    record_id: str,
    chain: str,
    actor: str,
    role: str,
    agency: str | None,
    action: str,
    case_id: str | None,
    target: str | None,
    purpose: str | None,
    at: datetime,
    prev_hash: str,
) -> str:
    """SHA-256 hex of the canonical JSON (sorted keys, no spaces) of the record and prev_hash."""
    fields = {
        "record_id": record_id,
        "chain": chain,
        "actor": actor,
        "role": role,
        "agency": agency,
        "action": action,
        "case_id": case_id,
        "target": target,
        "purpose": purpose,
        "at": _canonical_time(at),
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {k: v for k, v in entry.__dict__.items() if k not in ("hash", "seq")}


def audit_event(entry: AuditEntry, producer: str) -> AuditRecorded:
    """The AuditRecorded event of a record; correlated to its case when it has one. Its id
    derives from the record's, so a transaction run again stages the same event."""
    payload = AuditPayload(
        record_id=UUID(entry.record_id),
        chain=entry.chain,
        actor=entry.actor,
        role=entry.role,
        agency=entry.agency,
        action=entry.action,
        case_id=UUID(entry.case_id) if entry.case_id else None,
        target=entry.target,
        purpose=entry.purpose,
        at=entry.at,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )
    return AuditRecorded(
        event_id=uuid5(payload.record_id, "AuditRecorded"),
        occurred_at=entry.at,
        producer=producer,
        correlation_id=payload.case_id or payload.record_id,
        payload=payload,
    )


async def _append(
    tx: AsyncManagedTransaction, fields: dict[str, Any], producer: str
) -> tuple[dict[str, Any], tuple[str, str, Event]]:
    """Lock the chain and write the record; return it and its copy for the audit topic, for
    the caller to stage after every chain it locks. Staged here, a transaction appending to
    two chains, or an officer's action staging its events before its record, took the
    outbox counter before a chain, while an audited read of that chain had the chain and
    waited for the counter: a deadlock, which Neo4j broke by failing one of them."""
    head = await (await tx.run(q.LOCK_CHAIN, chain=fields["chain"], at=fields["at"])).single()
    assert head is not None  # MERGE always returns the chain
    fields = {**fields, "prev_hash": head["head"]}
    fields["hash"] = entry_hash(**fields)
    await tx.run(q.CREATE_RECORD, **fields, seq=head["seq"], head_id=head["head_id"])
    return fields, (topics.AUDIT, fields["chain"], audit_event(AuditEntry(**fields), producer))


def audit_fields(
    *,
    actor: str,
    role: str,
    agency: str | None,
    action: str,
    case_id: str | None,
    target: str | None,
    purpose: str | None,
    now: datetime,
) -> dict[str, Any]:
    """The fields of a new record, for append_in or append_fields: its case's chain (or
    'global'); the hash and the link to the record before are added when it is appended."""
    _canonical_time(now)  # refuse naive times before anything is written
    return {
        "record_id": str(uuid4()),
        "chain": case_id or GLOBAL_CHAIN,
        "actor": actor,
        "role": role,
        "agency": agency,
        "action": action,
        "case_id": case_id,
        "target": target,
        "purpose": purpose,
        "at": now,
    }


async def append_in(
    tx: AsyncManagedTransaction,
    fields: dict[str, Any],
    producer: str,
    events: Outgoing | None = None,
) -> AuditEntry:
    """Append the record inside the caller's write transaction: a change and the record of
    who made it commit together, or neither does. Then stage `events` (the change's own)
    and the record's copy, last: the chain's lock before the outbox's counter, the order
    every audit takes (graph.outbox)."""
    _canonical_time(fields["at"])
    written, copy = await _append(tx, fields, producer)
    await stage(tx, [*(events or []), copy], fields["at"])
    return AuditEntry(**written)


async def append_fields(
    driver: AsyncDriver, fields: dict[str, Any], producer: str, database: str = "neo4j"
) -> AuditEntry:
    """Append one record (audit_fields) and stage its copy for the audit topic, in one write
    transaction of its own. `producer` names the component that audits."""
    return (await append_all(driver, [fields], producer, database))[0]


async def append_all(
    driver: AsyncDriver, records: list[dict[str, Any]], producer: str, database: str = "neo4j"
) -> list[AuditEntry]:
    """Append several records (to several chains) in one write transaction, taking the
    chains' locks in one order so that two such appends never deadlock."""
    if not records:
        return []
    ordered = sorted(records, key=lambda fields: fields["chain"])

    async def append(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        written = [await _append(tx, fields, producer) for fields in ordered]
        # After every chain: the counter is the last lock a change takes (graph.outbox).
        await stage(tx, [copy for _, copy in written], min(f["at"] for f in ordered))
        return [fields for fields, _ in written]

    async with driver.session(database=database) as session:
        written = await session.execute_write(counting_retries("audit_append", append))
    return [AuditEntry(**fields) for fields in written]


def _entry(record: dict[str, Any]) -> AuditEntry:
    """A record as TRAIL reads it: its time in epoch seconds and microseconds (UTC)."""
    at = datetime.fromtimestamp(record["at_s"], UTC).replace(microsecond=record["at_us"])
    return AuditEntry(
        record_id=record["id"],
        chain=record["chain"],
        actor=record["actor"],
        role=record["role"],
        agency=record.get("agency"),
        action=record["action"],
        case_id=record.get("case_id"),
        target=record.get("target"),
        purpose=record.get("purpose"),
        at=at,
        prev_hash=record["prev_hash"],
        hash=record["hash"],
        seq=record.get("seq"),
    )


async def audit_trail(
    driver: AsyncDriver, chain: str, limit: int = 500, database: str = "neo4j", after: int = 0
) -> list[AuditEntry]:
    """Up to `limit` records of a chain after its `after`-th (0: from the first), in order.
    Records are numbered 1, 2, ... in their chain."""
    records, _, _ = await driver.execute_query(
        q.TRAIL, chain=chain, after=after, limit=limit, database_=database, routing_="r"
    )
    return [_entry(record) for record in records[0]["records"]]


async def chain_head(driver: AsyncDriver, chain: str, database: str = "neo4j") -> str:
    """The hash of a chain's last record ('' for a chain never written)."""
    return (await chain_state(driver, chain, database))[0]


async def chain_state(driver: AsyncDriver, chain: str, database: str = "neo4j") -> tuple[str, int]:
    """(the hash of the chain's last record, how many records it has); ('', 0) if none."""
    records, _, _ = await driver.execute_query(
        q.HEAD, chain=chain, database_=database, routing_="r"
    )
    return (str(records[0]["head"]), int(records[0]["length"])) if records else ("", 0)


VERIFY_PAGE = 5_000


async def chain_is_intact(driver: AsyncDriver, chain: str, database: str = "neo4j") -> bool:
    """Verify the whole chain (check_chain)."""
    return (await check_chain(driver, chain, database))[0]


async def check_chain(
    driver: AsyncDriver, chain: str, database: str = "neo4j", known: tuple[int, str] = (0, "")
) -> tuple[bool, int, str]:
    """(whether the chain is intact, its length, the hash of its last record): verified a
    page at a time up to the head read first: every record unaltered and in place, none
    removed (records appended meanwhile are left for the next check). A page of the trail
    alone cannot be checked against the head: read as the first 500 of a longer chain, a
    sound chain was reported as tampered with.

    `known`: (n, hash) of a check before, its first n records verified and the n-th with that
    hash: the n-th is read back (still there, still that hash) and the records after it are
    verified, not the whole chain again (graph.audit.ChainChecks)."""
    head, length = await chain_state(driver, chain, database)
    seen, prev = known
    if seen > length:
        return False, length, head  # records of a verified chain are gone
    if seen:
        # Its content hashed again: an altered record keeps the hash it was stored with.
        last = await audit_trail(driver, chain, 1, database, seen - 1)
        if not last or last[0].hash != prev or not verify_chain(last, prev=last[0].prev_hash):
            return False, length, head
    while seen < length:
        page = await audit_trail(driver, chain, min(VERIFY_PAGE, length - seen), database, seen)
        if not page or not verify_chain(page, prev=prev):
            return False, length, head
        prev, seen = page[-1].hash, seen + len(page)
    return prev == head, length, head


# How long a chain verified whole is then checked from where the last check ended, and how
# many chains are remembered so. Verified whole on every read, an audit page cost ~15 µs a
# record of the chain: the global chain, which every queue listing and search lengthens,
# would have taken minutes to read after a month (found by a review).
WHOLE_CHECK_EVERY_S = 600.0
CHAINS_REMEMBERED = 10_000


@dataclass
class ChainChecks:
    """The API's checks of audit chains: whole at the first read and every
    WHOLE_CHECK_EVERY_S, in between from where the check before ended. A record altered,
    deleted or moved before that point is found at the next whole check (or at once by
    chain_is_intact); a deletion shows meanwhile as a gap in the page's `seq`."""

    whole_every_s: float = WHOLE_CHECK_EVERY_S
    remembered: int = CHAINS_REMEMBERED
    # chain -> (records verified, the last one's hash, when the chain was last verified whole)
    checked: OrderedDict[str, tuple[int, str, float]] = field(default_factory=OrderedDict)
    # One check at a time: two overlapping reads, one checking whole and finding the chain
    # broken and one checking from the last end and finding it sound, left it remembered as
    # sound (a review). Audit pages are an administrator's reads: waiting is cheap.
    _one_at_a_time: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def check(
        self, driver: AsyncDriver, chain: str, database: str = "neo4j"
    ) -> tuple[bool, int, float]:
        """(intact, its length, the monotonic time it was last verified whole)."""
        async with self._one_at_a_time:
            now = time.monotonic()
            before = self.checked.pop(chain, None)
            if before is None or now - before[2] >= self.whole_every_s:
                known, whole_at = (0, ""), now
            else:
                known, whole_at = (before[0], before[1]), before[2]
            valid, length, head = await check_chain(driver, chain, database, known)
            if valid:  # a broken chain is forgotten: checked whole at every read
                self.checked[chain] = (length, head, whole_at)
                while len(self.checked) > self.remembered:
                    self.checked.popitem(last=False)
            return valid, length, whole_at


def verify_chain(
    entries: list[AuditEntry], expected_head: str | None = None, prev: str = ""
) -> bool:
    """False if any record was altered, removed or reordered (from the chain's first record,
    or from the record whose hash is `prev`).

    Pass `expected_head` (from chain_head, or the last AuditRecorded event) to also catch a
    record removed from the end.
    """
    for entry in entries:
        if entry.prev_hash != prev or entry.chain != entries[0].chain:
            return False
        if entry_hash(**_fields(entry)) != entry.hash:
            return False
        prev = entry.hash
    return expected_head is None or prev == expected_head
