-- Version compare-and-swap, for a write ($5 payload set) or a clear ($5 NULL, leaving a tombstone).
-- Parameters: $1 grain_type, $2 grain_key, $3 state_name, $4 expected version, $5 payload, $6 updated_at,
-- $7 partition, $8 the writer's epoch for that partition (0: a single silo, no lease to check).
-- Guarantees: changes the row only if its version is $4, and then bumps the version by one. Under READ COMMITTED an
-- UPDATE that waited for another transaction's change re-checks the version on the row that transaction committed, so two
-- writers from the same version can never both succeed.
-- Fencing: as in state_insert.sql (the lease row is locked FOR KEY SHARE and must still have epoch $8 and an owner); in
-- addition the row itself must not have been written under a newer epoch. The row records $8 as its owner_epoch.
-- Always returns one row: new_version (NULL = conflict or refused, nothing changed), stored_version as the statement's
-- snapshot saw it (it may lag a change committed while this statement waited), and owned (false = stale owner).
WITH lease AS (
    SELECT 1 FROM nexus_partition_leases
    WHERE partition = $7 AND epoch = $8 AND owner_silo IS NOT NULL
    FOR KEY SHARE
), fence AS (
    SELECT ($8 = 0 OR EXISTS (SELECT 1 FROM lease))
           AND coalesce((SELECT owner_epoch <= $8 FROM nexus_grain_state
                         WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3), true) AS owned
), updated AS (
    UPDATE nexus_grain_state
    SET payload = $5, version = version + 1, updated_at = $6, owner_epoch = $8
    WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $4
      AND owner_epoch <= $8 AND (SELECT owned FROM fence)
    RETURNING version
)
SELECT (SELECT version FROM updated) AS new_version,
       (SELECT version FROM nexus_grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3) AS stored_version,
       (SELECT owned FROM fence) AS owned
