-- Whether the reminder index of cluster_reminder_index.sql exists already. Checked first because CREATE INDEX takes a
-- SHARE lock on nexus_reminders, blocking reminder writes for a moment, even when IF NOT EXISTS then skips it.
-- {PartitionCount} as in cluster_reminder_index.sql. Returns one row: true or false.
SELECT to_regclass('nexus_reminders_by_partition_{PartitionCount}') IS NOT NULL
