// Organisations authenticate with a key per organisation, stored only as its SHA-256.
CREATE INDEX organisation_key_hash IF NOT EXISTS FOR (n:Organisation) ON (n.api_key_sha256);
