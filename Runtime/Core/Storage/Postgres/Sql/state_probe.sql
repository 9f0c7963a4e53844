-- Clear when the writer expects no row (ETag null). Changes nothing.
-- Parameters: $1 grain_type, $2 grain_key, $3 state_name, $4 partition, $5 the writer's epoch (0: a single silo).
-- Always returns one row shaped like state_update.sql: new_version is always NULL, stored_version NULL means there is
-- nothing to clear (success); any stored version, even a tombstone's, means the writer's view is stale (conflict).
-- owned is checked as in state_update.sql, so a stale owner learns it here too rather than being told "nothing to clear".
WITH lease AS (
    SELECT 1 FROM nexus_partition_leases
    WHERE partition = $4 AND epoch = $5 AND owner_silo IS NOT NULL
    FOR KEY SHARE
)
SELECT NULL::bigint AS new_version,
       (SELECT version FROM nexus_grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3) AS stored_version,
       ($5 = 0 OR EXISTS (SELECT 1 FROM lease)) AS owned
