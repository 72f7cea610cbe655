"""Task writes made by the agency agents."""

from datetime import datetime

from neo4j import AsyncManagedTransaction

from graph import tasks_cypher as q


async def mark_received(tx: AsyncManagedTransaction, task_id: str, now: datetime) -> bool | None:
    """True the first time a task is received, False on a redelivery, None if unknown."""
    record = await (await tx.run(q.MARK_RECEIVED, task_id=task_id, now=now)).single()
    return None if record is None else bool(record["first_time"])
