"""Migrations that repair data, run against the real Neo4j on data broken the way they fix."""

from uuid import uuid4

import pytest
from neo4j import Driver

from graph.migrate import MIGRATIONS, apply_file
from graph.repairs import rekey_victim_pseudonyms
from runtime.pseudonyms import unkeyed_pseudonym, victim_pseudonym


def test_0011_renumbers_mentions_a_race_numbered_twice_and_recounts(neo4j_sync: Driver) -> None:
    key = f"test:recount:{uuid4().hex}"
    # Four mentions, numbered 0, 1, 0, 1 and counted 2: what two lost updates left behind.
    neo4j_sync.execute_query(
        "CREATE (i:Identifier {key: $key, report_count: 2}) "
        "WITH i UNWIND range(0, 3) AS k "
        "CREATE (:Report {id: $key + ':' + k})-[:MENTIONS {seq: k % 2, first_seen: datetime()}]->(i)",
        key=key,
    )
    try:
        apply_file(neo4j_sync, MIGRATIONS / "0011_recount_mentions.cypher")
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (i:Identifier {key: $key})<-[m:MENTIONS]-(r:Report) "
            "WITH i, m, r ORDER BY m.seq "
            "RETURN i.report_count AS count, collect(m.seq) AS seqs, collect(r.id) AS reports",
            key=key,
        )
        (row,) = records
        assert row["count"] == 4
        assert row["seqs"] == [0, 1, 2, 3]
        # Mentions that shared a number keep their order: both 0s come before both 1s.
        assert sorted(row["reports"][:2]) == [f"{key}:0", f"{key}:2"]
    finally:
        neo4j_sync.execute_query(
            "MATCH (i:Identifier {key: $key}) OPTIONAL MATCH (r:Report)-[:MENTIONS]->(i) "
            "DETACH DELETE r, i",
            key=key,
        )


def test_0016_marks_tasks_the_earlier_code_escalated_as_overdue(neo4j_sync: Driver) -> None:
    """Escalated as overdue before the marker existed: not to be escalated a second time.
    Escalated as unclaimed: left unmarked, its deadline's alarm is still to come."""
    prefix = f"test:0016:{uuid4().hex}"
    neo4j_sync.execute_query(
        "UNWIND ['overdue', 'unclaimed'] AS reason "
        "CREATE (:Task {id: $prefix + reason, status: 'claimed', reason: reason, "
        "escalated_at: datetime('2026-11-29T10:00:00Z')})",
        prefix=prefix,
    )
    try:
        apply_file(neo4j_sync, MIGRATIONS / "0016_task_overdue_marker.cypher")
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id STARTS WITH $prefix "
            "RETURN t.reason AS reason, t.overdue_escalated_at = t.escalated_at AS marked, "
            "t.overdue_escalated_at IS NULL AS unmarked",
            prefix=prefix,
        )
        rows = {r["reason"]: (r["marked"], r["unmarked"]) for r in records}
        assert rows == {"overdue": (True, False), "unclaimed": (None, True)}
    finally:
        neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id STARTS WITH $prefix DELETE t", prefix=prefix
        )


def test_victim_support_tasks_move_to_the_keyed_pseudonym_of_their_victim(
    neo4j_sync: Driver,
) -> None:
    """Tasks made before pseudonyms were keyed name their victim by the unkeyed one: moved,
    so that the next report about that victim finds its open task, not a second slot."""
    ref = f"test-org:VIC-{uuid4().hex}"
    ids = [f"test:rekey:{uuid4().hex}" for _ in range(2)]
    neo4j_sync.execute_query(
        "CREATE (:Victim {ref: $ref}) "
        "CREATE (:Task {id: $ids[0], task_type: 'victim_support', target: $old}) "
        "CREATE (:Task {id: $ids[1], task_type: 'victim_support', target: 'victim-000000000000'})",
        ref=ref,
        ids=ids,
        old=unkeyed_pseudonym(ref),
    )
    try:
        assert rekey_victim_pseudonyms(neo4j_sync, "neo4j") >= 1
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id IN $ids RETURN t.id AS id, t.target AS target", ids=ids
        )
        targets = {r["id"]: r["target"] for r in records}
        assert targets == {ids[0]: victim_pseudonym(ref), ids[1]: "victim-000000000000"}
        assert rekey_victim_pseudonyms(neo4j_sync, "neo4j") == 0  # nothing left to move
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Task AND n.id IN $ids) OR (n:Victim AND n.ref = $ref) DELETE n",
            ids=ids,
            ref=ref,
        )


def test_a_process_with_another_pseudonym_key_refuses_to_start(neo4j_sync: Driver) -> None:
    """The graph keeps a check value of the key it was made with: a worker holding another
    (started where the install's key file is not) would name each victim two ways."""
    from graph.repairs import check_pseudonym_key

    check_pseudonym_key(neo4j_sync)  # this process's key is the graph's
    records, _, _ = neo4j_sync.execute_query(
        "MATCH (k:InstallKey {name: 'pseudonym'}) RETURN k.check AS check"
    )
    kept = records[0]["check"]
    neo4j_sync.execute_query("MATCH (k:InstallKey {name: 'pseudonym'}) SET k.check = 'another'")
    try:
        with pytest.raises(RuntimeError, match="not the one this graph was made with"):
            check_pseudonym_key(neo4j_sync)
    finally:
        neo4j_sync.execute_query(
            "MATCH (k:InstallKey {name: 'pseudonym'}) SET k.check = $kept", kept=kept
        )
