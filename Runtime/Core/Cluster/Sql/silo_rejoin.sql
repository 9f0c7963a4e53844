-- Brings back, as the same incarnation, a member whose heartbeat was refused: it was declared dead, or went silent past
-- DeadAfter, while it was paused or cut off from the database (a PostgreSQL restart does that to every silo at once).
-- Parameters: $1 silo_id.
-- Guarantees: the caller has dropped every lease before running this, so the member comes back owning nothing; any
-- partition it takes later comes with a new, larger epoch, and every write of its earlier tenure stays fenced off by
-- the epochs taken since. Status joining, heartbeat now() by the database's clock: the next heartbeat makes it active.
-- Returns the new status, or no row when the member's row is gone.
UPDATE nexus_silos
SET status = 'joining', last_heartbeat = now()
WHERE silo_id = $1
RETURNING status
