-- The console lists the executions of all functions newest first (optionally by status) and counts
-- executions by status per function.

-- Listing across functions pages on (started_at, arn), like executions_by_start does per function.
CREATE INDEX executions_by_start_all ON executions (started_at, arn);
-- Counting by function and status is a scan of this index alone (no table rows read).
CREATE INDEX executions_by_status ON executions (function_name, status);
