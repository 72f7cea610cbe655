// Username search on every platform matches the end of an account's value
// ("platform:u:name"). ENDS WITH is not something a range index answers, so each search read
// every Identifier node (a label scan: ~300,000 on a benchmark-grown graph). A text index
// answers it. The range index on value from 0002 was never read (readCount 0): dropped.
CREATE TEXT INDEX identifier_value_text IF NOT EXISTS FOR (n:Identifier) ON (n.value);
CALL db.awaitIndexes(600);
DROP INDEX identifier_value IF EXISTS;
