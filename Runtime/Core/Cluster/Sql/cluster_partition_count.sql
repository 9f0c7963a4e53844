-- The cluster's partition count, for a process that only reads the cluster (a gateway's cluster view).
-- Parameters: none. Read-only: it never records a count, unlike cluster_settings.sql, so a view started before any
-- silo cannot fix the count for the cluster. 0 rows = no silo has joined this database yet.
SELECT partition_count FROM nexus_cluster_settings
