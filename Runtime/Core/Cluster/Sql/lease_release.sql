-- Gives leases back (owner NULL, epoch kept) so that the next owner can take them at once instead of waiting for
-- them to expire. Parameters: $1 silo_id, $2 integer[] partitions, $3 bigint[] their epochs.
-- Guarantees: only a lease that still has this owner and the epoch this silo took it at is released; a lease someone
-- else took meanwhile is left alone. Returns nothing.
UPDATE nexus_partition_leases AS l
SET owner_silo = NULL, lease_expires_at = NULL
FROM unnest($2::integer[], $3::bigint[]) AS mine (partition, epoch)
WHERE l.partition = mine.partition AND l.epoch = mine.epoch AND l.owner_silo = $1
