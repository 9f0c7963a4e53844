-- Deletes one reminder. Parameters: $1 grain_type, $2 grain_key, $3 reminder_name, $4 partition, $5 the writer's
-- epoch (0: a single silo).
-- Fencing: as in state_insert.sql (lease row locked FOR KEY SHARE, epoch $5 and an owner required); a row written under
-- a newer epoch is not deleted.
-- Always returns one row: the number of rows deleted (1 = it existed, 0 = it did not or was refused) and owned
-- (false = the writer is a stale owner).
WITH lease AS (
    SELECT 1 FROM nexus_partition_leases
    WHERE partition = $4 AND epoch = $5 AND owner_silo IS NOT NULL
    FOR KEY SHARE
), fence AS (
    SELECT ($5 = 0 OR EXISTS (SELECT 1 FROM lease)) AS owned
), deleted AS (
    DELETE FROM nexus_reminders
    WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3
      AND owner_epoch <= $5 AND (SELECT owned FROM fence)
    RETURNING 1
)
SELECT count(*)::integer AS affected, (SELECT owned FROM fence) AS owned FROM deleted
