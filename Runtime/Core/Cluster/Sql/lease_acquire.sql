-- Takes the listed partitions whose lease is free (released or never owned) or expired by the database's clock.
-- Parameters: $1 silo_id, $2 LeaseDuration in milliseconds, $3 integer[] partitions wanted.
-- Guarantees: the epoch goes up by one in the same UPDATE that names the new owner, so the new owner's epoch is larger
-- than any epoch a previous owner wrote with. Two silos racing for one partition: the second UPDATE waits for the
-- first, re-checks the row it committed (owned, not expired) and skips it, so exactly one wins. Raising epoch (a key
-- column, see 002_cluster.sql) takes the FOR UPDATE row lock, so a fenced state or reminder write holding the row
-- FOR KEY SHARE makes the takeover wait until that write's transaction ends.
-- Only a member that is not dead or leaving may acquire. Returns one row per partition taken: (partition, epoch).
UPDATE nexus_partition_leases
SET owner_silo = $1, epoch = epoch + 1, lease_expires_at = now() + $2 * interval '1 millisecond'
WHERE partition = ANY($3)
  AND (owner_silo IS NULL OR lease_expires_at < now())
  AND EXISTS (SELECT 1 FROM nexus_silos WHERE silo_id = $1 AND status IN ('joining', 'active'))
RETURNING partition, epoch
