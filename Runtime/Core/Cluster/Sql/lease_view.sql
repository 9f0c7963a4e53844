-- Every partition's lease as the database sees it now: owner, epoch, and whether it can be taken (free or expired).
-- Parameters: none. One snapshot, ordered by partition.
SELECT partition, owner_silo, epoch, (owner_silo IS NULL OR lease_expires_at < now()) AS takeable
FROM nexus_partition_leases
ORDER BY partition
