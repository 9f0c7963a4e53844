-- The reminders of a set of partitions, in key order. Parameters: $1 integer[] of partitions.
-- {PartitionCount} is replaced by the cluster's fixed partition count (an integer the code formats itself) before the
-- statement is sent, so that the WHERE clause is the exact expression of the index nexus_reminders_by_partition_N,
-- which the cluster creates when it first starts (see Cluster/Sql/cluster_reminder_index.sql); with a parameter in
-- its place the planner could not use that index. The expression is (uint)grain_hash % count, as in C#.
SELECT grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version
FROM nexus_reminders
WHERE ((grain_hash::bigint & 4294967295) % {PartitionCount}) = ANY($1)
ORDER BY grain_type, grain_key, reminder_name
