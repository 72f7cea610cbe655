// The transactional outbox (graph.outbox): task changes write their events here, in their own
// transaction, and the agents' relay publishes them after the commit. Numbered by one counter
// node, whose lock a transaction holds from numbering to commit: numbers follow commit order.
CREATE CONSTRAINT outbox_event_seq IF NOT EXISTS FOR (n:OutboxEvent) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT outbox_counter_name IF NOT EXISTS FOR (n:OutboxCounter) REQUIRE n.name IS UNIQUE;
MERGE (c:OutboxCounter {name: 'events'}) ON CREATE SET c.next = 0;
// Taken by a relay pass for its whole transaction: two agents processes never send one
// event twice (except after a commit that failed once the events were sent).
MERGE (l:OutboxCounter {name: 'relay'}) ON CREATE SET l.taken = 0;
CALL db.awaitIndexes(600);
