"""The API's audit-chain checks (graph.audit.ChainChecks) against a chain held in memory:
what a check from the last end finds, and two reads at once (found by a review)."""

import asyncio
from datetime import UTC, datetime
from typing import Any

from graph import audit_cypher as q
from graph.audit import ChainChecks, entry_hash


class ChainInMemory:
    """Answers HEAD and TRAIL as Neo4j does, for one chain of records."""

    def __init__(self, length: int) -> None:
        self.records: list[dict[str, Any]] = []
        self.head = ""
        self.delay_s = 0.0
        for _ in range(length):
            self.append()

    def append(self) -> None:
        fields: dict[str, Any] = {
            "record_id": f"r{len(self.records) + 1}",
            "chain": "c",
            "actor": "admin-1",
            "role": "admin",
            "agency": None,
            "action": "case.read",
            "case_id": None,
            "target": None,
            "purpose": "review",
            "at": datetime(2026, 12, 2, tzinfo=UTC),
            "prev_hash": self.head,
        }
        fields["hash"] = self.head = entry_hash(**fields)
        self.records.append({"seq": len(self.records) + 1, **fields})
        self.length = len(self.records)

    async def execute_query(self, query: str, **params: Any) -> Any:
        await asyncio.sleep(self.delay_s)
        if query == q.HEAD:
            return [{"head": self.head, "length": self.length}], None, None
        assert query == q.TRAIL
        rows = [r for r in self.records if r["seq"] > params["after"]][: params["limit"]]
        return [{"records": [_as_read(r) for r in rows]}], None, None


def _as_read(record: dict[str, Any]) -> dict[str, Any]:
    named = ("chain", "actor", "role", "agency", "action", "case_id", "target", "purpose")
    return {
        "id": record["record_id"],
        **{k: record[k] for k in (*named, "prev_hash", "hash", "seq")},
        "at_s": int(record["at"].timestamp()),
        "at_us": 0,
    }


async def test_a_chain_found_broken_is_not_remembered_sound_by_a_read_beside_it() -> None:
    """Two reads at once after a record was altered: the first checked from the last end
    (it cannot see the alteration) and took the chain's entry, so the second checked whole
    and found it broken; the first then stored the chain as sound, and the read after that
    said chain_valid true again. Checks run one at a time now: once a read says broken, no
    later one says sound."""
    chain, checks = ChainInMemory(10), ChainChecks(whole_every_s=600)
    assert (await checks.check(chain, "c"))[:2] == (True, 10)  # type: ignore[arg-type]
    chain.records[2]["purpose"] = "altered"
    chain.delay_s = 0.01
    first = asyncio.create_task(checks.check(chain, "c"))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    second = asyncio.create_task(checks.check(chain, "c"))  # type: ignore[arg-type]
    answers = [(await first)[0], (await second)[0], (await checks.check(chain, "c"))[0]]  # type: ignore[arg-type]
    assert answers in ([True, True, True], [True, False, False], [False, False, False])
    checks.whole_every_s = 0
    assert (await checks.check(chain, "c"))[0] is False  # type: ignore[arg-type]


async def test_a_record_deleted_before_the_last_end_is_found_at_the_next_whole_check() -> None:
    chain, checks = ChainInMemory(10), ChainChecks(whole_every_s=600)
    assert (await checks.check(chain, "c"))[0] is True  # type: ignore[arg-type]
    del chain.records[2]  # the chain node's length and head left as they were
    # Between whole checks it goes unseen (the page shows the gap in seq: the API's test)...
    assert (await checks.check(chain, "c"))[0] is True  # type: ignore[arg-type]
    checks.whole_every_s = 0
    # ...and the whole check finds it.
    assert (await checks.check(chain, "c"))[0] is False  # type: ignore[arg-type]


async def test_records_appended_since_are_verified_and_the_last_checked_is_hashed_again() -> None:
    chain, checks = ChainInMemory(4), ChainChecks(whole_every_s=600)
    assert (await checks.check(chain, "c"))[:2] == (True, 4)  # type: ignore[arg-type]
    chain.append()
    chain.append()
    assert (await checks.check(chain, "c"))[:2] == (True, 6)  # type: ignore[arg-type]
    chain.records[5]["purpose"] = "altered"  # the last record the check before verified
    assert (await checks.check(chain, "c"))[0] is False  # type: ignore[arg-type]
