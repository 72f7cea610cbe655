"""Reads for analysts and officers: case detail, bounded subgraphs, paths, shared cases, search.

Every answer is bounded by a row limit and a server-side timeout. Victims are shown by a
pseudonymous reference unless the caller may see victim details.
"""

from datetime import datetime
from typing import Any

from neo4j import AsyncDriver, Query
from neo4j.exceptions import ClientError
from neo4j.graph import Node, Relationship
from neo4j.time import DateTime

from runtime.pseudonyms import victim_pseudonym
from streams.triage import without_quotes

TIMEOUT_S = 5.0
MAX_LIMIT = 500
# What Neo4j answers when a read passes the timeout it was given.
_TIMED_OUT = "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"


# What to do about a read that timed out, by default: an analyst's graph question.
NARROWER = "ask a narrower question (fewer hops, a smaller limit, entities closer together)"


class ReadTimedOut(Exception):
    """A read passed TIMEOUT_S: too wide a question (a path between two large cases), not a
    fault; the API answers it as such, not as a failure of its own. `hint` says what to ask
    instead."""

    def __init__(self, message: str, hint: str = NARROWER):
        super().__init__(message)
        self.hint = hint


# Kept for the system, not for analysts: a report's stored link outcome (text before it was
# compressed), an organisation's API key hash; and what the reporter submitted, which holds
# victim details and the reporter's contact (read through graph.submitted's view only).
HIDDEN_PROPERTIES = frozenset({"outcome_zlib", "outcome_json", "api_key_sha256", "submitted_zlib"})
# What officers write about a task (an outcome's note, a decline's or escalation's reason)
# is free text, the likeliest place for a victim's details: shown only where victims are.
_TASK_TEXT_HIDDEN = HIDDEN_PROPERTIES | {"outcome_note", "reason"}
IDENTIFIER_KINDS = ("account", "content", "phone", "email", "device", "payment", "ip", "url")
# Entity references analysts use: an identifier's key, or "<kind>:<id>" for other nodes.
_MATCH_BY_KIND = {
    "case": "{v}:Case AND {v}.id = ${p}",
    "report": "{v}:Report AND {v}.id = ${p}",
    "suspect": "{v}:Suspect AND {v}.id = ${p}",
    "platform": "{v}:Platform AND {v}.name = ${p}",
}


class UnknownEntity(ValueError):
    """An entity reference of no known kind."""


def match_entity(ref: str, var: str, param: str) -> tuple[str, str]:
    """(WHERE clause, parameter value) for an entity reference."""
    kind, _, rest = ref.partition(":")
    if kind in IDENTIFIER_KINDS and rest:
        return f"{var}:Identifier AND {var}.key = ${param}", ref
    if kind == "suspect" and rest:
        return _MATCH_BY_KIND["suspect"].format(v=var, p=param), ref
    if kind in _MATCH_BY_KIND and rest:
        return _MATCH_BY_KIND[kind].format(v=var, p=param), rest
    kinds = ", ".join(IDENTIFIER_KINDS + tuple(_MATCH_BY_KIND))
    raise UnknownEntity(f"entity {ref!r}: expected <kind>:<value> with a kind of {kinds}")


def bounded(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


async def read(
    driver: AsyncDriver, cypher: str, database: str, hint: str = NARROWER, **params: Any
) -> list[Any]:
    """A read Neo4j stops after TIMEOUT_S (ReadTimedOut, with `hint`: what to ask instead)."""
    try:
        records, _, _ = await driver.execute_query(
            Query(cypher, timeout=TIMEOUT_S), params, database_=database, routing_="r"
        )
    except ClientError as exc:
        if exc.code == _TIMED_OUT:
            raise ReadTimedOut(f"the read took longer than {TIMEOUT_S:g} s", hint) from exc
        raise
    return list(records)


def entity_ref(node: Node) -> str:
    labels = set(node.labels)
    if "Identifier" in labels:
        return str(node["key"])
    if "Suspect" in labels:
        return str(node["id"])
    if "Platform" in labels:
        return f"platform:{node['name']}"
    for label in ("Case", "Report", "Organisation", "Task"):
        if label in labels:
            return f"{label.lower()}:{node['id']}"
    if "Victim" in labels:
        return victim_pseudonym(str(node["ref"]))
    return "node"


def node_view(node: Node, reveal_victims: bool) -> dict[str, Any]:
    """A node as JSON-ready data; victims pseudonymised unless revealed."""
    labels = sorted(node.labels)
    if "Victim" in labels:
        props = {"pseudonym": victim_pseudonym(str(node["ref"]))}
        if reveal_victims:
            props |= {
                "ref": node["ref"],
                "age": node.get("age"),
                "age_range": node.get("age_range"),
            }
        return {"ref": props["pseudonym"], "labels": labels, "properties": props}
    hidden = HIDDEN_PROPERTIES if reveal_victims or "Task" not in labels else _TASK_TEXT_HIDDEN
    shown: dict[str, Any] = {k: plain(v) for k, v in node.items() if k not in hidden}
    if not reveal_victims and isinstance(shown.get("reasons"), list):
        # A report's and a task's reasons quote the age the description gives.
        shown["reasons"] = [without_quotes(str(r)) for r in shown["reasons"]]
    return {"ref": entity_ref(node), "labels": labels, "properties": shown}


def rel_view(rel: Relationship) -> dict[str, Any]:
    assert rel.start_node is not None and rel.end_node is not None
    return {
        "type": rel.type,
        "from": entity_ref(rel.start_node),
        "to": entity_ref(rel.end_node),
        "properties": rel_properties(dict(rel.items())),
    }


def rel_properties(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in properties.items() if k not in _MERGE_BOOKKEEPING}


# A merge's record for undoing it (graph.linking_cypher): lists of ids, not for the graph view.
_MERGE_BOOKKEEPING = frozenset(
    {
        "moved_reports",
        "moved_tasks",
        "superseded_tasks",
        "superseded_statuses",
        "raised_tasks",
        "raised_priorities",
        "raised_due_times",
        "loser_status",
    }
)


def iso_time(value: datetime) -> str:
    """A time as the API's models write one ('2026-12-02T14:00:00.123456Z'): the graph's
    views wrote Neo4j's form ('...14:00:00.123456000+00:00') beside the tasks' 'Z', two
    forms of one instant in one answer. An offset other than UTC's is kept."""
    text = value.isoformat()
    return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text


def plain(value: Any) -> Any:
    if isinstance(value, DateTime) and value.tzinfo is not None:
        return iso_time(value.to_native())
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def paths_view(records: list[Any], reveal_victims: bool) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    rels: dict[str, dict[str, Any]] = {}
    for record in records:
        for node in record["nodes"]:
            view = node_view(node, reveal_victims)
            nodes[view["ref"]] = view
        for rel in record["rels"]:
            rels[rel.element_id] = rel_view(rel)
    return {"nodes": list(nodes.values()), "relationships": list(rels.values())}
