-- One heartbeat: records now() (the database's clock) as this silo's last heartbeat and turns joining into active.
-- Parameters: $1 silo_id, $2 DeadAfter in milliseconds.
-- Guarantees: a silo that is dead, or whose last heartbeat is already older than DeadAfter (it was paused or cut off
-- long enough for others to declare it dead at any moment), is not revived by a heartbeat: it must first drop every
-- lease and rejoin (silo_rejoin.sql). So a member never comes back from the dead with partitions others may have taken.
-- Always returns one row: the new status, or NULL when the heartbeat was refused.
WITH beat AS (
    UPDATE nexus_silos
    SET last_heartbeat = now(), status = CASE WHEN status = 'joining' THEN 'active' ELSE status END
    WHERE silo_id = $1 AND status IN ('joining', 'active', 'leaving')
      AND last_heartbeat >= now() - $2 * interval '1 millisecond'
    RETURNING status
)
SELECT (SELECT status FROM beat) AS status
