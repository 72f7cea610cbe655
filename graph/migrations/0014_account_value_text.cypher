// Username search on every platform matches the end of an account's value
// ("platform:u:name"). ENDS WITH is not something a range index answers, so each search read
// every Identifier node (a label scan: 215 ms on a benchmark-grown graph of 426,351). A text
// index answers it (3 ms). Accounts only: a text index indexes every trigram of a value,
// and a node written to one cost ~22 us against ~13 us with a range index and ~8 us with
// none (measured here); content hashes and URLs, two thirds of identifiers and twice as
// long, are never searched by their end. The range index on every identifier's value from
// 0002 was never read (readCount 0): dropped.
CREATE TEXT INDEX account_value_text IF NOT EXISTS FOR (n:Account) ON (n.value);
CALL db.awaitIndexes(600);
DROP INDEX identifier_value IF EXISTS;
