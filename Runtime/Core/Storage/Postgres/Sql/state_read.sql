-- Reads one state row. Returns no row when none was ever written; payload NULL is a tombstone left by a clear.
-- Parameters: $1 grain_type, $2 grain_key, $3 state_name.
SELECT payload, version
FROM nexus_grain_state
WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3
