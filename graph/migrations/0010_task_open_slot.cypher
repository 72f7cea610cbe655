// A case's open task in a slot (case, type, target) is found by one seek on an index that
// ends in the status. The slot index alone returned every closed task of the slot too: in
// a case that grew by merges, hundreds of superseded tasks per slot, read by every
// decision that touches the case (20,000 index hits for 50 slots on the benchmark graph).
CREATE INDEX task_open_slot IF NOT EXISTS
FOR (n:Task) ON (n.case_id, n.task_type, n.target, n.status);
// The linker's queries name this index (USING INDEX): it must be online before they run.
CALL db.awaitIndexes(600);
DROP INDEX task_slot IF EXISTS;
