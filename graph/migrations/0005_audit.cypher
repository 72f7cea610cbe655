// The audit trail: one hash chain per case (plus 'global'); records are only ever created.
// Unique chain ids make concurrent MERGEs of a new chain create it once.
CREATE CONSTRAINT audit_record_id IF NOT EXISTS FOR (n:AuditRecord) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_chain_id IF NOT EXISTS FOR (n:AuditChain) REQUIRE n.id IS UNIQUE;
// "Who looked at this case": the audit-read query and oversight reports filter on case_id.
CREATE INDEX audit_record_case_id IF NOT EXISTS FOR (n:AuditRecord) ON (n.case_id);
// Reading a chain in order (the 'global' chain has no case_id).
CREATE INDEX audit_record_chain_seq IF NOT EXISTS FOR (n:AuditRecord) ON (n.chain, n.seq);
