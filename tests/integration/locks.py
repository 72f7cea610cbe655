"""Proof that a transaction waits for a lock: Neo4j's own word (SHOW TRANSACTIONS), not a
sleep after which the waiting side has merely not finished yet (it may never have started).

The holder opens its transaction with metadata {"test": tag}; the waiter is any transaction
Neo4j reports as blocked by it."""

import asyncio
import time

from neo4j import AsyncDriver, Driver

SHOW = "SHOW TRANSACTIONS YIELD transactionId AS id, metaData AS meta, status RETURN *"


def _blocked(rows: list[dict], tag: str) -> bool:
    holders = [r["id"] for r in rows if (r["meta"] or {}).get("test") == tag]
    return any(f"Blocked by: [{h}]" in r["status"] for r in rows for h in holders)


async def blocked_behind(driver: AsyncDriver, tag: str, timeout: float = 10.0) -> bool:
    """Whether, within `timeout` seconds, a transaction waits for a lock that the open
    transaction with metadata {"test": tag} holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        records, _, _ = await driver.execute_query(SHOW)
        if _blocked([r.data() for r in records], tag):
            return True
        await asyncio.sleep(0.05)
    return False


def blocked_behind_sync(driver: Driver, tag: str, timeout: float = 10.0) -> bool:
    """blocked_behind, with the synchronous driver."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records, _, _ = driver.execute_query(SHOW)
        if _blocked([r.data() for r in records], tag):
            return True
        time.sleep(0.05)
    return False
