-- Write when the writer expects no row (ETag null).
-- Parameters: $1 grain_type, $2 grain_key, $3 state_name, $4 grain_hash, $5 owner_epoch, $6 payload, $7 updated_at,
-- $8 partition, $9 the writer's epoch for that partition (0: a single silo, no lease to check).
-- Guarantees: creates the row at version 1 only if no row exists for the key, not even a tombstone. A row that exists,
-- or is being inserted by another connection at the same moment, makes it change nothing (ON CONFLICT DO NOTHING turns
-- the race into a refusal instead of an error that would abort the whole batch).
-- Fencing: with an epoch above 0 it writes only while the partition's lease row still has that epoch and an owner
-- (each acquisition raises the epoch, so that pair names this writer's tenure). The lease row is locked FOR KEY SHARE
-- until the transaction ends, so a takeover waits for this write, or this write, having waited for the takeover,
-- re-checks the new row and is refused. That works because epoch is a key column (002_cluster.sql gives it a unique
-- index), so an UPDATE that changes it takes the FOR UPDATE row lock, which conflicts with FOR KEY SHARE; a renewal
-- changes only the expiry, takes FOR NO KEY UPDATE, and so never waits for writes nor makes them wait.
-- Always returns one row: new_version (NULL = refused), stored_version, the version the statement's snapshot saw
-- before it ran (NULL when no row was visible yet), and owned (false = refused because the writer is a stale owner).
WITH lease AS (
    SELECT 1 FROM nexus_partition_leases
    WHERE partition = $8 AND epoch = $9 AND owner_silo IS NOT NULL
    FOR KEY SHARE
), fence AS (
    SELECT ($9 = 0 OR EXISTS (SELECT 1 FROM lease)) AS owned
), inserted AS (
    INSERT INTO nexus_grain_state (grain_type, grain_key, state_name, grain_hash, owner_epoch, version, payload, updated_at)
    SELECT $1, $2, $3, $4, $5, 1, $6, $7 WHERE (SELECT owned FROM fence)
    ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
    RETURNING version
)
SELECT (SELECT version FROM inserted) AS new_version,
       (SELECT version FROM nexus_grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3) AS stored_version,
       (SELECT owned FROM fence) AS owned
