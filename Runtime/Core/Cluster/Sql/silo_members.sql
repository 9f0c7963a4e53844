-- The members that are not dead, with whether their heartbeat is fresh (within DeadAfter) by the database's clock.
-- Parameters: $1 DeadAfter in milliseconds. Stale members are reported, not hidden, so callers can tell them apart.
SELECT silo_id, host, port, generation, status, last_heartbeat >= now() - $1 * interval '1 millisecond' AS fresh
FROM nexus_silos
WHERE status IN ('joining', 'active', 'leaving')
ORDER BY silo_id
