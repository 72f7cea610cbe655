"""The linking profiler's bookkeeping: database hits summed over a plan's operators."""

from bench.linking_profile import STATEMENTS, Cost, _add_operators
from graph import linking_cypher


def test_db_hits_are_summed_over_nested_operators() -> None:
    plan = {
        "operatorType": "ProduceResults@neo4j",
        "dbHits": 0,
        "children": [
            {"operatorType": "Create@neo4j", "dbHits": 30, "args": {"Details": "(r)-[:M]->(i)"}},
            {
                "operatorType": "Filter@neo4j",
                "dbHits": 5,
                "children": [
                    {
                        "operatorType": "Create@neo4j",
                        "dbHits": 7,
                        "args": {"Details": "(r)-[:M]->(i)"},
                    }
                ],
            },
        ],
    }
    cost = Cost()
    _add_operators(plan, cost)
    assert cost.db_hits == 42
    assert cost.operators["Create@neo4j: (r)-[:M]->(i)"] == 37
    assert cost.operators["Filter@neo4j: "] == 5


def test_every_linking_statement_is_reported_by_its_name() -> None:
    assert STATEMENTS[linking_cypher.PREPARE_REPORTS] == "PREPARE_REPORTS"
    assert STATEMENTS[linking_cypher.DECISION_READ] == "DECISION_READ"
    assert len(STATEMENTS) == len([n for n in vars(linking_cypher) if n.isupper()])
