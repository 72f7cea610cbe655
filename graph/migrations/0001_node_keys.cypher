// Every node key is unique: MERGE on these keys is what makes writes idempotent and
// what serialises two workers that touch the same identifier.
CREATE CONSTRAINT schema_migration_version IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.version IS UNIQUE;
CREATE CONSTRAINT report_id IF NOT EXISTS FOR (n:Report) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT case_id IF NOT EXISTS FOR (n:Case) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT identifier_key IF NOT EXISTS FOR (n:Identifier) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT account_key IF NOT EXISTS FOR (n:Account) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT content_key IF NOT EXISTS FOR (n:Content) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT platform_name IF NOT EXISTS FOR (n:Platform) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT victim_ref IF NOT EXISTS FOR (n:Victim) REQUIRE n.ref IS UNIQUE;
CREATE CONSTRAINT suspect_id IF NOT EXISTS FOR (n:Suspect) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT exclusion_key IF NOT EXISTS FOR (n:ExclusionRule) REQUIRE n.key IS UNIQUE;
