"""A deadlock lost in the real Neo4j is run again by the driver, and counted by its work."""

import asyncio

from neo4j import AsyncDriver, AsyncManagedTransaction
from prometheus_client import REGISTRY

from graph.driver import counting_retries
from runtime.settings import Settings
from tests.factories import unique

WRITE = "MATCH (n:RetryProbe {key: $key}) SET n.writes = n.writes + 1"


def _retries(work: str) -> float:
    return REGISTRY.get_sample_value("ocsea_graph_retries_total", {"work": work}) or 0.0


async def test_a_lost_deadlock_is_run_again_and_counted(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    keys = [unique("probe-a-"), unique("probe-b-")]
    await neo4j.execute_query(
        "UNWIND $keys AS key CREATE (:RetryProbe {key: key, writes: 0})", keys=keys
    )
    holds = [asyncio.Event(), asyncio.Event()]

    async def cross(tx: AsyncManagedTransaction, mine: int) -> None:
        # Each writes its own node, waits until the other holds its own, then writes the
        # other's: a lock cycle, which Neo4j breaks by aborting one of the two.
        await (await tx.run(WRITE, key=keys[mine])).consume()
        holds[mine].set()
        await holds[1 - mine].wait()
        await (await tx.run(WRITE, key=keys[1 - mine])).consume()

    async def write_both(mine: int) -> None:
        async with neo4j.session(database=settings.neo4j_database) as session:
            await session.execute_write(counting_retries(f"probe_{mine}", cross), mine)

    works = ("probe_0", "probe_1")
    before = {work: _retries(work) for work in works}
    try:
        await asyncio.wait_for(asyncio.gather(write_both(0), write_both(1)), timeout=60)
        retried = {work: _retries(work) - before[work] for work in works}
        # One lost the deadlock and went again; the other waited and committed once.
        assert sorted(retried.values()) == [0, 1]
        found = await neo4j.execute_query(
            "MATCH (n:RetryProbe) WHERE n.key IN $keys RETURN n.writes AS writes", keys=keys
        )
        # Both transactions committed both writes, each exactly once.
        assert [r["writes"] for r in found.records] == [2, 2]
    finally:
        await neo4j.execute_query("MATCH (n:RetryProbe) WHERE n.key IN $keys DELETE n", keys=keys)
