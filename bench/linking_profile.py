"""`python -m bench.linking_profile`: where linking's Neo4j time goes, statement by statement.

The end-to-end benchmark shows the whole system; this shows the graph part alone. It links
generated reports (the benchmark's workload, triaged as the intake worker does) one batch at
a time, in the worker's two transactions, and prints for each statement the milliseconds
per report (query and its results), the commits, and the Neo4j process's CPU per report.
With --db-hits it runs each statement under PROFILE and adds database hits per report and
the costliest operators (PROFILE itself slows Neo4j, so its times are not comparable).

It needs Neo4j only (`bash deploy/services.sh up`), not the workers. Reports carry ids and
identifiers of their own run, as in the benchmark, and stay in the graph; their open tasks
are declined when it ends (bench.cleanup), as the benchmark's are: left open, the SLA check
escalated them a quarter of their due time later (~4,800 of 20,000 reports' tasks took the
agents and Neo4j about a core for minutes), in the middle of whatever ran next.
"""

import argparse
import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from neo4j import AsyncDriver

from bench.cleanup import close_run_tasks
from bench.workload import Workload
from contracts.cases import ReportTriaged, TriagedPayload
from graph import linking
from graph import linking_cypher as cypher
from graph.driver import async_driver, sync_driver
from graph.migrate import migrate
from runtime.settings import get_settings
from streams.fanout import plan_tasks
from streams.intake import route_intake
from streams.linker import _reconcile

STATEMENTS = {text: name for name, text in vars(cypher).items() if name.isupper()}
NEO4J_PID = Path(__file__).resolve().parent.parent / ".run" / "neo4j.pid"


@dataclass
class Cost:
    calls: int = 0
    seconds: float = 0.0
    db_hits: int = 0
    operators: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class Recorded:
    """The answer of one statement, read in full (so its time is counted) and replayed."""

    def __init__(self, records: list[Any]):
        self.records = records

    async def single(self, strict: bool = False) -> Any:
        return self.records[0]


class MeasuredTransaction:
    """Stands in for the transaction the linking steps get: times (or profiles) each run."""

    def __init__(self, tx: Any, costs: dict[str, Cost], profile: bool):
        self.tx, self.costs, self.profile = tx, costs, profile

    async def run(self, query: str, **params: Any) -> Recorded:
        cost = self.costs[STATEMENTS.get(query, query[:40])]
        started = time.perf_counter()
        result = await self.tx.run(("PROFILE " if self.profile else "") + query, **params)
        records = [record async for record in result]
        summary = await result.consume()
        cost.seconds += time.perf_counter() - started
        cost.calls += 1
        if self.profile and summary.profile:
            _add_operators(summary.profile, cost)
        return Recorded(records)


def _add_operators(plan: dict[str, Any], cost: Cost) -> None:
    hits = plan.get("dbHits", 0)
    details = str(plan.get("args", {}).get("Details", ""))[:100]
    cost.db_hits += hits
    cost.operators[f"{plan.get('operatorType', '?')}: {details}"] += hits
    for child in plan.get("children", []):
        _add_operators(child, cost)


def neo4j_cpu_seconds() -> float | None:
    """utime + stime of the local Neo4j process started by deploy/services.sh, if any."""
    try:
        pid = int(NEO4J_PID.read_text())
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError):
        return None
    return (int(fields[11]) + int(fields[12])) / 100.0


def triaged_batches(reports: int, batch: int, seed: int) -> list[list[tuple[TriagedPayload, UUID]]]:
    items = Workload(f"p{uuid4().hex[:8]}", reports, seed=seed).items(reports)
    pairs = []
    for item in items:
        event = route_intake(item.value, item.topic, "bench").event
        if not isinstance(event, ReportTriaged):  # the workload is valid: a bug if not
            raise RuntimeError(f"the bench workload was refused: {event}")
        pairs.append((event.payload, event.correlation_id))
    return [pairs[i : i + batch] for i in range(0, len(pairs), batch)]


async def _link_measured(
    driver: AsyncDriver,
    batch: list[tuple[TriagedPayload, UUID]],
    args: argparse.Namespace,
    costs: dict[str, Cost],
) -> None:
    """Prepare and decide one batch as the worker does, each step its own transaction."""
    now = datetime.now(UTC)
    async with driver.session(database=get_settings().neo4j_database) as session:
        for step in ("prepare", "decide"):
            tx = await session.begin_transaction()
            measured: Any = MeasuredTransaction(tx, costs, args.db_hits)
            if step == "prepare":
                await linking.prepare_batch(measured, batch, now, args.cap)
            else:
                await linking.decide_batch(measured, batch, now, args.cap, plan_tasks, _reconcile)
            started = time.perf_counter()
            await tx.commit()
            costs[f"commit ({step})"].seconds += time.perf_counter() - started
            costs[f"commit ({step})"].calls += 1


async def profile(args: argparse.Namespace) -> list[str]:
    """Link the run's reports, print where the time went; the ids of the reports linked."""
    costs: dict[str, Cost] = defaultdict(Cost)
    # The decision lock and the indexes come from the migrations: on a graph nothing has
    # provisioned yet (just after a reset) the decision would find no lock to take.
    with sync_driver(get_settings()) as sync:
        migrate(sync, get_settings().neo4j_database)
    batches = triaged_batches(args.reports, args.batch, args.seed)
    driver = async_driver(get_settings())
    cpu0, started = neo4j_cpu_seconds(), time.perf_counter()
    try:
        for number, batch in enumerate(batches, 1):
            await _link_measured(driver, batch, args, costs)
            if number % 10 == 0 or number == len(batches):
                done = min(number * args.batch, args.reports)
                print(f"[profile] {done:,}/{args.reports:,} reports linked", flush=True)
    finally:
        await driver.close()
        wall, cpu1 = time.perf_counter() - started, neo4j_cpu_seconds()
        rids = [str(payload.report_id) for batch in batches for payload, _ in batch]
        _close_tasks(rids)
    _print(args, costs, wall, None if cpu0 is None or cpu1 is None else cpu1 - cpu0)
    return rids


def _close_tasks(rids: list[str]) -> None:
    """Decline the open tasks of the cases the run's reports are in (also after a failed run)."""
    with sync_driver(get_settings()) as sync:
        closed = close_run_tasks(sync, get_settings().neo4j_database, rids)
    print(f"[profile] {closed:,} open tasks of the run's cases declined", flush=True)


def _print(
    args: argparse.Namespace, costs: dict[str, Cost], wall: float, cpu: float | None
) -> None:
    n = args.reports
    print(
        f"\n{n:,} reports, batches of {args.batch}, one at a time: {n / wall:,.0f} reports/s "
        f"({1000 * wall / n:.3f} ms/report)"
    )
    if cpu is not None:
        print(f"Neo4j process CPU: {1000 * cpu / n:.3f} ms/report")
    print(
        f"{'statement':24} {'calls':>6} {'ms/report':>10}"
        + ("  db hits/report" if args.db_hits else "")
    )
    for name, cost in sorted(costs.items(), key=lambda kv: -kv[1].seconds):
        hits = f"  {cost.db_hits / n:14.1f}" if args.db_hits else ""
        print(f"{name:24} {cost.calls:6d} {1000 * cost.seconds / n:10.3f}{hits}")
    if args.db_hits:
        for name, cost in costs.items():
            if not cost.operators:
                continue
            print(f"\n{name}: costliest operators (db hits/report)")
            for operator, count in sorted(cost.operators.items(), key=lambda kv: -kv[1])[:8]:
                print(f"  {count / n:8.1f}  {operator}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.linking_profile", description=__doc__)
    parser.add_argument("--reports", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=get_settings().worker_batch_size)
    parser.add_argument("--cap", type=int, default=get_settings().link_degree_cap)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--db-hits", action="store_true", help="PROFILE every statement")
    asyncio.run(profile(parser.parse_args()))


if __name__ == "__main__":
    main()
