// One node a name for the markers the provisioning writes: two processes provisioning at the
// same moment (two workers started together) could each MERGE a DataRepair or InstallKey node
// of one name, and with two InstallKey nodes the pseudonym key check read either. Copies of
// one marker are merged first (an InstallKey only where they hold the same check: two
// different keys are a graph that names its victims two ways, and the constraint refuses it).
MATCH (r:DataRepair) WITH r.name AS name, collect(r) AS same WHERE size(same) > 1
FOREACH (extra IN same[1..] | DETACH DELETE extra);
MATCH (k:InstallKey) WITH k.name AS name, k.check AS check, collect(k) AS same WHERE size(same) > 1
FOREACH (extra IN same[1..] | DETACH DELETE extra);
CREATE CONSTRAINT data_repair_name IF NOT EXISTS FOR (n:DataRepair) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT install_key_name IF NOT EXISTS FOR (n:InstallKey) REQUIRE n.name IS UNIQUE;
CALL db.awaitIndexes(600);
