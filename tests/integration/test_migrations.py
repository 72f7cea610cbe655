"""Migrations that repair data, run against the real Neo4j on data broken the way they fix."""

from uuid import uuid4

from neo4j import Driver

from graph.migrate import MIGRATIONS, apply_file


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
