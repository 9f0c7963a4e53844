-- Inserts or replaces one reminder.
-- Parameters: $1 grain_type, $2 grain_key, $3 reminder_name, $4 grain_hash, $5 owner_epoch, $6 start_at,
-- $7 period_ms, $8 last_tick_due, $9 updated_at, $10 partition, $11 the writer's epoch (0: a single silo).
-- Guarantees: the row gets a fresh version from nexus_reminder_version_seq, so every upsert yields an ETag no earlier
-- upsert of any reminder returned, even one since removed. ON CONFLICT makes concurrent upserts of the same reminder
-- from several connections serialize instead of failing.
-- Fencing: as in state_insert.sql (lease row locked FOR KEY SHARE, epoch $11 and an owner required); a row written under a
-- newer epoch is not replaced. The row records $5 as its owner_epoch.
-- Always returns one row: version (NULL = refused) and owned (false = the writer is a stale owner).
WITH lease AS (
    SELECT 1 FROM nexus_partition_leases
    WHERE partition = $10 AND epoch = $11 AND owner_silo IS NOT NULL
    FOR KEY SHARE
), fence AS (
    SELECT ($11 = 0 OR EXISTS (SELECT 1 FROM lease)) AS owned
), upserted AS (
    INSERT INTO nexus_reminders
        (grain_type, grain_key, reminder_name, grain_hash, owner_epoch, start_at, period_ms, last_tick_due, version, updated_at)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, nextval('nexus_reminder_version_seq'), $9 WHERE (SELECT owned FROM fence)
    ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET
        start_at = excluded.start_at,
        period_ms = excluded.period_ms,
        last_tick_due = excluded.last_tick_due,
        version = excluded.version,
        owner_epoch = excluded.owner_epoch,
        updated_at = excluded.updated_at
    WHERE nexus_reminders.owner_epoch <= excluded.owner_epoch
    RETURNING version
)
SELECT (SELECT version FROM upserted) AS version,
       (SELECT owned FROM fence) AND EXISTS (SELECT 1 FROM upserted) AS owned
