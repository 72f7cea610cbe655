"""Raw Cypher baseline: the same graph written with batched UNWIND ... MERGE, then deleted.

It writes into throwaway labels (BenchReport, BenchIdentifier, BenchCase) that carry the
run id, with the same kind of uniqueness constraints the real labels have, and removes the
nodes and the constraints afterwards.
"""

import time
from collections.abc import Sequence
from typing import Any

from neo4j import Driver, ManagedTransaction

from bench.workload import Item
from streams.prepare import prepare_report

LABELS = ("BenchReport", "BenchIdentifier", "BenchCase")
_KEYS = {"BenchReport": "id", "BenchIdentifier": "key", "BenchCase": "id"}

WRITE = """
UNWIND $rows AS row
MERGE (r:BenchReport {id: row.rid})
  ON CREATE SET r.run = $run, r.channel = row.channel, r.priority = row.priority
MERGE (c:BenchCase {id: row.cid})
  ON CREATE SET c.run = $run, c.report_count = 0
SET c.report_count = c.report_count + 1
MERGE (r)-[:PART_OF]->(c)
WITH r, row
UNWIND row.identifiers AS ident
MERGE (i:BenchIdentifier {key: ident.key})
  ON CREATE SET i.run = $run, i.kind = ident.kind, i.value = ident.value, i.report_count = 0
SET i.report_count = i.report_count + 1
MERGE (r)-[:MENTIONS]->(i)
"""

DELETE = """
MATCH (n) WHERE (n:BenchReport OR n:BenchIdentifier OR n:BenchCase) AND n.run = $run
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
"""


def _write(tx: ManagedTransaction, chunk: list[dict[str, Any]], run: str) -> None:
    tx.run(WRITE, rows=chunk, run=run).consume()


def rows(run: str, items: Sequence[Item]) -> list[dict[str, Any]]:
    """One row per report: its normalised identifiers, as the real linker sees them."""
    out = []
    for item in items:
        triaged = prepare_report(item.event, "bench").payload
        idents = [
            {"key": f"{run}|{i.key}", "kind": i.kind, "value": i.value}
            for i in sorted(triaged.identifiers, key=lambda ident: ident.key)
        ]
        out.append(
            {
                "rid": item.report_id,
                "cid": f"{run}-case-{item.offender}",
                "channel": item.channel.value,
                "priority": triaged.triage.priority.value,
                "identifiers": idents,
            }
        )
    return out


def _constraints(driver: Driver, database: str, create: bool) -> None:
    for label in LABELS:
        name = f"bench_raw_{label.lower()}"
        if create:
            query = (
                f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                f"FOR (n:{label}) REQUIRE n.{_KEYS[label]} IS UNIQUE"
            )
        else:
            query = f"DROP CONSTRAINT {name} IF EXISTS"
        driver.execute_query(query, database_=database)


def measure(
    driver: Driver, database: str, run: str, items: Sequence[Item], batch: int = 1000
) -> dict[str, float]:
    """Rows (reports) per second of batched writes, one transaction per `batch` rows."""
    data = rows(run, items)
    _constraints(driver, database, create=True)
    try:
        t0 = time.perf_counter()
        with driver.session(database=database) as session:
            for start in range(0, len(data), batch):
                chunk = data[start : start + batch]
                session.execute_write(_write, chunk, run)
        seconds = time.perf_counter() - t0
    finally:
        cleanup(driver, database, run)
    idents = sum(len(r["identifiers"]) for r in data)
    return {
        "rows_per_s": round(len(data) / seconds, 1),
        "rows": len(data),
        "identifier_mentions": idents,
        "batch_rows": batch,
        "seconds": round(seconds, 2),
    }


def cleanup(driver: Driver, database: str, run: str) -> None:
    with driver.session(database=database) as session:
        session.run(DELETE, run=run).consume()
    left, _, _ = driver.execute_query(
        "MATCH (n) WHERE n:BenchReport OR n:BenchIdentifier OR n:BenchCase RETURN count(n) AS n",
        database_=database,
    )
    if left[0]["n"] == 0:  # another run may still be writing its own
        _constraints(driver, database, create=False)
