-- Records the due time of a delivered tick, only while the row still has version $4 (not re-registered or removed
-- since). Leaves the version unchanged; records $8 as the row's owner_epoch.
-- Parameters: $1 grain_type, $2 grain_key, $3 reminder_name, $4 version, $5 last_tick_due, $6 updated_at,
-- $7 partition, $8 the writer's epoch (0: a single silo).
-- Fencing: as in state_insert.sql (lease row locked FOR KEY SHARE, epoch $8 and an owner required); a row written under
-- a newer epoch is not touched.
-- Always returns one row: rows updated (1 = recorded, 0 = the row is gone, has another version, or was refused) and
-- owned (false = the writer is a stale owner).
WITH lease AS (
    SELECT 1 FROM nexus_partition_leases
    WHERE partition = $7 AND epoch = $8 AND owner_silo IS NOT NULL
    FOR KEY SHARE
), fence AS (
    SELECT ($8 = 0 OR EXISTS (SELECT 1 FROM lease)) AS owned
), ticked AS (
    UPDATE nexus_reminders
    SET last_tick_due = $5, updated_at = $6, owner_epoch = $8
    WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3 AND version = $4
      AND owner_epoch <= $8 AND (SELECT owned FROM fence)
    RETURNING 1
)
SELECT count(*)::integer AS affected, (SELECT owned FROM fence) AS owned FROM ticked
