// Every change to the exclusion list is kept (graph.exclusions), found by its key.
CREATE INDEX exclusion_change_key IF NOT EXISTS FOR (n:ExclusionChange) ON (n.key);
