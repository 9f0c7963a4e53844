-- Clear when the writer expects no row (ETag null). Changes nothing.
-- Parameters: $1 grain_type, $2 grain_key, $3 state_name.
-- Always returns one row shaped like state_update.sql: new_version is always NULL, stored_version NULL means there is
-- nothing to clear (success); any stored version, even a tombstone's, means the writer's view is stale (conflict).
SELECT NULL::bigint AS new_version,
       (SELECT version FROM nexus_grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3) AS stored_version
