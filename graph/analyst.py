"""Analyst and officer reads over the case graph (see graph/queries.py for the shared parts)."""

import heapq
import itertools
from typing import Any

from neo4j import AsyncDriver
from neo4j.graph import Graph, Node

from contracts.enums import OPEN_TASK_STATUSES
from graph import queries_cypher as q
from graph.queries import (
    bounded,
    match_entity,
    node_view,
    paths_view,
    plain,
    read,
    rel_properties,
    victim_pseudonym,
)


async def case_exists(driver: AsyncDriver, case_id: str, database: str = "neo4j") -> bool:
    """Whether a case of this id exists (merged or not)."""
    rows = await read(driver, q.CASE_EXISTS, database, cid=case_id)
    return bool(rows and rows[0]["found"])


async def agency_has_task(
    driver: AsyncDriver, case_id: str, agency: str, database: str = "neo4j"
) -> bool:
    """Whether an agency has a task on the case: officers see the cases they act on."""
    rows = await read(driver, q.AGENCY_HAS_TASK, database, cid=case_id, agency=agency)
    return bool(rows and rows[0]["has"])


async def case_detail(
    driver: AsyncDriver,
    case_id: str,
    reveal_victims: bool,
    database: str = "neo4j",
    limit: int = 200,
) -> dict[str, Any] | None:
    """The case with its reports, tasks, victims and timeline, or None. Each list holds at
    most `limit`: the newest reports and timeline entries (in the order they came), the open
    tasks first (most urgent first); `totals` says how many each has in all."""
    found = await read(driver, q.CASE_DETAIL, database, cid=case_id)
    if not found:
        return None
    limit = bounded(limit)
    open_ = list(OPEN_TASK_STATUSES)
    reports = await read(driver, q.CASE_REPORTS, database, cid=case_id, limit=limit)
    tasks = await read(driver, q.CASE_TASKS, database, cid=case_id, limit=limit, open=open_)
    victims = await read(driver, q.CASE_VICTIMS, database, cid=case_id, limit=limit)
    own = await read(driver, q.CASE_TIMELINE, database, cid=case_id, limit=limit)
    merged = await read(driver, q.MERGED_CASES_TIMELINE, database, cid=case_id, limit=limit)
    # The case's own entries keep their order (seq: a merge's carry its batch's start time,
    # which can be before an officer action that committed first); the merged cases' go in
    # among them by time.
    entries = heapq.merge(
        (e["entry"] for e in own), (e["entry"] for e in merged),
        key=lambda entry: entry["at"], reverse=True,
    )  # fmt: skip
    timeline = list(itertools.islice(entries, limit))
    totals = await read(driver, q.CASE_TOTALS, database, cid=case_id, open=open_)
    case = {k: plain(v) for k, v in found[0]["case"].items()}
    return {
        "case": case,
        "merged_into": found[0]["merged_into"],
        "reports": [{k: plain(v) for k, v in r.data().items()} for r in reversed(reports)],
        "tasks": [{k: plain(v) for k, v in t.data().items()} for t in tasks],
        "victims": [_victim(v.data(), reveal_victims) for v in victims],
        "timeline": [{k: plain(v) for k, v in e.items()} for e in reversed(timeline)],
        "totals": totals[0].data() if totals else {},
    }


def _victim(row: dict[str, Any], reveal: bool) -> dict[str, Any]:
    view: dict[str, Any] = {"pseudonym": victim_pseudonym(row["ref"])}
    if reveal:
        view |= {"ref": row["ref"], "age": row["age"], "age_range": row["age_range"]}
    return view


async def case_subgraph(
    driver: AsyncDriver,
    case_id: str,
    reveal_victims: bool,
    limit: int = 100,
    database: str = "neo4j",
) -> dict[str, Any]:
    """The case, its newest reports and what they mention, at most `limit` reports and items
    each; `truncated` when some were left out, with the case's count of reports."""
    rows = await read(driver, q.CASE_SUBGRAPH, database, cid=case_id, limit=bounded(limit))
    if not rows:
        return {"nodes": [], "relationships": [], "reports_total": 0, "truncated": False}
    case = node_view(rows[0]["c"], reveal_victims)
    nodes: dict[str, dict[str, Any]] = {case["ref"]: case}
    rels: list[dict[str, Any]] = []
    shown = rows[0]["reports"]
    truncated = rows[0]["reports_total"] > len(shown) or any(
        row["around_total"] > len(row["around"]) for row in shown
    )
    for row in shown:
        props = {k: v for k, v in row["report"].items() if v is not None}
        report = node_view(Node(_GRAPH, row["id"], -1, ["Report"], props), reveal_victims)
        nodes[report["ref"]] = report
        rels.append({"type": "PART_OF", "from": report["ref"], "to": case["ref"], "properties": {}})
        for item in row["around"]:
            if item is None:
                continue
            view = node_view(item["node"], reveal_victims)
            nodes[view["ref"]] = view
            rels.append(
                {
                    "type": item["type"],
                    "from": report["ref"],
                    "to": view["ref"],
                    "properties": rel_properties(item["properties"]),
                }
            )
    return {
        "nodes": list(nodes.values()),
        "relationships": rels,
        "reports_total": rows[0]["reports_total"],
        "truncated": truncated,
    }


# A report read as a map is viewed as the node it is (graph.queries.node_view).
_GRAPH = Graph()


# A start with more edges than this is walked one hop only: a deeper walk from a hub, a
# platform or a large merged case read every path before its limit and held Neo4j for the
# read timeout, behind which the linker's writes waited.
WIDE_START = 200
# Nor is a walk taken through a node of more edges than these (graph.queries_cypher._STEP):
# a neighbourhood lists every path before its limit; a path search looks for one, and may
# cross a larger case (a search from a device ran 10 s through cases of 15,000 edges).
WIDE_STEP = 200
WIDE_PATH_STEP = 1_000


async def neighbourhood(
    driver: AsyncDriver, entity: str, depth: int, limit: int = 100, database: str = "neo4j"
) -> dict[str, Any]:
    """Everything within `depth` (1 to 3) hops of an entity, never walking through hubs; one
    hop only from a wide start (`depth` in the answer says how far it went)."""
    depth = max(1, min(depth, 3))
    where, value = match_entity(entity, "start", "start_ref")
    width = await read(driver, q.START_WIDTH.replace("{match}", where), database, start_ref=value)
    if width and width[0]["degree"] > WIDE_START:
        depth = 1
    cypher = q.ENTITY_NEIGHBOURHOOD[depth].replace("{match}", where)
    limit = bounded(limit)
    # One path more than shown tells whether there are more: `truncated` (said only by the
    # count, an analyst took the first 100 for the whole neighbourhood).
    paths = await read(driver, cypher, database, start_ref=value, limit=limit + 1, wide=WIDE_STEP)
    view = paths_view(paths[:limit], False)
    return {**view, "depth": depth, "truncated": len(paths) > limit}


async def shortest_path(
    driver: AsyncDriver, source: str, target: str, database: str = "neo4j"
) -> dict[str, Any]:
    """The shortest path (at most 6 hops, not through hubs or victims) between two entities."""
    where_a, value_a = match_entity(source, "a", "a_ref")
    where_b, value_b = match_entity(target, "b", "b_ref")
    cypher = q.SHORTEST_PATH.replace("{match_a}", where_a).replace("{match_b}", where_b)
    answer = await read(driver, cypher, database, a_ref=value_a, b_ref=value_b, wide=WIDE_PATH_STEP)
    return paths_view(answer, False)


# Mentions of one identifier read at most for the cases sharing it (q.CASES_SHARING_ENTITY).
MAX_MENTIONS_READ = 20_000


async def cases_sharing(
    driver: AsyncDriver, key: str, limit: int = 100, database: str = "neo4j"
) -> tuple[list[dict[str, Any]], bool]:
    """Cases whose reports mention an identifier, and whether the answer is cut: more cases
    than `limit`, or more mentions than MAX_MENTIONS_READ (a hub's: its cases are those of
    the mentions read)."""
    limit = bounded(limit)
    rows = await read(
        driver, q.CASES_SHARING_ENTITY, database, key=key, limit=limit, mentions=MAX_MENTIONS_READ
    )
    if not rows:
        return [], False
    row = rows[0]
    return list(row["cases"]), row["more"] or row["mentions"] > row["mentions_read"]


async def search(
    driver: AsyncDriver,
    keys: list[str],
    username: str | None,
    limit: int = 50,
    database: str = "neo4j",
) -> list[dict[str, Any]]:
    """Identifiers by exact key, or accounts by username on any platform, with their cases."""
    limit = bounded(limit)
    if username is not None:
        rows = await read(driver, q.SEARCH_USERNAME, database, suffix=f":u:{username}", limit=limit)
    else:
        rows = await read(driver, q.SEARCH_IDENTIFIERS, database, keys=keys, limit=limit)
    return [r.data() for r in rows]


async def merged_into(driver: AsyncDriver, case_id: str, database: str = "neo4j") -> list[str]:
    """The ids of the cases merged into this one, directly or through others."""
    rows = await read(driver, q.MERGED_INTO_CASE, database, cid=case_id)
    return [row["id"] for row in rows]
