// The SLA check scans open tasks by status on every pass, across all agencies: the
// (agency, status) index of 0002 cannot serve it.
CREATE INDEX task_status_due IF NOT EXISTS FOR (n:Task) ON (n.status, n.due_at);
// Timeline entries are found again by id (audit, API links).
CREATE CONSTRAINT timeline_entry_id IF NOT EXISTS FOR (n:TimelineEntry) REQUIRE n.id IS UNIQUE;
