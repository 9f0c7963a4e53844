-- Creates the lease rows of partitions 0 … $1 - 1 that do not exist yet, unowned at epoch 0.
-- Parameters: $1 the cluster's partition count. Idempotent; concurrent runs insert each row once (ON CONFLICT).
INSERT INTO nexus_partition_leases (partition)
SELECT p FROM generate_series(0, $1 - 1) AS p
ON CONFLICT (partition) DO NOTHING
