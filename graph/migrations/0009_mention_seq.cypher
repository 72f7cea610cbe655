// Linking counts a mention only among its identifier's first reports (seq < the degree
// cap), and finds an identifier's cases through those mentions alone. Mentions written
// before seq existed get it here, in the order they were first seen.
MATCH (i:Identifier)
WHERE EXISTS { (i)<-[x:MENTIONS]-(:Report) WHERE x.seq IS NULL }
CALL (i) {
  MATCH (i)<-[x:MENTIONS]-(r:Report)
  WHERE x.seq IS NULL
  WITH x ORDER BY x.first_seen, r.id
  WITH collect(x) AS unnumbered
  UNWIND range(0, size(unnumbered) - 1) AS n
  WITH unnumbered[n] AS x, n
  SET x.seq = n
} IN TRANSACTIONS OF 1000 ROWS;
