-- Renews every lease this silo holds, in one statement: extends each to now() + LeaseDuration (database clock).
-- Parameters: $1 silo_id, $2 LeaseDuration in milliseconds, $3 integer[] partitions, $4 bigint[] their epochs.
-- Guarantees: a lease is extended only while it still has this owner AND the epoch this silo took it at, and only
-- while the silo itself is not dead (the heartbeat in the same transaction runs first). A partition missing from the
-- result was taken over or released: the silo must stop treating it as its own at once.
-- Always returns one row: the partitions renewed.
WITH renewed AS (
    UPDATE nexus_partition_leases AS l
    SET lease_expires_at = now() + $2 * interval '1 millisecond'
    FROM unnest($3::integer[], $4::bigint[]) AS mine (partition, epoch)
    WHERE l.partition = mine.partition AND l.epoch = mine.epoch AND l.owner_silo = $1
      AND EXISTS (SELECT 1 FROM nexus_silos WHERE silo_id = $1 AND status IN ('joining', 'active', 'leaving'))
    RETURNING l.partition
)
SELECT coalesce(array_agg(partition), '{}'::integer[]) AS renewed FROM renewed
