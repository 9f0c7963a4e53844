-- The index that lets a silo read the reminders of the partitions it gained (reminder_read_partitions.sql).
-- {PartitionCount} is the cluster's fixed count, formatted by the code; the count never changes for a database, so
-- one index is ever created. Runs under the schema advisory lock, so concurrent first starts do not race on it.
CREATE INDEX IF NOT EXISTS nexus_reminders_by_partition_{PartitionCount}
    ON nexus_reminders (((grain_hash::bigint & 4294967295) % {PartitionCount}))
