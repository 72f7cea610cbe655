// Linking decides cases one batch at a time across all workers, by writing this one node
// (graph.linking.decide_batch); the constraint keeps it one node.
CREATE CONSTRAINT link_decision_lock_name IF NOT EXISTS FOR (n:LinkDecisionLock) REQUIRE n.name IS UNIQUE;
MERGE (l:LinkDecisionLock {name: 'cases'}) ON CREATE SET l.taken = 0;
