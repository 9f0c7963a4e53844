-- Reads one state row. Returns no row when none was ever written; payload NULL is a tombstone left by a clear.
-- Runs on a read connection: WAL gives it the last committed state without waiting for the writer.
SELECT payload, version
FROM nexus_grain_state
WHERE grain_type = @grain_type AND grain_key = @grain_key AND state_name = @state_name;
