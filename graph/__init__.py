"""Neo4j: schema migrations, the case-linking writes and the analyst queries."""
