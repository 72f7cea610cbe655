// Lookups that analysts and the task queues run often.
CREATE INDEX identifier_value IF NOT EXISTS FOR (n:Identifier) ON (n.value);
CREATE INDEX case_status IF NOT EXISTS FOR (n:Case) ON (n.status);
CREATE INDEX task_agency_status IF NOT EXISTS FOR (n:Task) ON (n.agency, n.status);
