-- Records the cluster's partition count if this is the first silo ever to join, and returns the count on record.
-- Parameters: $1 this silo's configured partition count.
-- Guarantees: the table holds at most one row (see 002_cluster.sql); the first INSERT wins and a concurrent one does
-- nothing (ON CONFLICT), so every silo reads back the same count and compares it with its own.
-- Always returns one row: the count on record.
WITH inserted AS (
    INSERT INTO nexus_cluster_settings (singleton, partition_count, created_at)
    VALUES (true, $1, now())
    ON CONFLICT (singleton) DO NOTHING
    RETURNING partition_count
)
SELECT partition_count FROM inserted
UNION ALL
SELECT partition_count FROM nexus_cluster_settings
LIMIT 1
